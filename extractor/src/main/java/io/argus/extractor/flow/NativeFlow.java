package io.argus.extractor.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A flow field still in OpenCV's memory: a read-only view of a {@link FlowComputer}'s CV_32FC2
 * output Mat, valid until that computer's next call or {@link FlowComputer#close()}. Readers take
 * what they need without copying the field into Java ({@link FloFile#buffers(NativeFlow)} writes
 * the Mat's bytes as they are, {@link FlowPolar#compute(NativeFlow)} reads it natively);
 * {@link #toField()} copies it out when a {@link FlowField} is wanted.
 *
 * <p>Layout and units are those of {@link FlowField}: {@code width × height} vectors (u, v) in
 * pixels of the computed resolution per frame pair, x right and y down, interleaved row-major
 * float32 in the machine's byte order. Every accessor throws {@link IllegalStateException} once
 * the computer has moved on, so a stale view cannot be read by mistake. Not thread-safe: use it on
 * the computer's thread.
 */
public final class NativeFlow {

    private final FlowComputer owner;
    private final long generation;
    private final Mat mat;
    private final double scale;

    NativeFlow(FlowComputer owner, long generation, Mat mat, double scale) {
        if (mat.type() != CV_32FC2 || !mat.isContinuous() || mat.empty()) {
            throw new IllegalStateException("unexpected flow Mat type " + mat.type());
        }
        this.owner = owner;
        this.generation = generation;
        this.mat = mat;
        this.scale = scale;
    }

    /** @return width in pixels of the computed resolution */
    public int width() {
        return mat().cols();
    }

    /** @return height in pixels of the computed resolution */
    public int height() {
        return mat().rows();
    }

    /** @return computed resolution / source resolution: 1.0 full, 0.5 half */
    public double scale() {
        return scale;
    }

    /** @return true while the computer has not run again or been closed since this flow */
    public boolean isValid() {
        return owner.generation() == generation;
    }

    /**
     * A copy of the field in Java memory (about 0.5 ms at 768×576).
     *
     * @return the field, bit-identical to the native one, with this flow's scale
     * @throws IllegalStateException when the view is stale
     */
    public FlowField toField() {
        Mat m = mat();
        float[] uv = new float[m.cols() * m.rows() * 2];
        try (FloatPointer p = new FloatPointer(m.data())) {
            p.capacity(uv.length).get(uv);
        }
        return new FlowField(m.cols(), m.rows(), uv, scale);
    }

    /**
     * @return the {@code width * height * 8} bytes of the field as a direct buffer over the native
     *         memory (no copy), u and v float32 interleaved in the machine's byte order; valid as
     *         long as this view
     * @throws IllegalStateException when the view is stale
     */
    ByteBuffer bytes() {
        Mat m = mat();
        return m.data().capacity((long) m.cols() * m.rows() * 8).asByteBuffer();
    }

    /**
     * @return the CV_32FC2 Mat itself (do not modify)
     * @throws IllegalStateException when the view is stale
     */
    Mat mat() {
        if (!isValid()) {
            throw new IllegalStateException("flow no longer valid: its FlowComputer has run again or was closed");
        }
        return mat;
    }
}
