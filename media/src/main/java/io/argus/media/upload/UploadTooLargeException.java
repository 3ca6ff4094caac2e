package io.argus.media.upload;

/**
 * 413: the upload has more bytes than the limit. Reading stopped at the first byte past the limit;
 * nothing was stored.
 */
public final class UploadTooLargeException extends UploadException {

    private final long limitBytes;

    /** @param limitBytes the limit, bytes */
    public UploadTooLargeException(long limitBytes) {
        super(413, "file too large: the limit is " + limitBytes + " bytes", null);
        this.limitBytes = limitBytes;
    }

    /** @return the limit that was exceeded, bytes */
    public long limitBytes() {
        return limitBytes;
    }
}
