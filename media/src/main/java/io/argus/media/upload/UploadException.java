package io.argus.media.upload;

/**
 * An upload was refused, with the HTTP status and message the edge answers with.
 */
public abstract sealed class UploadException extends Exception
        permits UploadTooLargeException, UnreadableUploadException {

    private final int status;

    /**
     * @param status  HTTP status for the client
     * @param message message for the client
     * @param cause   underlying error, may be null
     */
    protected UploadException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return HTTP status for the client */
    public int status() {
        return status;
    }
}
