package io.argus.extractor.source;

/**
 * A source could not be opened or read, with the HTTP code and message the API reports for it
 * (argus-video-api.md, POST /v1/video errors).
 */
public class SourceException extends Exception {

    /** 424 "cannot find the video": missing file, HTTP 4xx, refused or unresolvable host. */
    public static final int NOT_FOUND = 424;
    /** 400 "cannot open the file": not a video, empty, or no decodable frame. */
    public static final int CANNOT_OPEN = 400;

    /** 499 "timeout": a live source gave no frame for longer than the job's live timeout. */
    public static final int TIMEOUT = 499;

    private final int code;

    /**
     * @param code    HTTP status code reported to the client
     * @param message message reported to the client
     * @param cause   underlying decoder error, may be null
     */
    public SourceException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return HTTP status code reported to the client */
    public int code() {
        return code;
    }

    /**
     * @param cause the decoder error
     * @return 424 "cannot find the video"
     */
    public static SourceException notFound(Throwable cause) {
        return new SourceException(NOT_FOUND, "cannot find the video", cause);
    }

    /**
     * @param cause the decoder error, may be null
     * @return 400 "cannot open the file"
     */
    public static SourceException cannotOpen(Throwable cause) {
        return new SourceException(CANNOT_OPEN, "cannot open the file", cause);
    }

    /**
     * @param width     frame width in pixels, from the stream header
     * @param height    frame height in pixels
     * @param maxPixels the limit it exceeds
     * @return 400 "frames too large: WxH is more than N pixels"
     */
    public static SourceException tooLarge(int width, int height, long maxPixels) {
        return new SourceException(CANNOT_OPEN, "frames too large: " + width + "x" + height + " is more than "
                + maxPixels + " pixels", null);
    }

    /** @return 499 "timeout" (DESIGN.md error table: live source silent) */
    public static SourceException timeout() {
        return new SourceException(TIMEOUT, "timeout", null);
    }
}
