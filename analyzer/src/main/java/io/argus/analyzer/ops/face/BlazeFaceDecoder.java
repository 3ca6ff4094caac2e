package io.argus.analyzer.ops.face;

import java.util.List;

/**
 * Turns BlazeFace regressors and logits into detections, as MediaPipe's
 * {@code TensorsToDetectionsCalculator} does
 * ({@code mediapipe/calculators/tensor/tensors_to_detections_calculator.cc}, options from the
 * face_detection back/front graphs: {@code num_coords 16}, {@code box_coord_offset 0},
 * {@code keypoint_coord_offset 4}, {@code num_keypoints 6}, {@code num_values_per_keypoint 2},
 * {@code reverse_output_order true} (x before y), {@code x/y/w/h_scale} = input size,
 * {@code sigmoid_score true}, {@code score_clipping_thresh 100}).
 *
 * <p>For anchor centre (ax, ay) with fixed size 1: {@code cx = r0/scale + ax},
 * {@code cy = r1/scale + ay}, {@code w = r2/scale}, {@code h = r3/scale}, keypoint k at
 * {@code (r[4+2k]/scale + ax, r[5+2k]/scale + ay)}; score = sigmoid(clip(logit, ±100)).
 */
public final class BlazeFaceDecoder {

    /** Values per anchor in the regressor output: 4 box + 6 keypoints × 2. */
    public static final int NUM_COORDS = 16;
    private static final float CLIP = 100f;

    private final float scale;
    private final float minScore;

    /**
     * @param inputSize square input size (the coordinate scale)
     * @param minScore  keep detections scoring at least this
     */
    public BlazeFaceDecoder(int inputSize, float minScore) {
        this.scale = inputSize;
        this.minScore = minScore;
    }

    /**
     * Decodes one anchor group and appends the detections that pass the threshold.
     *
     * @param anchors    the group's anchors
     * @param regressors {@code anchors.count() × 16} values
     * @param logits     {@code anchors.count()} values
     * @param out        where detections go
     */
    public void decode(SsdAnchors.Group anchors, float[] regressors, float[] logits, List<Face> out) {
        float[] c = anchors.centres();
        for (int i = 0; i < anchors.count(); i++) {
            float score = sigmoid(logits[i]);
            if (score < minScore) {
                continue;
            }
            float ax = c[2 * i];
            float ay = c[2 * i + 1];
            int o = i * NUM_COORDS;
            float cx = regressors[o] / scale + ax;
            float cy = regressors[o + 1] / scale + ay;
            float w = regressors[o + 2] / scale;
            float h = regressors[o + 3] / scale;
            float[] kp = new float[12];
            for (int k = 0; k < 6; k++) {
                kp[2 * k] = regressors[o + 4 + 2 * k] / scale + ax;
                kp[2 * k + 1] = regressors[o + 5 + 2 * k] / scale + ay;
            }
            out.add(new Face(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, kp));
        }
    }

    /** @return the logistic function of the clipped logit */
    public static float sigmoid(float logit) {
        float x = Math.max(-CLIP, Math.min(CLIP, logit));
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
