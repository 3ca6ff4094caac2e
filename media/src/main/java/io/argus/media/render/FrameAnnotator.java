package io.argus.media.render;

import java.nio.ByteBuffer;
import java.util.List;

import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws {@link Annotations} on decoded BGR24 frames, in place: box outlines, a label above each
 * box ({@code class #track score} in {@link BitmapFont} on the box colour), counting lines with
 * their names, and the caption lines (white on black) at the top-left corner.
 *
 * <p>Sizes follow the frame height {@code H} in pixels: box lines {@code max(3, H / 180)} pixels
 * thick (3 at least, so that a 2×2 block of the output's 4:2:0 chroma lies wholly on the line
 * and the line keeps its colour), font scale {@code max(2, H / 360)} pixels per dot (2 up to
 * 1079 lines, 3 at 1080).
 * Label text is white on dark colours and black on light ones (ITU-R BT.601 luma below or above
 * 140). Boxes and text are drawn in plain Java ({@link Pixels}, {@link BitmapFont}); counting
 * lines with OpenCV's anti-aliased {@code line} on a {@link Mat} sharing the frame's memory.
 *
 * <p>One annotator per thread (it keeps a frame converter).
 */
public final class FrameAnnotator {

    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;

    private final Annotations annotations;
    private final BitmapFont font = BitmapFont.get();
    private final OpenCVFrameConverter.ToMat toMat = new OpenCVFrameConverter.ToMat();

    /** @param annotations what to draw */
    public FrameAnnotator(Annotations annotations) {
        this.annotations = annotations;
    }

    /**
     * @param height frame height, pixels
     * @return box line thickness, pixels
     */
    public static int thickness(int height) {
        return Math.max(3, height / 180);
    }

    /**
     * @param height frame height, pixels
     * @return font scale, pixels per dot
     */
    public static int fontScale(int height) {
        return Math.max(2, height / 360);
    }

    /**
     * Draws what {@link Annotations} gives for the frame's time.
     *
     * @param frame       a decoded frame, 8-bit BGR24 (3 channels), modified in place
     * @param tMs         its time, ms from the start of the video
     * @param toleranceMs half its frame period, ms ({@link Annotations#overlaysAt})
     * @return the boxes drawn
     * @throws IllegalArgumentException when the frame is not 8-bit 3-channel
     */
    public List<Overlay> annotate(Frame frame, long tMs, long toleranceMs) {
        if (frame.imageDepth != Frame.DEPTH_UBYTE || frame.imageChannels != 3) {
            throw new IllegalArgumentException("frames must be BGR24, not depth " + frame.imageDepth + " x "
                    + frame.imageChannels + " channels");
        }
        ByteBuffer bgr = (ByteBuffer) frame.image[0];
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int stride = frame.imageStride;
        if (!annotations.lines().isEmpty()) {
            drawLines(toMat.convert(frame), bgr, w, h, stride);
        }
        List<Overlay> overlays = annotations.overlaysAt(tMs, toleranceMs);
        int t = thickness(h);
        for (Overlay o : overlays) {
            int x = (int) Math.round(o.x());
            int y = (int) Math.round(o.y());
            int bw = Math.max(1, (int) Math.round(o.width()));
            int bh = Math.max(1, (int) Math.round(o.height()));
            Pixels.outline(bgr, w, h, stride, x, y, bw, bh, t, o.colour());
        }
        for (Overlay o : overlays) { // labels after every box, so no box crosses a label
            label(bgr, w, h, stride, o.text(), (int) Math.round(o.x()), (int) Math.round(o.y()), o.colour());
        }
        drawCaption(bgr, w, h, stride, annotations.captionAt(tMs));
        return overlays;
    }

    /**
     * Draws a text on a filled background: above {@code (x, y)} when it fits there, else just
     * below it (inside the box).
     */
    private void label(ByteBuffer bgr, int w, int h, int stride, String text, int x, int y, int rgb) {
        if (text.isEmpty()) {
            return;
        }
        int s = fontScale(h);
        int pad = s;
        int lw = BitmapFont.width(text, s) + 2 * pad;
        int lh = BitmapFont.height(s) + 2 * pad;
        int ly = y - lh >= 0 ? y - lh : y;
        int lx = Math.max(0, Math.min(x, w - lw));
        Pixels.fill(bgr, w, h, stride, lx, ly, lw, lh, rgb);
        font.draw(bgr, w, h, stride, text, lx + pad, ly + pad, s, luma(rgb) < 140 ? WHITE : BLACK);
    }

    private void drawCaption(ByteBuffer bgr, int w, int h, int stride, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        int s = fontScale(h);
        int lineH = BitmapFont.height(s) + 3 * s;
        int width = 0;
        for (String line : lines) {
            width = Math.max(width, BitmapFont.width(line, s));
        }
        int margin = 4 * s;
        Pixels.fill(bgr, w, h, stride, margin, margin, width + 4 * s, lines.size() * lineH + s, BLACK);
        for (int i = 0; i < lines.size(); i++) {
            font.draw(bgr, w, h, stride, lines.get(i), margin + 2 * s, margin + 2 * s + i * lineH, s, WHITE);
        }
    }

    private void drawLines(Mat mat, ByteBuffer bgr, int w, int h, int stride) {
        int t = thickness(h);
        for (CountingLine line : annotations.lines()) {
            int rgb = line.rgb();
            try (Scalar colour = new Scalar(rgb & 0xFF, rgb >> 8 & 0xFF, rgb >> 16 & 0xFF, 0)) {
                List<double[]> pts = line.points();
                for (int i = 1; i < pts.size(); i++) {
                    try (Point a = point(pts.get(i - 1), w, h); Point b = point(pts.get(i), w, h)) {
                        opencv_imgproc.line(mat, a, b, colour, t, opencv_imgproc.LINE_AA, 0);
                    }
                }
            }
            double[] first = line.points().get(0);
            label(bgr, w, h, stride, line.name(), (int) Math.round(first[0] * (w - 1)),
                    (int) Math.round(first[1] * (h - 1)), rgb);
        }
    }

    private static Point point(double[] p, int w, int h) {
        return new Point((int) Math.round(p[0] * (w - 1)), (int) Math.round(p[1] * (h - 1)));
    }

    /** @return ITU-R BT.601 luma of 0xRRGGBB, 0–255 */
    static int luma(int rgb) {
        return (299 * (rgb >> 16 & 0xFF) + 587 * (rgb >> 8 & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
    }
}
