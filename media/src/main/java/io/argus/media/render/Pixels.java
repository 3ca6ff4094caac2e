package io.argus.media.render;

import java.nio.ByteBuffer;

/**
 * Filled and outlined rectangles on a packed BGR24 buffer (3 bytes per pixel, blue first, rows
 * {@code stride} bytes apart), clipped to the frame. Plain Java: the boxes and label backgrounds
 * of an annotated frame are axis-aligned, so no drawing library is needed for them.
 */
final class Pixels {

    private Pixels() {
    }

    /**
     * Paints the rectangle [x, x+w) × [y, y+h), clipped to the frame.
     *
     * @param bgr    frame pixels
     * @param width  frame width, pixels
     * @param height frame height, pixels
     * @param stride bytes per row
     * @param x      left, pixels
     * @param y      top, pixels
     * @param w      width, pixels (nothing drawn when ≤ 0)
     * @param h      height, pixels (nothing drawn when ≤ 0)
     * @param rgb    colour, 0xRRGGBB
     */
    static void fill(ByteBuffer bgr, int width, int height, int stride, int x, int y, int w, int h, int rgb) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(width, x + w);
        int y1 = Math.min(height, y + h);
        if (x0 >= x1 || y0 >= y1) {
            return;
        }
        int n = (x1 - x0) * 3;
        byte[] row = ROW.get();
        if (row.length < n) {
            row = new byte[n];
            ROW.set(row);
        }
        byte b = (byte) rgb;
        byte g = (byte) (rgb >> 8);
        byte r = (byte) (rgb >> 16);
        for (int i = 0; i < n; i += 3) {
            row[i] = b;
            row[i + 1] = g;
            row[i + 2] = r;
        }
        for (int yy = y0; yy < y1; yy++) {
            bgr.put(yy * stride + x0 * 3, row, 0, n); // one bulk copy a row
        }
    }

    /** A row of pixels of one colour, per thread, grown as needed. */
    private static final ThreadLocal<byte[]> ROW = ThreadLocal.withInitial(() -> new byte[3 * 1920]);

    /**
     * Paints the outline of [x, x+w) × [y, y+h) with lines {@code t} pixels thick, inside the
     * rectangle (the outer edge of the outline is the rectangle's edge).
     *
     * @param bgr    frame pixels
     * @param width  frame width, pixels
     * @param height frame height, pixels
     * @param stride bytes per row
     * @param x      left, pixels
     * @param y      top, pixels
     * @param w      width, pixels
     * @param h      height, pixels
     * @param t      line thickness, pixels, ≥ 1
     * @param rgb    colour, 0xRRGGBB
     */
    static void outline(ByteBuffer bgr, int width, int height, int stride, int x, int y, int w, int h, int t,
            int rgb) {
        int tt = Math.min(t, Math.max(1, Math.min(w, h) / 2));
        fill(bgr, width, height, stride, x, y, w, tt, rgb);
        fill(bgr, width, height, stride, x, y + h - tt, w, tt, rgb);
        fill(bgr, width, height, stride, x, y + tt, tt, h - 2 * tt, rgb);
        fill(bgr, width, height, stride, x + w - tt, y + tt, tt, h - 2 * tt, rgb);
    }
}
