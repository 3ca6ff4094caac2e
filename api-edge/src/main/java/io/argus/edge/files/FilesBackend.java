package io.argus.edge.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.argus.edge.media.ByteSource;
import io.argus.schemas.avro.FileInfo;

/**
 * What the media API's file routes need outside the edge: the store (uploads, reads, deletes) and
 * the decoders and encoders of thumbnails and clips. The launcher implements it over the frame
 * store and the media module, so the edge depends on neither.
 */
public interface FilesBackend {

    /**
     * An upload refused: too large (413), not a video (400 "cannot open the file"), or, for a
     * registration by URI, a source that is refused or cannot be read (424, 400).
     */
    final class UploadRefused extends Exception {
        private final int status;
        private final String detail;

        /**
         * @param status  413, 400 or 424
         * @param message the message to answer with (the answer's {@code error})
         */
        public UploadRefused(int status, String message) {
            this(status, message, null);
        }

        /**
         * @param status  413, 400 or 424
         * @param message the message to answer with (the answer's {@code error})
         * @param detail  why, for the answer's {@code detail}, or null
         */
        public UploadRefused(int status, String message, String detail) {
            super(message);
            this.status = status;
            this.detail = detail;
        }

        /** @return why, or null */
        public String detail() {
            return detail;
        }

        /** @return the HTTP status to answer */
        public int status() {
            return status;
        }
    }

    /** A frame asked for that the video does not have (answered 404). */
    final class NoSuchFrame extends Exception {
        /** @param message which frame, and how many the video has */
        public NoSuchFrame(String message) {
            super(message);
        }
    }

    /**
     * A crop rectangle inside a frame.
     *
     * @param x left edge, pixels, ≥ 0
     * @param y top edge, pixels, ≥ 0
     * @param w width, pixels, ≥ 1
     * @param h height, pixels, ≥ 1
     */
    record Crop(int x, int y, int w, int h) {
    }

    /**
     * A clip to encode.
     *
     * @param startFrame first frame, zero-based
     * @param endFrame   last frame, zero-based, inclusive, ≥ startFrame
     * @param audio      true to keep the audio (when the file has some)
     * @param debug      true to draw a "CLIP" overlay with each frame's number
     */
    record Clip(long startFrame, long endFrame, boolean audio, boolean debug) {
    }

    /** @return the largest upload accepted, bytes */
    long maxUploadBytes();

    /**
     * Streams an upload into the store and probes it; never holds it whole in memory.
     *
     * @param in       the upload's bytes
     * @param fileName the client's file name (for the record only), or null
     * @return the stored file's record (created_at set)
     * @throws UploadRefused when it is too large or not a video
     * @throws IOException   when the store fails
     */
    FileInfo upload(InputStream in, String fileName) throws UploadRefused, IOException;

    /**
     * Copies the video a URI names into the store and probes it, as {@link #upload} does with an
     * upload's bytes: an http(s) URL under the deployment's URL allow-list (redirects checked), or a
     * local file inside its file roots.
     *
     * @param uri an http(s) URL, a local path or a {@code file:} URI
     * @return the stored file's record (created_at set; named by the URI's last path segment)
     * @throws UploadRefused 424 "cannot find the video" (the reason in its detail) when the URI is
     *                       refused, missing or answers an error; 400 "invalid parameters" for a
     *                       live stream or another scheme, "cannot open the file" for a file that
     *                       is not a video; 413 too large
     * @throws IOException   when the store fails
     */
    FileInfo register(String uri) throws UploadRefused, IOException;

    /**
     * @param file a stored file
     * @return where an analysis job reads it ({@code data.uri}): a local path in the local store,
     *         else the store URI
     */
    String jobSource(FileInfo file);

    /**
     * @param file a stored file
     * @return its bytes, readable by range without loading it whole
     * @throws IOException when it is gone or unreadable
     */
    ByteSource open(FileInfo file) throws IOException;

    /**
     * Removes the stored file and anything kept for it.
     *
     * @param file a stored file
     * @throws IOException when the store fails
     */
    void delete(FileInfo file) throws IOException;

