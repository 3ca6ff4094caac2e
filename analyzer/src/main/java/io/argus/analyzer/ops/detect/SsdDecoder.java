package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the two outputs of an SSD-style detector whose graph already decodes boxes against its
 * anchors (TF Object Detection API exports, and Argus's ONNX conversion of TF.js coco-ssd):
 * per-anchor class probabilities {@code [1, N, C]} and boxes {@code [1, N, 4]} or
 * {@code [1, N, 1, 4]}, normalised to [0, 1] of the model input, in TF order
 * {@code (ymin, xmin, ymax, xmax)} or, when configured, {@code (xmin, ymin, xmax, ymax)}.
 *
 * <p>As in {@code tfjs-models/coco-ssd/src/index.ts} ({@code calculateMaxScores}), each anchor
 * keeps its best class; classes with an empty label (unused COCO ids, a background column) are
 * skipped. Anchors below the threshold are dropped. NMS is left to {@link ClassNms}.
 */
public final class SsdDecoder {

    private SsdDecoder() {
    }

    /**
     * @param scores {@code n·c} probabilities in [0, 1], anchor-major
     * @param boxes {@code n·4} normalised coordinates, anchor-major
     * @param n anchors
     * @param labels one per score column ({@code c = labels.size()}); empty = ignored column
     * @param threshold minimum score kept
     * @param yxyx true for TF order (ymin, xmin, ymax, xmax), false for (xmin, ymin, xmax, ymax)
     * @param inW model input width in pixels
     * @param inH model input height in pixels
     * @return candidates in model-input pixels
     * @throws IllegalArgumentException when the array sizes do not match n and the labels
     */
    public static List<Candidate> decode(float[] scores, float[] boxes, int n, List<String> labels, float threshold,
                                         boolean yxyx, int inW, int inH) {
        int c = labels.size();
        if (scores.length != n * c || boxes.length != n * 4) {
            throw new IllegalArgumentException("SSD outputs: " + scores.length + " scores and " + boxes.length
                    + " box values for " + n + " anchors and " + c + " labels");
        }
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int best = -1;
            float bestScore = threshold;
            for (int j = 0; j < c; j++) {
                float s = scores[i * c + j];
                if (s >= bestScore && !labels.get(j).isEmpty()) {
                    best = j;
                    bestScore = s;
                }
            }
            if (best < 0) {
                continue;
            }
            float a = boxes[4 * i];
            float b = boxes[4 * i + 1];
            float d = boxes[4 * i + 2];
            float e = boxes[4 * i + 3];
            float x0 = yxyx ? b : a;
            float y0 = yxyx ? a : b;
            float x1 = yxyx ? e : d;
            float y1 = yxyx ? d : e;
            out.add(new Candidate(x0 * inW, y0 * inH, x1 * inW, y1 * inH, best, bestScore));
        }
        return out;
    }
}
