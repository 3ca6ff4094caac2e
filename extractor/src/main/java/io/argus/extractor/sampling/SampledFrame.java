package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * A sampled frame. The image is the grabber's shared buffer: valid until the next
 * {@link FrameSource#next()} call; encode or clone it before then.
 *
 * @param offsetMs      offset in ms: from the source start (source pts) for files; from the first
 *                      frame of the job for live sources, never decreasing across reconnects
 * @param keyframe      true when the decoder flagged the frame as a keyframe
 * @param image         BGR24 image, {@code image.imageWidth x image.imageHeight} pixels
 * @param captureTimeMs wall-clock time the frame was decoded, ms since the epoch (live sources),
 *                      or -1 (files)
 */
public record SampledFrame(long offsetMs, boolean keyframe, Frame image, long captureTimeMs) {
}