    /**
     * The exact zero-based frame of the file as JPEG (decode order from the stream's start).
     *
     * @param file  a stored file
     * @param frame zero-based frame number, ≥ 0
     * @param crop  the rectangle to keep (checked inside the frame by the caller), or null
     * @return the JPEG bytes
     * @throws NoSuchFrame  when the video ends before that frame
     * @throws IOException  when the file cannot be decoded
     */
    byte[] thumbnail(FileInfo file, long frame, Crop crop) throws NoSuchFrame, IOException;

    /**
     * Encodes frames {@code startFrame..endFrame} of the file as MPEG-TS (H.264, and AAC when kept),
     * writing to {@code out} while it encodes.
     *
     * @param file a stored file
     * @param clip what to encode
     * @param out  where the MPEG-TS bytes go (not closed)
     * @throws NoSuchFrame when the video ends before the first frame
     * @throws IOException when decoding, encoding or writing fails
     */
    void clip(FileInfo file, Clip clip, OutputStream out) throws NoSuchFrame, IOException;

    // --- zero-loss cut ---------------------------------------------------------------------------

    /**
     * What a zero-loss cut copies (sent as answer headers before the bytes).
     *
     * @param requestedStart {@code start_frame} asked for, zero-based
     * @param requestedEnd   {@code end_frame} asked for, inclusive
     * @param startFrame     first frame copied: the keyframe at or before {@code requestedStart}
     * @param endFrame       last frame copied: {@code requestedEnd}, or a little later for a
     *                       B-frame stream whose last B-frames need a reference presented after it
     * @param frames         video frames copied ({@code endFrame - startFrame + 1})
     * @param videoCodec     the source's (and the output's) video codec, e.g. {@code h264}
     * @param audio          true when the audio is copied too
     */
    record Cut(long requestedStart, long requestedEnd, long startFrame, long endFrame, long frames, String videoCodec,
               boolean audio) {
    }

    /** Where a cut goes once it is planned. */
    @FunctionalInterface
    interface CutSink {
        /**
         * @param cut what will be copied
         * @return the stream to write the MPEG-TS to (not closed by the backend), or null to copy
         *         nothing (e.g. a HEAD request)
         * @throws IOException when the stream cannot be had
         */
        OutputStream open(Cut cut) throws IOException;
    }

    /**
     * Copies frames {@code first..last} of the file into MPEG-TS without re-encoding (media-api.html
     * "{@code /video?start_frame=...&end_frame=...}", {@code -c copy}), from the keyframe at or
     * before {@code first}; hands the plan to {@code sink} before the first byte.
     *
     * @param file  a stored file
     * @param first first frame asked for, zero-based
     * @param last  last frame asked for, inclusive, ≥ first
     * @param audio true to keep the audio (when the file has some)
     * @param sink  gets the plan and gives the stream
     * @throws NoSuchFrame when the video has no frame {@code last}
     * @throws IOException when reading or writing fails
     */
    void cut(FileInfo file, long first, long last, boolean audio, CutSink sink) throws NoSuchFrame, IOException;

    // --- the video with its boxes ----------------------------------------------------------------

    /**
     * What to draw on a file's annotated video ({@code GET /api/v1/file/{file_uuid}/video/bbox}).
     *
     * @param jobId   the file's analysis job
     * @param tracks  the job's {@code argus.tracks} records (empty when it did not track)
     * @param results the job's {@code argus.frame-results} records
     * @param debug   true for {@code mode=debug}: the tracked op's raw detections in grey as well,
     *                and a caption with the frame's result (time, seq, boxes)
     * @param audio   true to keep the source's audio (when it has some)
     * @param key     store key of the MP4 ({@code files/<file_uuid>/...})
     */
    record Bbox(String jobId, java.util.List<io.argus.schemas.avro.TrackFrame> tracks,
                java.util.List<io.argus.schemas.avro.FrameResult> results, boolean debug, boolean audio, String key) {
    }

    /**
     * @param file a stored file
     * @param key  a store key this backend rendered to ({@link Bbox#key()})
     * @return the stored render, when there is one
     * @throws IOException when the store fails
     */
    java.util.Optional<ByteSource> rendered(FileInfo file, String key) throws IOException;

    /**
     * Renders the file with its stored boxes as H.264 MP4 into the store (nothing is detected).
     *
     * @param file a stored file
     * @param bbox what to draw, and where to keep it
     * @return the stored render
     * @throws IOException when decoding, rendering or storing fails
     */
    ByteSource renderBbox(FileInfo file, Bbox bbox) throws IOException;
}
