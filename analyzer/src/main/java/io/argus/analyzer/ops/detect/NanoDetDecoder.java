package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decodes NanoDet's per-level outputs (RangiLyu/nanodet, the GFL head of NanoDet-m, Li et al.
 * "Generalized Focal Loss", NeurIPS 2020): for every cell of every level (stride 8, 16, 32 on a
 * 416×416 input: 52², 26², 13² cells, row-major), class probabilities {@code [cells, C]} (sigmoid
 * already applied in the graph) and box distributions {@code [cells, 4·(R+1)]}: for the distances
 * to the left, top, right and bottom edges in turn, R+1 logits over 0…R strides (R = 10 here).
 *
 * <p>A distance is the expectation of its softmax distribution times the stride (nanodet's
 * {@code Integral} module); the cell centre is {@code ((x + 0.5)·stride, (y + 0.5)·stride)}
 * (nanodet's {@code get_single_level_center_point}, the same centre vladmandic/human's
 * {@code src/object/nanodet.ts} uses); the box is {@code (cx − l, cy − t, cx + r, cy + b)}. Every
 * class at or above the threshold on a cell is a candidate (nanodet's {@code multiclass_nms});
 * only the {@value #MAX_CANDIDATES} best go on to NMS (nanodet's {@code nms_pre}).
 */
public final class NanoDetDecoder {

    /** Most candidates kept before NMS (nanodet's test config {@code nms_pre: 1000}). */
    public static final int MAX_CANDIDATES = 1000;

    private NanoDetDecoder() {
    }

    /**
     * One level of the head.
     *
     * @param scores {@code cells·C} class probabilities, cell-major
     * @param dists {@code cells·4·(R+1)} distance logits, cell-major, side-major within a cell
     * @param stride input pixels per cell
     * @param width cells per row
     * @param height rows
     */
    public record Level(float[] scores, float[] dists, int stride, int width, int height) {
    }

    /**
     * @param levels the head's levels, any order
     * @param labels the op's labels; model class k is the k-th non-empty label (so COCO's 80
     *     classes map onto {@link CocoLabels#BY_INDEX}, whose index + 1 is the COCO id)
     * @param threshold minimum class probability kept, in [0, 1]
     * @return candidates in model-input pixels, classes indexing {@code labels}
     * @throws IllegalArgumentException when a level's array sizes do not fit its cells and the
     *     number of non-empty labels, or the distribution length is not a multiple of 4
     */
    public static List<Candidate> decode(List<Level> levels, List<String> labels, float threshold) {
        int[] cols = ClassColumns.of(labels);
        int c = cols.length;
        List<Candidate> out = new ArrayList<>();
        for (Level l : levels) {
            int cells = l.width() * l.height();
            if (l.scores().length != cells * c || l.dists().length % (cells * 4) != 0) {
                throw new IllegalArgumentException("NanoDet level stride " + l.stride() + ": " + l.scores().length
                        + " scores and " + l.dists().length + " distribution values for " + cells + " cells and "
                        + c + " classes");
            }
            int bins = l.dists().length / cells / 4;
            for (int i = 0; i < cells; i++) {
                float cx = (i % l.width() + 0.5f) * l.stride();
                float cy = (i / l.width() + 0.5f) * l.stride();
                float[] d = null;
                for (int j = 0; j < c; j++) {
                    float s = l.scores()[i * c + j];
                    if (s < threshold) {
                        continue;
                    }
                    if (d == null) {
                        d = distances(l.dists(), i * 4 * bins, bins, l.stride());
                    }
                    out.add(new Candidate(cx - d[0], cy - d[1], cx + d[2], cy + d[3], cols[j], s));
                }
            }
        }
        if (out.size() > MAX_CANDIDATES) {
            out.sort(Comparator.comparingDouble(Candidate::score).reversed());
            return new ArrayList<>(out.subList(0, MAX_CANDIDATES));
        }
        return out;
    }

    /**
     * @return the four distances (left, top, right, bottom) in pixels: for each side, the
     *     expectation of softmax over {@code bins} logits starting at {@code off}, times the stride
     */
    static float[] distances(float[] logits, int off, int bins, int stride) {
        float[] d = new float[4];
        for (int side = 0; side < 4; side++) {
            int base = off + side * bins;
            float max = Float.NEGATIVE_INFINITY;
            for (int b = 0; b < bins; b++) {
                max = Math.max(max, logits[base + b]);
            }
            double sum = 0;
            double mean = 0;
            for (int b = 0; b < bins; b++) {
                double e = Math.exp(logits[base + b] - max);
                sum += e;
                mean += e * b;
            }
            d[side] = (float) (mean / sum * stride);
        }
        return d;
    }
}
