package io.argus.extractor.sampling;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.bytedeco.javacv.Frame;

/**
 * The {@code scene} pattern: keeps the first frame of the range and every frame that differs
 * from the previous decoded frame by more than a threshold.
 *
 * <p><b>Measure.</b> Each frame is reduced to a {@value #THUMB_WIDTH}×{@value #THUMB_HEIGHT}
 * luma thumbnail (BT.601 luma {@code (29 B + 150 G + 77 R) / 256}, each cell the mean of its
 * pixels, sampled on a grid, whatever the frame's aspect ratio); the difference of two frames is the mean absolute
 * difference of their thumbnails divided by 255, in [0, 1] (0 identical, 1 black against white).
 * The averaging makes it insensitive to noise and compression artefacts; a cut changes most cells
 * at once, while objects moving in a fixed shot change only a few. Gradual transitions (fades,
 * dissolves) spread over many frames and are missed; a flash or a frame of black gives two
 * selections.
 *
 * <p><b>Threshold.</b> {@link SamplingSpec#DEFAULT_SCENE_THRESHOLD} (0.1) was chosen from the
 * real clips: cuts on Megamind.avi score 0.131-0.174 against at most 0.016 within its shots;
 * tree.avi's hand moving into the shot peaks at 0.069; vtest.avi at 0.014; a still image
 * encoded as video at 0.0002.
 *
 * <p>Needs the pixels of every decoded frame (about 0.2 ms per 768×576 frame for the thumbnail
 * on top of the BGR conversion). Not thread-safe.
 */
final class SceneSelector implements FrameSelector {

    /** Thumbnail width in cells: 64 (with the height, 16:9 at a size where noise averages out). */
    static final int THUMB_WIDTH = 64;
    /** Thumbnail height in cells: 36. */
    static final int THUMB_HEIGHT = 36;
    /**
     * Pixels are sampled every {@code step} rows and columns, the step chosen so that each cell
     * still averages at least 6×6 samples (768×576: every 2nd pixel, 48 samples a cell; 1080p:
     * every 5th, 36): cuts the thumbnail from 0.9 to ~0.2 ms at 768×576 here, and the averages
     * stay far above the noise (see the class comment for the figures, measured this way).
     */
    static final int MIN_SAMPLES_PER_SIDE = 6;

    private final double threshold;
    private int[] previous = new int[THUMB_WIDTH * THUMB_HEIGHT];
    private int[] current = new int[THUMB_WIDTH * THUMB_HEIGHT];
    private final int[] sums = new int[THUMB_WIDTH * THUMB_HEIGHT];
    private final int[] counts = new int[THUMB_WIDTH * THUMB_HEIGHT];
    private int[] columnByte = new int[0];
    private int[] cellOfColumn = new int[0];
    private int step = 1;
    private byte[] row = new byte[0];
    private int width;
    private int height;
    private boolean first = true;
    private double lastDifference = -1;

    /** @param threshold selection threshold in (0, 1] */
    SceneSelector(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public boolean needsPixels() {
        return true;
    }

    @Override
    public boolean accept(long offsetMs, boolean keyframe, Frame bgr) {
        thumbnail(bgr, current);
        int[] t = previous;
        previous = current;
        current = t;
        if (first) {
            first = false;
            lastDifference = -1;
            return true;
        }
        lastDifference = difference(previous, current);
        return lastDifference > threshold;
    }

    /** @return the difference computed for the last frame, in [0, 1], or -1 for the first frame */
    double lastDifference() {
        return lastDifference;
    }

    /**
     * @param a a thumbnail
     * @param b another thumbnail
     * @return mean absolute difference / 255, in [0, 1]
     */
    static double difference(int[] a, int[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / (255.0 * a.length);
    }

    /**
     * Fills {@code into} with the luma thumbnail of a frame; frames smaller than the thumbnail
     * repeat their pixels over several cells.
     *
     * @param bgr  8-bit BGR frame (stride {@code imageStride} bytes)
     * @param into {@value #THUMB_WIDTH}×{@value #THUMB_HEIGHT} cells, row-major, 0-255
     */
    void thumbnail(Frame bgr, int[] into) {
        if (bgr.imageChannels != 3 || bgr.imageDepth != Frame.DEPTH_UBYTE) {
            throw new IllegalArgumentException("expected 8-bit BGR, got " + bgr.imageChannels
                    + " channels of depth " + bgr.imageDepth);
        }
        int w = bgr.imageWidth;
        int h = bgr.imageHeight;
        if (w != width || h != height) {
            layout(w, h);
        }
        ByteBuffer buffer = (ByteBuffer) bgr.image[0];
        int stride = bgr.imageStride;
        Arrays.fill(sums, 0);
        for (int y = 0; y < h; y += step) {
            buffer.get(y * stride, row, 0, w * 3);
            int base = (int) ((long) y * THUMB_HEIGHT / h) * THUMB_WIDTH;
            for (int k = 0; k < columnByte.length; k++) {
                int i = columnByte[k];
                int luma = (29 * (row[i] & 0xff) + 150 * (row[i + 1] & 0xff) + 77 * (row[i + 2] & 0xff)) >> 8;
                sums[base + cellOfColumn[k]] += luma;
            }
        }
        // Frames smaller than the thumbnail leave cells empty: they repeat the cell to their
        // left, or the row above when the whole row is empty (cell 0 of row 0 always has pixels).
        for (int c = 0; c < into.length; c++) {
            if (counts[c] > 0) {
                into[c] = sums[c] / counts[c];
            } else if (counts[c - c % THUMB_WIDTH] > 0) {
                into[c] = into[c - 1];
            } else {
                into[c] = into[c - THUMB_WIDTH];
            }
        }
    }

    private void layout(int w, int h) {
        width = w;
        height = h;
        row = new byte[w * 3];
        step = Math.max(1, Math.min(w / THUMB_WIDTH, h / THUMB_HEIGHT) / MIN_SAMPLES_PER_SIDE);
        int columns = (w + step - 1) / step;
        columnByte = new int[columns];
        cellOfColumn = new int[columns];
        for (int k = 0; k < columns; k++) {
            columnByte[k] = k * step * 3;
            cellOfColumn[k] = (int) ((long) k * step * THUMB_WIDTH / w);
        }
        Arrays.fill(counts, 0);
        for (int y = 0; y < h; y += step) {
            int base = (int) ((long) y * THUMB_HEIGHT / h) * THUMB_WIDTH;
            for (int k = 0; k < columns; k++) {
                counts[base + cellOfColumn[k]]++;
            }
        }
    }
}
