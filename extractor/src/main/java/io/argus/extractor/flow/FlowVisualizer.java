package io.argus.extractor.flow;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

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
 * minimum pinned at 0 so that still pixels stay black). The hue is computed in full precision,
 * where OpenCV's 8-bit HSV quantises it to 2°. Vectors that are unknown by the Middlebury
 * convention ({@link FloFile#isUnknown(float, float)}) are drawn black.
 *
 * <p>The picture has the field's size (the computed resolution). Stateless and thread-safe; the
 * {@link JpegEncoder} passed in is not.
 */
public final class FlowVisualizer {

    private final float maxMagnitude;

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
     * @param field the flow
     * @return a {@code TYPE_3BYTE_BGR} (BGR24) image of {@code field.width() × field.height()}
     */
    public BufferedImage render(FlowField field) {
        int w = field.width();
        int h = field.height();
        float[] uv = field.uv();
        int n = w * h;
        double max = maxMagnitude > 0 ? maxMagnitude : largestMagnitude(uv);
        double inv = max > 0 ? 1.0 / max : 0;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            float u = uv[2 * i];
            float v = uv[2 * i + 1];
            if (FloFile.isUnknown(u, v)) {
                continue;
            }
            double value = Math.min(1.0, Math.sqrt((double) u * u + (double) v * v) * inv);
            if (value * 255.0 < 0.5) {
                continue; // rounds to black: skip the atan2 (most pixels of a fixed-camera scene)
            }
            hsvToBgr(FlowStats.directionDegrees(u, v), value, bgr, 3 * i);
        }
        return image;
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

    /** @return the largest finite, known magnitude in pixels, or 0 */
    static double largestMagnitude(float[] uv) {
        double max2 = 0;
        for (int i = 0; i < uv.length; i += 2) {
            float u = uv[i];
            float v = uv[i + 1];
            if (!FloFile.isUnknown(u, v)) {
                double m2 = (double) u * u + (double) v * v;
                if (m2 > max2) {
                    max2 = m2;
                }
            }
        }
        return Math.sqrt(max2);
    }

    /** HSV with saturation 1 to BGR bytes: hue in degrees [0, 360), value in [0, 1]. */
    private static void hsvToBgr(double hueDeg, double value, byte[] out, int at) {
        double h = hueDeg / 60.0;
        int sector = (int) h;
        double f = h - sector;
        double vv = value * 255.0;
        double rising = vv * f;
        double falling = vv * (1 - f);
        double r;
        double g;
        double b;
        switch (sector) {
            case 0 -> { r = vv; g = rising; b = 0; }
            case 1 -> { r = falling; g = vv; b = 0; }
            case 2 -> { r = 0; g = vv; b = rising; }
            case 3 -> { r = 0; g = falling; b = vv; }
            case 4 -> { r = rising; g = 0; b = vv; }
            default -> { r = vv; g = 0; b = falling; }
        }
        out[at] = (byte) Math.round(b);
        out[at + 1] = (byte) Math.round(g);
        out[at + 2] = (byte) Math.round(r);
    }
}
