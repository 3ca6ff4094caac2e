package io.argus.extractor.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * The magnitude and direction of every vector of a flow field, computed once natively and shared
 * by {@link FlowStats#of(FlowPolar)} and {@link FlowVisualizer#renderJpeg(FlowPolar,
 * io.argus.extractor.jpeg.JpegEncoder)}: OpenCV {@code split} of the CV_32FC2 field into u and v,
 * then {@code cartToPolar(u, v, magnitude, angle, angleInDegrees = true)}. About 0.7 ms at
 * 768×576, where the statistics and the picture each made their own pass before (in Java for the
 * statistics).
 *
 * <ul>
 * <li>magnitude: {@code sqrt(u² + v²)} in float32, px of the field's resolution (OpenCV's
 *     {@code hal::magnitude32f}: relative error within a few 2^-24);</li>
 * <li>angle: {@code atan2(v, u)} in degrees, [0, 360) in image coordinates (0 right, 90 down),
 *     to about 0.3° (OpenCV's {@code fastAtan2}).</li>
 * </ul>
 *
 * <p>The pass also sums the magnitudes and finds the largest. When the sum is finite and the
 * largest magnitude is at most {@link #KNOWN_LIMIT}, every vector is known by the Middlebury
 * convention ({@link FloFile#isUnknown(float, float)}; no component of a vector exceeds its
 * magnitude, so none can exceed 1e9 px) and {@link #allKnown()} is true. Otherwise (a NaN, an infinity or a
 * Middlebury "unknown" vector, which optical flow from OpenCV never produces) the users of this
 * class fall back to their exact Java paths over {@link #field()}.
 *
 * <p>Keeps its native buffers from call to call while the size stays the same: not thread-safe,
 * use one per thread and close it. The result of a {@link NativeFlow} is valid until the next
 * {@code compute}; {@link #field()} also needs that flow to be valid.
 */
public final class FlowPolar implements AutoCloseable {

    /**
     * Largest magnitude, px, for which the field is taken as all known without looking at each
     * vector: a tenth of Middlebury's 1e9 px threshold, so that float32 rounding of the magnitude
     * cannot hide a component above 1e9.
     */
    public static final double KNOWN_LIMIT = 1e8;

    private final MatVector parts = new MatVector();
    private Mat u = new Mat();
    private Mat v = new Mat();
    private final Mat magnitude = new Mat();
    private final Mat angle = new Mat();
    private final DoublePointer min = new DoublePointer(1);
    private final DoublePointer max = new DoublePointer(1);
    private final Mat scratch = new Mat();
    private float[] magnitudeCopy;
    private boolean copyCurrent;
    private FloatPointer upload;
    private Mat uploaded;
    private NativeFlow sourceFlow;
    private FlowField sourceField;
    private int width;
    private int height;
    private double scale;
    private double sum;
    private double largest;
    private boolean known;
    private boolean closed;

    /**
     * Computes magnitude and angle of a flow still in native memory, reading the flow in place.
     *
     * @param flow the flow, valid
     * @return this
     * @throws IllegalStateException when the flow is stale or this is closed
     */
    public FlowPolar compute(NativeFlow flow) {
        checkOpen();
        run(flow.mat(), flow.scale());
        sourceFlow = flow;
        sourceField = null;
        return this;
    }

    /**
     * Computes magnitude and angle of a field in Java memory (copied into a native buffer kept for
     * the next field of the same size, ~0.4 ms at 768×576).
     *
     * @param field the field
     * @return this
     * @throws IllegalStateException when this is closed
     */
    public FlowPolar compute(FlowField field) {
        checkOpen();
        int n = field.uv().length;
        if (uploaded == null || uploaded.cols() != field.width() || uploaded.rows() != field.height()) {
            releaseUpload();
            upload = new FloatPointer(n);
            uploaded = new Mat(field.height(), field.width(), CV_32FC2, upload);
        }
        upload.position(0).put(field.uv(), 0, n);
        run(uploaded, field.scale());
        sourceFlow = null;
        sourceField = field;
        return this;
    }

    private void run(Mat flow, double flowScale) {
        width = flow.cols();
        height = flow.rows();
        scale = flowScale;
        opencv_core.split(flow, parts);
        u.close();
        v.close();
        u = parts.get(0); // headers sharing the planes' data
        v = parts.get(1);
        opencv_core.cartToPolar(u, v, magnitude, angle, true);
        sum = opencv_core.sumElems(magnitude).get(0);
        opencv_core.minMaxLoc(magnitude, min, max, null, null, null);
        largest = max.get();
        known = Double.isFinite(sum) && largest <= KNOWN_LIMIT;
        copyCurrent = false;
    }

    /** @return width in pixels of the field */
    public int width() {
        return width;
    }

    /** @return height in pixels of the field */
    public int height() {
        return height;
    }

    /** @return the field's computed resolution / source resolution */
    public double scale() {
        return scale;
    }

    /**
     * @return true when every vector is finite and known (Middlebury) for certain; when false, use
     *         {@link #field()} and the exact Java paths
     */
    public boolean allKnown() {
        return known;
    }

    /** @return the largest magnitude, px (meaningful when {@link #allKnown()}) */
    public double maxMagnitude() {
        return largest;
    }

    /** @return the sum of all magnitudes, px (meaningful when {@link #allKnown()}) */
    public double magnitudeSum() {
        return sum;
    }

    /**
     * @return the field these values were computed from: the field given, or a copy of the native
     *         flow
     * @throws IllegalStateException when nothing was computed yet or the native flow is stale
     */
    public FlowField field() {
        if (sourceField != null) {
            return sourceField;
        }
        if (sourceFlow == null) {
            throw new IllegalStateException("nothing computed yet");
        }
        return sourceFlow.toField();
    }

    /**
     * Copies the magnitudes out, row-major.
     *
     * @param into an array to reuse, or null
     * @return {@code into} when it has at least {@code width * height} elements, else a new array;
     *         the first {@code width * height} elements are the magnitudes in px
     */
    public float[] magnitudes(float[] into) {
        int n = width * height;
        float[] out = into != null && into.length >= n ? into : new float[n];
        try (FloatPointer p = new FloatPointer(magnitude.data())) {
            p.capacity(n).get(out, 0, n);
        }
        return out;
    }

    /**
     * @return the magnitudes copied out once per computation into an array kept for the next (at
     *         least {@code width * height} long; do not modify)
     */
    float[] magnitudeArray() {
        if (!copyCurrent) {
            magnitudeCopy = magnitudes(magnitudeCopy);
            copyCurrent = true;
        }
        return magnitudeCopy;
    }

    /** @return a Mat for the caller's temporary results, valid until the next call of any user */
    Mat scratch() {
        return scratch;
    }

    /** @return the horizontal components u, CV_32FC1, px (do not modify) */
    Mat u() {
        return u;
    }

    /** @return the vertical components v, CV_32FC1, px (do not modify) */
    Mat v() {
        return v;
    }

    /** @return the magnitudes, CV_32FC1, px (do not modify) */
    Mat magnitudeMat() {
        return magnitude;
    }

    /** @return the directions, CV_32FC1, degrees in [0, 360) (do not modify) */
    Mat angleMat() {
        return angle;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("FlowPolar closed");
        }
    }

    private void releaseUpload() {
        if (uploaded != null) {
            uploaded.close();
            upload.close();
            uploaded = null;
            upload = null;
        }
    }

    /** Releases the native buffers; later calls fail. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseUpload();
        u.close();
        v.close();
        parts.close();
        magnitude.close();
        angle.close();
        scratch.close();
        min.close();
        max.close();
        sourceFlow = null;
        sourceField = null;
    }
}
