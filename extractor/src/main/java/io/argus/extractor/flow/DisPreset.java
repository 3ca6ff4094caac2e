package io.argus.extractor.flow;

import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * Presets of OpenCV's {@code DISOpticalFlow} (patch size, stride, iterations and variational
 * refinement chosen by OpenCV). Per pair at 768×576 / 384×288 on these machines (DESIGN.md).
 */
public enum DisPreset {
    /** {@code PRESET_ULTRAFAST}: 4.6 / 0.9 ms per pair, no variational refinement. */
    ULTRAFAST(DISOpticalFlow.PRESET_ULTRAFAST),
    /** {@code PRESET_FAST}: 7 / 1.7 ms per pair; the default. */
    FAST(DISOpticalFlow.PRESET_FAST),
    /** {@code PRESET_MEDIUM}: 37 / 8.4 ms per pair, denser patches and more refinement. */
    MEDIUM(DISOpticalFlow.PRESET_MEDIUM);

    private final int opencv;

    DisPreset(int opencv) {
        this.opencv = opencv;
    }

    /** @return the OpenCV constant for {@code DISOpticalFlow.create(int)} */
    public int opencvPreset() {
        return opencv;
    }
}
