package io.argus.analyzer.ops.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted non-maximum suppression as in MediaPipe's {@code NonMaxSuppressionCalculator}
 * ({@code mediapipe/calculators/util/non_max_suppression_calculator.cc}, {@code algorithm: WEIGHTED},
 * {@code overlap_type: INTERSECTION_OVER_UNION}, {@code min_suppression_threshold: 0.3} in the face
 * detection graphs): detections are taken by descending score; each one absorbs every remaining
 * detection whose IoU with it exceeds the threshold, and its box and keypoints become the
 * score-weighted mean of the absorbed group (itself included). The score stays the top one's.
 */
public final class WeightedNms {

    private WeightedNms() {
    }

    /**
     * @param faces        candidates (not modified)
     * @param iouThreshold overlap above which candidates merge
     * @return merged detections, best score first
     */
    public static List<Face> apply(List<Face> faces, float iouThreshold) {
        List<Face> remaining = new ArrayList<>(faces);
        remaining.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Face top = remaining.get(0);
            List<Face> group = new ArrayList<>();
            List<Face> rest = new ArrayList<>();
            for (Face f : remaining) {
                if (f == top || top.iou(f) > iouThreshold) {
                    group.add(f);
                } else {
                    rest.add(f);
                }
            }
            float total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            float[] kp = new float[top.keypoints().length];
            for (Face f : group) {
                float s = f.score();
                total += s;
                x0 += f.xmin() * s;
                y0 += f.ymin() * s;
                x1 += f.xmax() * s;
                y1 += f.ymax() * s;
                for (int k = 0; k < kp.length; k++) {
                    kp[k] += f.keypoints()[k] * s;
                }
            }
            for (int k = 0; k < kp.length; k++) {
                kp[k] /= total;
            }
            out.add(new Face(x0 / total, y0 / total, x1 / total, y1 / total, top.score(), kp));
            remaining = rest;
        }
        return out;
    }
}
