package io.argus.extractor.flow;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

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
 * <p>The picture has the field's size (the computed resolution). It is drawn from a
 * {@link FlowPolar}, either given (shared with {@link FlowStats#of(FlowPolar)}) or computed here
 * from a {@link FlowField}. Keeps native buffers of the last resolution rendered: not
 * thread-safe, use one visualiser per thread and close it.
 */
public final class FlowVisualizer implements AutoCloseable {

    private final float maxMagnitude;
    private Workspace workspace;
    private FlowPolar ownPolar;
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
     * same size: {@code cartToPolar} (angle in degrees, accurate to about 0.3°; {@link FlowPolar}),
     * the value channel scaled and clipped to [0, 1], and {@code cvtColor} from 32-bit float HSV
     * (hue in [0, 360)) to BGR, rounded to 8 bits. About 2 ms at 768×576, where a per-pixel Java
     * loop with {@code atan2} took ~8.5 ms.
     *
     * @param field the flow
     * @return a new {@code TYPE_3BYTE_BGR} (BGR24) image of {@code field.width() × field.height()}
     * @throws IllegalStateException after {@link #close()}
     */
    public BufferedImage render(FlowField field) {
        FlowPolar polar = polarOf(field);
        BufferedImage image = new BufferedImage(polar.width(), polar.height(), BufferedImage.TYPE_3BYTE_BGR);
        draw(polar, opencv_imgproc.COLOR_HSV2BGR, image);
        return image;
    }

    /**
     * Renders from a field's shared magnitude pass, as {@link #render(FlowField)}; when the pass
     * could not rule out unknown vectors ({@link FlowPolar#allKnown()} false) this is
     * {@code render(polar.field())}, which draws them black.
     *
     * @param polar magnitudes and directions of the field, computed
     * @return a new {@code TYPE_3BYTE_BGR} (BGR24) image of {@code polar.width() × polar.height()}
     * @throws IllegalStateException after {@link #close()}
     */
    public BufferedImage render(FlowPolar polar) {
        if (!polar.allKnown()) {
            return render(polar.field());
        }
        checkOpen();
        BufferedImage image = new BufferedImage(polar.width(), polar.height(), BufferedImage.TYPE_3BYTE_BGR);
        draw(polar, opencv_imgproc.COLOR_HSV2BGR, image);
        return image;
    }

    /**
     * @param polar   magnitudes and directions of the field, computed
     * @param encoder JPEG encoder (one per thread)
     * @return JPEG bytes of {@link #render(FlowPolar)}: the same picture, drawn in R, G, B order
     *         into an image kept for the next call ({@link JpegEncoder#rgbImage}), which the encoder
     *         takes ~1 ms faster than BGR at 768×576; the bytes equal those of
     *         {@code encoder.encode(render(polar))}
     * @throws IllegalStateException after {@link #close()}
     */
    public byte[] renderJpeg(FlowPolar polar, JpegEncoder encoder) {
        if (!polar.allKnown()) {
            return renderJpeg(polar.field(), encoder);
        }
        return drawJpeg(polar, encoder);
    }

    private byte[] drawJpeg(FlowPolar polar, JpegEncoder encoder) {
        Workspace ws = workspace(polar.width(), polar.height());
        draw(polar, opencv_imgproc.COLOR_HSV2RGB, ws.rgbImage);
        return encoder.encode(ws.rgbImage);
    }

    /**
     * The field's magnitudes and directions, unknown vectors (Middlebury) set to 0 first: every
     * vector is then finite and at most 1e9 px per component, so the result can be drawn whatever
     * {@link FlowPolar#allKnown()} says.
     */
    private FlowPolar polarOf(FlowField field) {
        checkOpen();
        if (ownPolar == null) {
            ownPolar = new FlowPolar();
        }
        float[] uv = field.uv();
        return ownPolar.compute(hasUnknown(uv)
                ? new FlowField(field.width(), field.height(), knownOnly(uv), field.scale()) : field);
    }

    /** Draws a known field's picture into an 8-bit, 3-band image of its size, in the given colour order. */
    private void draw(FlowPolar polar, int hsvToColour, BufferedImage image) {
        Workspace ws = workspace(polar.width(), polar.height());
        double max = maxMagnitude > 0 ? maxMagnitude : polar.maxMagnitude();
        double inv = max > 0 ? 1.0 / max : 0;
        polar.magnitudeMat().convertTo(ws.value, opencv_core.CV_32F, inv, 0);
        opencv_imgproc.threshold(ws.value, ws.value, 1.0, 1.0, opencv_imgproc.THRESH_TRUNC);
        ws.hsvParts.put(polar.angleMat(), ws.saturation, ws.value);
        opencv_core.merge(ws.hsvParts, ws.hsv);
        opencv_imgproc.cvtColor(ws.hsv, ws.colourFloat, hsvToColour);
        ws.colourFloat.convertTo(ws.colour8, opencv_core.CV_8U, 255.0, 0);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        ws.colour8.data().get(pixels, 0, pixels.length);
    }

    private Workspace workspace(int w, int h) {
        checkOpen();
        if (workspace == null || workspace.width != w || workspace.height != h) {
            if (workspace != null) {
                workspace.close();
            }
            workspace = new Workspace(w, h);
        }
        return workspace;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("visualizer closed");
        }
    }

    /** Releases the native buffers; later calls to {@link #render} fail. */
    @Override
    public void close() {
        closed = true;
        if (workspace != null) {
            workspace.close();
            workspace = null;
        }
        if (ownPolar != null) {
            ownPolar.close();
            ownPolar = null;
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

    /** @return a copy of {@code uv} with unknown vectors (Middlebury) set to 0 */
    private static float[] knownOnly(float[] uv) {
        float[] out = uv.clone();
        for (int i = 0; i < uv.length; i += 2) {
            if (FloFile.isUnknown(uv[i], uv[i + 1])) {
                out[i] = 0;
                out[i + 1] = 0;
            }
        }
        return out;
    }

    /** Native buffers and the JPEG image of one resolution, reused from call to call. */
    private static final class Workspace implements AutoCloseable {
        final int width;
        final int height;
        final Mat value = new Mat();
        final Mat saturation;
        final MatVector hsvParts = new MatVector();
        final Mat hsv = new Mat();
        final Mat colourFloat = new Mat();
        final Mat colour8 = new Mat();
        final BufferedImage rgbImage;

        Workspace(int width, int height) {
            this.width = width;
            this.height = height;
            this.saturation = new Mat(height, width, opencv_core.CV_32FC1, new Scalar(1.0));
            this.rgbImage = JpegEncoder.rgbImage(width, height);
        }

        @Override
        public void close() {
            for (Mat m : new Mat[] {value, saturation, hsv, colourFloat, colour8}) {
                m.close();
            }
            hsvParts.close();
        }
    }

    /**
     * @param field   the flow
     * @param encoder JPEG encoder (one per thread)
     * @return JPEG bytes of {@link #render(FlowField)}
     */
    public byte[] renderJpeg(FlowField field, JpegEncoder encoder) {
        return drawJpeg(polarOf(field), encoder);
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
