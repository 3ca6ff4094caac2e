package io.argus.extractor.sampling;

/**
 * What the decoder reports about an opened source.
 *
 * @param width          frame width in pixels
 * @param height         frame height in pixels
 * @param fps            container frame rate, 0 when unknown
 * @param durationMs     container duration in ms, -1 when unknown (live)
 * @param codec          video codec name, e.g. h264
 * @param expectedFrames estimated number of sampled frames, -1 when unknown (keyframes, live)
 */
public record VideoInfo(int width, int height, double fps, long durationMs, String codec, long expectedFrames) {
}
