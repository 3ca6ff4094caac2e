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

    /** Releases native resources. */
    @Override
    void close();
}
