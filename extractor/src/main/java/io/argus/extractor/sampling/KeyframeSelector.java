package io.argus.extractor.sampling;

import org.bytedeco.javacv.Frame;

/**
 * The {@code keyframe} pattern, mode 1: keeps the frames the decoder flags as keyframes.
 *
 * <p>Without pairs the decoder is also told to skip non-keyframes ({@code skip_frame=nokey},
 * ~4× faster than a full decode, DESIGN.md); the flag is still checked because some decoders
 * ignore the option and return every frame (cinepak: tree.avi gives all 68 frames, 3 of them
 * keyframes at 0, 10.67 and 21.87 s). With pairs every frame is decoded, since a pair is the
 * n-th next decoded frame, not the next keyframe.
 */
final class KeyframeSelector implements FrameSelector {

    @Override
    public boolean accept(long offsetMs, boolean keyframe, Frame bgr) {
        return keyframe;
    }
}
