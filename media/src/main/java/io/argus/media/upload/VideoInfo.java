package io.argus.media.upload;

/**
 * What probing a video file found.
 *
 * @param durationMs duration, ms: the container's as FFmpeg reads it on opening, else frames / fps
 * @param fps        frame rate of the video stream (average, else its base rate), frames/s
 * @param frameCount video frames, counted packet by packet (not the header's claim)
 * @param width      frame width, pixels
 * @param height     frame height, pixels
 * @param videoCodec FFmpeg's name of the video codec, e.g. {@code h264}, {@code mpeg4}
 * @param audioCodec FFmpeg's name of the first audio stream's codec, e.g. {@code aac}; null when
 *                   the file has no audio
 * @param format     FFmpeg's name of the container format, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 */
public record VideoInfo(long durationMs, double fps, long frameCount, int width, int height, String videoCodec,
        String audioCodec, String format) {

    /** @return true when the file has an audio stream */
    public boolean hasAudio() {
        return audioCodec != null;
    }
}
