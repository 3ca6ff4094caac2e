package io.argus.extractor.flow;

import java.util.Arrays;

/**
 * A dense flow field: for every pixel (x, y) of the first frame, the displacement (u, v) to its
 * position in the second frame, in pixels per frame pair, x to the right and y downwards.
 *
 * <p>Layout: {@code uv} holds {@code width * height * 2} floats, row-major and interleaved,
 * {@code uv[2 * (y * width + x)] = u}, {@code uv[2 * (y * width + x) + 1] = v} (the layout of
 * OpenCV's CV_32FC2 flow and of Middlebury {@code .flo} files).
 *
 * <p>Units: pixels of the resolution at which the flow was computed, which is this field's
 * {@code width × height}. When {@link #scale()} is below 1 (for instance 0.5: a 768×576 source
 * computed at 384×288) divide vectors by {@code scale} to get source pixels.
 *
 * <p>The array is not copied: the constructor takes ownership of it and {@link #uv()} returns it,
 * so neither side may modify it afterwards. A field is otherwise immutable and thread-safe.
 */
public final class FlowField {

    private final int width;
    private final int height;
    private final float[] uv;
    private final double scale;

    /**
     * @param width  width in pixels, &gt; 0
     * @param height height in pixels, &gt; 0
     * @param uv     interleaved u, v, row-major, {@code width * height * 2} floats (taken, not copied)
     * @param scale  computed resolution / source resolution, in (0, 1]; 1 for full resolution
     * @throws IllegalArgumentException for non-positive sizes, a wrong array length or scale
     */
    public FlowField(int width, int height, float[] uv, double scale) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 2 != uv.length) {
            throw new IllegalArgumentException("expected " + (long) width * height * 2 + " floats for "
                    + width + "x" + height + ", got " + uv.length);
        }
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
        }
        this.width = width;
        this.height = height;
        this.uv = uv;
        this.scale = scale;
    }

    /**
     * A full-resolution field (scale 1).
     *
     * @param width  width in pixels
     * @param height height in pixels
     * @param uv     interleaved u, v, row-major (taken, not copied)
     * @return the field
     */
    public static FlowField of(int width, int height, float[] uv) {
        return new FlowField(width, height, uv, 1.0);
    }

    /** @return width in pixels (of the computed resolution) */
    public int width() {
        return width;
    }

    /** @return height in pixels (of the computed resolution) */
    public int height() {
        return height;
    }

    /** @return computed resolution / source resolution: 1.0 full, 0.5 half */
    public double scale() {
        return scale;
    }

    /** @return the interleaved u, v array itself (not a copy): do not modify */
    public float[] uv() {
        return uv;
    }

    /**
     * @param x column, 0 ≤ x &lt; width
     * @param y row, 0 ≤ y &lt; height
     * @return horizontal displacement in pixels, positive to the right
     */
    public float u(int x, int y) {
        return uv[index(x, y)];
    }

    /**
     * @param x column, 0 ≤ x &lt; width
     * @param y row, 0 ≤ y &lt; height
     * @return vertical displacement in pixels, positive downwards
     */
    public float v(int x, int y) {
        return uv[index(x, y) + 1];
    }

    /**
     * @param x column
     * @param y row
     * @return length of the displacement in pixels
     */
    public double magnitude(int x, int y) {
        int i = index(x, y);
        return Math.hypot(uv[i], uv[i + 1]);
    }

    /**
     * A copy of a rectangle of this field, with the same scale.
     *
     * @param x0 left column
     * @param y0 top row
     * @param w  width in pixels
     * @param h  height in pixels
     * @return the region
     * @throws IllegalArgumentException when the rectangle is empty or leaves the field
     */
    public FlowField crop(int x0, int y0, int w, int h) {
        checkRegion(x0, y0, w, h);
        float[] out = new float[w * h * 2];
        for (int y = 0; y < h; y++) {
            System.arraycopy(uv, 2 * ((y0 + y) * width + x0), out, 2 * y * w, 2 * w);
        }
        return new FlowField(w, h, out, scale);
    }

    void checkRegion(int x0, int y0, int w, int h) {
        if (w <= 0 || h <= 0 || x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("region " + x0 + "," + y0 + " " + w + "x" + h
                    + " is not inside " + width + "x" + height);
        }
    }

    private int index(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return 2 * (y * width + x);
    }

    /** Equal when size, scale and every float are equal ({@link Arrays#equals(float[], float[])}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FlowField f && f.width == width && f.height == height
                && Double.compare(f.scale, scale) == 0 && Arrays.equals(f.uv, uv);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(uv);
    }

    @Override
    public String toString() {
        return "FlowField[" + width + "x" + height + ", scale " + scale + "]";
    }
}
