package io.argus.analyzer.op;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An inference op run on one frame at a time. An instance is used by one thread only
 * ({@link OpProvider#create()} makes one per analyzer thread), so it may keep native buffers.
 */
public interface Op extends AutoCloseable {

    /**
     * @param bgr the frame, 8-bit 3-channel BGR, width × height pixels as sampled
     * @return labels (one per name, score in [0, 1]), detections with pixel boxes, and the raw
     *         result as JSON
     * @throws Exception when inference fails; the analyzer records it on the frame's result
     */
    OpOutput apply(Mat bgr) throws Exception;

    /**
     * Runs the op with what the analyzer knows about the frame. Ops that need the frame event,
     * their params from the job request or another frame of the job (e.g. the previous one)
     * override this; the default ignores the context and calls {@link #apply(Mat)}.
     *
     * @param bgr     the frame, 8-bit 3-channel BGR, width × height pixels as sampled
     * @param context the FRAME event, the op's params and read access to the frame store
     * @return as {@link #apply(Mat)}
     * @throws Exception when inference fails, or the params or another frame are unusable; the
     *                   analyzer records it on the frame's result
     */
    default OpOutput apply(Mat bgr, OpContext context) throws Exception {
        return apply(bgr);
    }

    /** Releases native resources. */
    @Override
    void close();
}
