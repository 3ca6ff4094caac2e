package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * A sampled frame, with its flow pair when the spec asks for pairs
 * ({@link SamplingSpec#pairGap()} &gt; 0).
 *
 * <p>Without pairs the image is the grabber's shared buffer: valid until the next
 * {@link FrameSource#next()} call; encode or clone it before then. With pairs, the image and the
 * pair's image are private copies ({@link Frame#clone()}, since the decoder runs ahead to reach
 * the pair): valid until they are closed or collected; {@link Frame#close()} frees their native
 * memory early.
 *
 * @param offsetMs      offset in ms: from the source start (source pts) for files; from the first
 *                      frame of the job for live sources, never decreasing across reconnects
 * @param keyframe      true when the decoder flagged the frame as a keyframe
 * @param image         BGR24 image, {@code image.imageWidth x image.imageHeight} pixels
 * @param captureTimeMs wall-clock time the frame was decoded, ms since the epoch (live sources),
 *                      or -1 (files)
 * @param pair          the frame {@link SamplingSpec#pairGap()} decoded frames later, or null when
 *                      the spec asks for no pairs or the source ended first
 */
public record SampledFrame(long offsetMs, boolean keyframe, Frame image, long captureTimeMs, Pair pair) {

    /** Normalises the image's channel count; see {@link #bgr24(Frame)}. */
    public SampledFrame {
        bgr24(image);
    }

    /**
     * The decoder writes BGR24 (3 bytes a pixel, {@code SourceOpener} sets the pixel format), but
     * JavaCV's {@code FFmpegFrameGrabber} derives {@link Frame#imageChannels} from the row stride
     * divided by the width, so a narrow image whose rows are padded (e.g. 48 px wide: 144 bytes
     * of pixels in a 192-byte row) reads as 4 channels. This sets it back to 3; the stride keeps
     * the padding.
     *
     * @param image a decoded frame, or null
     * @return the same frame
     */
    static Frame bgr24(Frame image) {
        if (image != null && image.image != null && image.imageDepth == Frame.DEPTH_UBYTE && image.imageChannels != 3
                && image.imageStride >= image.imageWidth * 3) {
            image.imageChannels = 3;
        }
        return image;
    }

    /**
     * A frame without a pair (the original four components).
     *
     * @param offsetMs      offset in ms
     * @param keyframe      keyframe flag
     * @param image         BGR24 image
     * @param captureTimeMs capture time in ms since the epoch, or -1
     */
    public SampledFrame(long offsetMs, boolean keyframe, Frame image, long captureTimeMs) {
        this(offsetMs, keyframe, image, captureTimeMs, null);
    }

    /** @return true when {@link #pair()} is not null */
    public boolean hasPair() {
        return pair != null;
    }

    /**
     * The second frame of a flow pair: the frame {@code pairGap} decoded frames after the
     * sampled one (not a time distance: on a variable-frame-rate file the gap in ms varies). It
     * may lie past the end of the sampled range, and it may itself be sampled by the pattern.
     *
     * @param offsetMs offset in ms, on the same clock as the sampled frame and greater than or
     *                 equal to its offset
     * @param keyframe true when the decoder flagged it as a keyframe
     * @param image    BGR24 image, a private copy of the decoder's buffer, same size as the
     *                 sampled frame unless the stream changes resolution
     */
    public record Pair(long offsetMs, boolean keyframe, Frame image) {

        /** Normalises the image's channel count; see {@link SampledFrame#bgr24(Frame)}. */
        public Pair {
            bgr24(image);
        }
    }
}
