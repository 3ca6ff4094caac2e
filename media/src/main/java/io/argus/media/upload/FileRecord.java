package io.argus.media.upload;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A video file Argus holds: its id, where the store keeps it and what probing found. Uploaded
 * files of the traffic API ({@code POST /video}) and of the media API ({@code POST
 * /api/v1/files}) are the same kind of record.
 *
 * @param fileUuid   32 lower-case hex digits (a random UUID without dashes), as media-api.html's
 *                   {@code file_uuid}
 * @param uri        the store URI of the file ({@code file:} or {@code s3:})
 * @param sizeBytes  size of the file, bytes
 * @param durationMs duration, ms
 * @param fps        video frame rate, frames/s
 * @param frameCount video frames (counted, not the header's claim)
 * @param width      frame width, pixels
 * @param height     frame height, pixels
 * @param videoCodec FFmpeg's name of the video codec, e.g. {@code h264}
 * @param hasAudio   true when the file has an audio stream
 * @param audioCodec FFmpeg's name of the audio codec, or null without audio
 */
public record FileRecord(String fileUuid, URI uri, long sizeBytes, long durationMs, double fps, long frameCount,
        int width, int height, String videoCodec, boolean hasAudio, String audioCodec) {

    /** A file id: 32 lower-case hex digits. */
    public static final Pattern FILE_UUID = Pattern.compile("[0-9a-f]{32}");

    /** @throws IllegalArgumentException when the id is not 32 lower-case hex digits */
    public FileRecord {
        if (fileUuid == null || !FILE_UUID.matcher(fileUuid).matches()) {
            throw new IllegalArgumentException("file_uuid must be 32 lower-case hex digits: " + fileUuid);
        }
    }

    /**
     * @param fileUuid the file's id
     * @param uri      its store URI
     * @param size     its size, bytes
     * @param info     what probing found
     * @return the record
     */
    public static FileRecord of(String fileUuid, URI uri, long size, VideoInfo info) {
        return new FileRecord(fileUuid, uri, size, info.durationMs(), info.fps(), info.frameCount(), info.width(),
                info.height(), info.videoCodec(), info.hasAudio(), info.audioCodec());
    }
}
