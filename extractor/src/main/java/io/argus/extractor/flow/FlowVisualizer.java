package io.argus.extractor.flow;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

import io.argus.extractor.jpeg.JpegEncoder;

/**
 * The standard HSV colour-wheel picture of a flow field, as in OpenCV's dense optical flow
 * tutorial ({@code cartToPolar} of u, v; hue = angle; saturation = 255; value = magnitude
 * normalised; {@code cvtColor(HSV2BGR)}):
 *
 * <ul>
 * <li>hue = direction of the vector in image coordinates, {@code atan2(v, u)} in [0, 360):
 *     0° red = right (+x), 90° yellow-green = down (+y), 180° cyan = left, 270° blue-violet = up;</li>
 * <li>saturation = 1;</li>
 * <li>value = {@code min(1, magnitude / max)}: black where nothing moves, full brightness at
 *     {@code max} pixels and beyond.</li>
 * </ul>
 *
 * {@code max} is fixed ({@link #FlowVisualizer(float)}; compare pictures of different pairs) or, by
 * default, the largest finite magnitude of the field itself (the tutorial's NORM_MINMAX, with the
 * minimum pinned at 0 so that still pixels stay black). The hue goes through 32-bit float HSV
 * (to about 0.3°, the accuracy of {@code cartToPolar}), where OpenCV's 8-bit HSV quantises it to 2°. Vectors that are unknown by the Middlebury
 * convention ({@link FloFile#isUnknown(float, float)}) are drawn black.
 *
 * <p>The picture has the field's size (the computed resolution). Keeps native buffers of the
 * last resolution rendered: not thread-safe, use one visualiser per thread and close it.
 */
public final class FlowVisualizer implements AutoCloseable {

    private final float maxMagnitude;
    private Workspace workspace;
    private boolean closed;

    /** A visualiser that normalises each field by its own largest magnitude. */
    public FlowVisualizer() {
        this.maxMagnitude = 0;
    }

    /**
     * @param maxMagnitude magnitude in pixels shown at full brightness, &gt; 0
     * @throws IllegalArgumentException for a non-positive or non-finite value
     */
    public FlowVisualizer(float maxMagnitude) {
        if (!(maxMagnitude > 0) || Float.isInfinite(maxMagnitude)) {
            throw new IllegalArgumentException("maxMagnitude must be a positive number, got " + maxMagnitude);
        }
        this.maxMagnitude = maxMagnitude;
    }

    /** @return the fixed normalisation in pixels, or 0 when each field is normalised by its own maximum */
    public float maxMagnitude() {
        return maxMagnitude;
    }

    /**
     * Renders with OpenCV's vectorised primitives into buffers kept from the previous call of the
     * same size: {@code cartToPolar} (angle in degrees, accurate to about 0.3°), the value channel
     * scaled and clipped to [0, 1], and {@code cvtColor} from 32-bit float HSV (hue in [0, 360)) to
     * BGR, rounded to 8 bits. About 3 ms at 768×576, where a per-pixel Java loop with
     * {@code atan2} took ~8.5 ms.
     *
     * @param field the flow
     * @return a {@code TYPE_3BYTE_BGR} (BGR24) image of {@code field.width() × field.height()}
     * @throws IllegalStateException after {@link #close()}
     */
    public BufferedImage render(FlowField field) {
        int w = field.width();
        int h = field.height();
        float[] uv = field.uv();
        double max = maxMagnitude;
        if (max == 0 || hasUnknown(uv)) {
            double[] largest = new double[1];
            uv = knownOnly(uv, largest);
            max = maxMagnitude > 0 ? maxMagnitude : largest[0];
        }
        double inv = max > 0 ? 1.0 / max : 0;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Workspace ws = workspace(w, h);
        ws.data.position(0).put(uv, 0, uv.length);
        opencv_core.split(ws.flow, ws.parts);
        opencv_core.cartToPolar(ws.parts.get(0), ws.parts.get(1), ws.magnitude, ws.hue, true);
        ws.magnitude.convertTo(ws.value, opencv_core.CV_32F, inv, 0);
        opencv_imgproc.threshold(ws.value, ws.value, 1.0, 1.0, opencv_imgproc.THRESH_TRUNC);
        ws.hsvParts.put(ws.hue, ws.saturation, ws.value);
        opencv_core.merge(ws.hsvParts, ws.hsv);
        opencv_imgproc.cvtColor(ws.hsv, ws.bgrFloat, opencv_imgproc.COLOR_HSV2BGR);
        ws.bgrFloat.convertTo(ws.bgr8, opencv_core.CV_8U, 255.0, 0);
        ws.bgr8.data().get(bgr, 0, bgr.length);
        return image;
    }

