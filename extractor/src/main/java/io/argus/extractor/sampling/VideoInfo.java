package io.argus.extractor.sampling;

/**
 * What the decoder reports about an opened source.
 *
 * @param width          frame width in pixels
 * @param height         frame height in pixels
 * @param fps            container frame rate, 0 when unknown
 * @param durationMs     container duration in ms, -1 when unknown (live)
 * @param codec          video codec name, e.g. h264
 * @param expectedFrames estimated number of sampled frames: the number of targets for uniform, the
 *                       count (an upper bound) for random; -1 when unknown (keyframe, scene, live,
 *                       unknown duration)
 */
public record VideoInfo(int width, int height, double fps, long durationMs, String codec, long expectedFrames) {
}
