package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Small-object detection by tiling (slicing-aided inference, Akyon et al., "Slicing Aided Hyper
 * Inference and Fine-tuning for Small Object Detection", ICIP 2022): the detector runs on the
 * whole frame and on an {@code n×n} grid of overlapping tiles, each tile resized to the model input
 * on its own, so small objects cover more model-input pixels. Boxes of the tiles are shifted back
 * to frame pixels and all passes are merged per class by greedy suppression on intersection over
 * the smaller box (IoS, SAHI's {@code GREEDYNMM} match metric), threshold {@value #MERGE_IOS}: a
 * box that lies mostly inside a better-scored box of the same class (the same object seen whole in
 * one pass and cut by a tile edge in another) is dropped.
 *
 * <p>Tiles overlap by {@value #OVERLAP} of their side (SAHI's default overlap ratio 0.2), so an
 * object cut by one tile edge is whole in the neighbouring tile when it is smaller than the overlap.
 * Cost: {@code 1 + n²} model runs per frame.
 */
public final class TiledPass {

    /** Overlap of neighbouring tiles, as a fraction of the tile side. */
    public static final float OVERLAP = 0.2f;
    /** Intersection over the smaller box above which the lower-scored box of a class is dropped. */
    public static final float MERGE_IOS = 0.6f;
    /** Largest grid side accepted. */
    public static final int MAX_GRID = 4;

    /** One detector run on a frame or a part of it, boxes in the given Mat's pixels. */
    @FunctionalInterface
    public interface Detector {
        /**
         * @param bgr frame or tile, 8-bit BGR
         * @return boxes in that Mat's pixels
         * @throws Exception when inference fails
         */
        List<Candidate> detect(Mat bgr) throws Exception;
    }

    private TiledPass() {
    }

    /**
     * @param frameWidth  pixels
     * @param frameHeight pixels
     * @param grid        tiles per side, 2..{@value #MAX_GRID}
     * @return the tile rectangles {x, y, w, h} in frame pixels, row by row, covering the frame
     * @throws IllegalArgumentException when grid is outside 2..{@value #MAX_GRID}
     */
    public static List<int[]> tiles(int frameWidth, int frameHeight, int grid) {
        if (grid < 2 || grid > MAX_GRID) {
            throw new IllegalArgumentException("tiles must be 1 to " + MAX_GRID + ", got " + grid);
        }
        int tw = Math.round(frameWidth / (grid - (grid - 1) * OVERLAP));
        int th = Math.round(frameHeight / (grid - (grid - 1) * OVERLAP));
        List<int[]> out = new ArrayList<>();
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int x = c == grid - 1 ? frameWidth - tw : Math.round(c * tw * (1 - OVERLAP));
                int y = r == grid - 1 ? frameHeight - th : Math.round(r * th * (1 - OVERLAP));
                out.add(new int[] {Math.max(0, x), Math.max(0, y), Math.min(tw, frameWidth), Math.min(th, frameHeight)});
            }
        }
        return out;
    }

    /**
     * Runs the whole frame and every tile and merges the boxes.
     *
     * @param bgr      frame, 8-bit BGR
     * @param grid     tiles per side; 1 runs the whole frame only
     * @param detector one pass (e.g. {@link OnnxDetectorOp#detect(Mat, float)})
     * @param max      most boxes returned
     * @return merged boxes in frame pixels, best score first
     * @throws Exception from the detector
     */
    public static List<Candidate> detect(Mat bgr, int grid, Detector detector, int max) throws Exception {
        List<Candidate> all = new ArrayList<>(detector.detect(bgr));
        if (grid <= 1) {
            return all;
        }
        for (int[] t : tiles(bgr.cols(), bgr.rows(), grid)) {
            try (Rect r = new Rect(t[0], t[1], t[2], t[3]); Mat tile = new Mat(bgr, r)) {
                for (Candidate c : detector.detect(tile)) {
                    all.add(new Candidate(c.x0() + t[0], c.y0() + t[1], c.x1() + t[0], c.y1() + t[1], c.cls(), c.score()));
                }
            }
        }
        return merge(all, MERGE_IOS, max);
    }

    /**
     * Greedy per-class suppression on intersection over the smaller box.
     *
     * @param candidates boxes in one coordinate system
     * @param ios        IoS above which the lower-scored box of a class is dropped, in [0, 1]
     * @param max        most boxes kept
     * @return kept boxes, best score first
     */
    public static List<Candidate> merge(List<Candidate> candidates, float ios, int max) {
        return ClassNms.apply(candidates, ios, max, TiledPass::intersectionOverSmaller);
    }

    /** @return area of the intersection over the area of the smaller box, in [0, 1] */
    static float intersectionOverSmaller(Candidate a, Candidate b) {
        float iw = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        float ih = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float small = Math.min((a.x1() - a.x0()) * (a.y1() - a.y0()), (b.x1() - b.x0()) * (b.y1() - b.y0()));
        return small <= 0 ? 0 : iw * ih / small;
    }
}
