package io.argus.media.upload;

import io.argus.extractor.source.SourceException;

/**
 * 400 "cannot open the file" (argus-video-api.md error table): the upload is empty, not a video
 * FFmpeg can read, or has no decodable video frame; or 400 "frames too large" above the pixel
 * limit. Nothing was stored.
 */
public final class UnreadableUploadException extends UploadException {

    /** @param cause the probe's error, whose message (the API's) this exception carries */
    public UnreadableUploadException(SourceException cause) {
        super(400, cause.getMessage(), cause);
    }
}
