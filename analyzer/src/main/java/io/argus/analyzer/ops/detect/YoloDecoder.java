package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the single output of a YOLO-style detector: per candidate {@code (cx, cy, w, h)} in
 * model-input pixels, then, for YOLOv5-style heads, an objectness probability, then {@code C}
 * class probabilities. The tensor is {@code [1, N, 4+C]} / {@code [1, N, 5+C]} (one row per
 * candidate, YOLOv5 export) or the transposed {@code [1, 4+C, N]} / {@code [1, 5+C, N]}
 * (YOLOv8 export); the layout is recognised from which axis has length 4+C or 5+C (rows win a
 * tie). Score = objectness × best class probability (or the best class probability without
 * objectness), as in Ultralytics {@code non_max_suppression}; the box becomes
 * {@code (cx − w/2, cy − h/2, cx + w/2, cy + h/2)}.
 */
public final class YoloDecoder {

    private YoloDecoder() {
    }

    /**
     * @param data the output, row-major
     * @param shape its shape ({@code [1, A, B]} or {@code [A, B]})
     * @param labels class labels ({@code C = labels.size()}); empty = ignored class
     * @param threshold minimum score kept
     * @return candidates in model-input pixels
     * @throws IllegalArgumentException when no axis has length 4+C or 5+C
     */
    public static List<Candidate> decode(float[] data, long[] shape, List<String> labels, float threshold) {
        int c = labels.size();
        long[] s = shape.length == 3 && shape[0] == 1 ? new long[] {shape[1], shape[2]} : shape;
        if (s.length != 2) {
            throw new IllegalArgumentException("YOLO output must be [1, N, K] or [1, K, N], got " + Arrays.toString(shape));
        }
        int a = (int) s[0];
        int b = (int) s[1];
        boolean rows;
        int k;
        if (b == 4 + c || b == 5 + c) {
            rows = true;
            k = b;
        } else if (a == 4 + c || a == 5 + c) {
            rows = false;
            k = a;
        } else {
            throw new IllegalArgumentException("YOLO output " + Arrays.toString(shape) + " has no axis of length "
                    + (4 + c) + " or " + (5 + c) + " for " + c + " labels");
        }
        int n = rows ? a : b;
        boolean objectness = k == 5 + c;
        int first = objectness ? 5 : 4;
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int row = i;
            java.util.function.IntToDoubleFunction at = j -> rows ? data[row * k + j] : data[j * n + row];
            float obj = objectness ? (float) at.applyAsDouble(4) : 1f;
            if (obj < threshold) {
                continue;
            }
            int best = -1;
            float bestScore = threshold;
            for (int j = 0; j < c; j++) {
                float score = obj * (float) at.applyAsDouble(first + j);
                if (score >= bestScore && !labels.get(j).isEmpty()) {
                    best = j;
                    bestScore = score;
                }
            }
            if (best < 0) {
                continue;
            }
            float cx = (float) at.applyAsDouble(0);
            float cy = (float) at.applyAsDouble(1);
            float w = (float) at.applyAsDouble(2);
            float h = (float) at.applyAsDouble(3);
            out.add(new Candidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, bestScore));
        }
        return out;
    }
}