    private Workspace workspace(int w, int h) {
        if (closed) {
            throw new IllegalStateException("visualizer closed");
        }
        if (workspace == null || workspace.width != w || workspace.height != h) {
            if (workspace != null) {
                workspace.close();
            }
            workspace = new Workspace(w, h);
        }
        return workspace;
    }

    /** Releases the native buffers; later calls to {@link #render} fail. */
    @Override
    public void close() {
        closed = true;
        if (workspace != null) {
            workspace.close();
            workspace = null;
        }
    }

    private static boolean hasUnknown(float[] uv) {
        for (int i = 0; i < uv.length; i += 2) {
            if (FloFile.isUnknown(uv[i], uv[i + 1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param largest receives the largest known magnitude in pixels
     * @return {@code uv} itself, or a copy with unknown vectors (Middlebury) set to 0
     */
    private static float[] knownOnly(float[] uv, double[] largest) {
        float[] out = uv;
        double max2 = 0;
        for (int i = 0; i < uv.length; i += 2) {
            float u = uv[i];
            float v = uv[i + 1];
            if (FloFile.isUnknown(u, v)) {
                if (out == uv) {
                    out = uv.clone();
                }
                out[i] = 0;
                out[i + 1] = 0;
            } else {
                max2 = Math.max(max2, (double) u * u + (double) v * v);
            }
        }
        largest[0] = Math.sqrt(max2);
        return out;
    }

    /** Native buffers of one resolution, reused from call to call. */
    private static final class Workspace implements AutoCloseable {
        final int width;
        final int height;
        final FloatPointer data;
        final Mat flow;
        final MatVector parts = new MatVector();
        final Mat magnitude = new Mat();
        final Mat hue = new Mat();
        final Mat value = new Mat();
        final Mat saturation;
        final MatVector hsvParts = new MatVector();
        final Mat hsv = new Mat();
        final Mat bgrFloat = new Mat();
        final Mat bgr8 = new Mat();

        Workspace(int width, int height) {
            this.width = width;
            this.height = height;
            this.data = new FloatPointer(2L * width * height);
            this.flow = new Mat(height, width, opencv_core.CV_32FC2, data);
            this.saturation = new Mat(height, width, opencv_core.CV_32FC1, new Scalar(1.0));
        }

        @Override
        public void close() {
            for (AutoCloseable c : new AutoCloseable[] {flow, parts, magnitude, hue, value, saturation, hsvParts,
                    hsv, bgrFloat, bgr8, data}) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * @param field   the flow
     * @param encoder JPEG encoder (one per thread)
     * @return JPEG bytes of {@link #render(FlowField)}
     */
    public byte[] renderJpeg(FlowField field, JpegEncoder encoder) {
        return encoder.encode(render(field));
    }

    /**
     * @param field the flow
     * @return JPEG bytes of {@link #render(FlowField)} at {@link JpegEncoder#DEFAULT_QUALITY}
     */
    public byte[] renderJpeg(FlowField field) {
        try (JpegEncoder encoder = new JpegEncoder()) {
            return renderJpeg(field, encoder);
        }
    }

}
