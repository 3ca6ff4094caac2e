package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * A sampled frame. The image is the grabber's shared buffer: valid until the next
 * {@link FrameSampler#next()} call; encode or clone it before then.
 *
 * @param offsetMs offset in ms from the source start (source pts)
 * @param keyframe true when the decoder flagged the frame as a keyframe
 * @param image    BGR24 image, {@code image.imageWidth x image.imageHeight} pixels
 */
public record SampledFrame(long offsetMs, boolean keyframe, Frame image) {
}
