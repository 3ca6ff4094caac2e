package io.argus.extractor.flow;

/**
 * Dense optical-flow algorithms offered by {@link FlowComputer}. Timings per frame pair measured on
 * these machines (DESIGN.md, 2 cores) at 768×576 / 384×288.
 */
public enum FlowAlgorithm {

    /**
     * OpenCV's Dense Inverse Search ({@code cv::DISOpticalFlow}, Kroeger et al., ECCV 2016) with a
     * {@link DisPreset}: ULTRAFAST 4.6 / 0.9 ms, FAST 7 / 1.7 ms, MEDIUM 37 / 8.4 ms per pair.
     */
    DIS,

    /**
     * OpenCV's {@code cv::calcOpticalFlowFarneback} (Farnebäck, SCIA 2003) with the parameters the
     * original Argus used, which are the classic ones of OpenCV's own sample
     * ({@code samples/python/opt_flow.py}, the dense optical flow tutorial):
     * {@link #FARNEBACK_PYR_SCALE pyr_scale 0.5}, {@link #FARNEBACK_LEVELS levels 3},
     * {@link #FARNEBACK_WINSIZE winsize 15}, {@link #FARNEBACK_ITERATIONS iterations 3},
     * {@link #FARNEBACK_POLY_N poly_n 5}, {@link #FARNEBACK_POLY_SIGMA poly_sigma 1.2},
     * {@link #FARNEBACK_FLAGS flags 0}. About 80 / 16 ms per pair.
     */
    FARNEBACK;

    /** Farneback: image scale between pyramid levels (0.5 = classic pyramid, each level half size). */
    public static final double FARNEBACK_PYR_SCALE = 0.5;
    /** Farneback: number of pyramid levels including the initial image. */
    public static final int FARNEBACK_LEVELS = 3;
    /** Farneback: averaging window size in pixels. */
    public static final int FARNEBACK_WINSIZE = 15;
    /** Farneback: iterations at each pyramid level. */
    public static final int FARNEBACK_ITERATIONS = 3;
    /** Farneback: pixel neighbourhood size for the polynomial expansion. */
    public static final int FARNEBACK_POLY_N = 5;
    /** Farneback: Gaussian standard deviation for the polynomial expansion (1.1 suits poly_n 5, 1.2 the sample). */
    public static final double FARNEBACK_POLY_SIGMA = 1.2;
    /** Farneback: flags: 0 = box filter, no initial flow (no OPTFLOW_USE_INITIAL_FLOW, no OPTFLOW_FARNEBACK_GAUSSIAN). */
    public static final int FARNEBACK_FLAGS = 0;
}
