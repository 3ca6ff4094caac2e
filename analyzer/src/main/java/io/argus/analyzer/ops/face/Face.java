package io.argus.analyzer.ops.face;

import io.argus.analyzer.op.BoxMath;

/**
 * One decoded BlazeFace detection in normalized model-input coordinates ([0, 1] of the square
 * input tensor, origin top-left).
 *
 * @param xmin      left edge
 * @param ymin      top edge
 * @param xmax      right edge
 * @param ymax      bottom edge
 * @param score     sigmoid score in [0, 1]
 * @param keypoints 6 keypoints as x0, y0, x1, y1, … (right eye, left eye, nose tip, mouth, right
 *                  ear tragion, left ear tragion — MediaPipe's order)
 */
public record Face(float xmin, float ymin, float xmax, float ymax, float score, float[] keypoints) {

    /** @return the box area (0 for degenerate boxes) */
    public float area() {
        return Math.max(0, xmax - xmin) * Math.max(0, ymax - ymin);
    }

    /**
     * @param o another detection
     * @return intersection over union of the two boxes, 0 when either is empty
     */
    public float iou(Face o) {
        return BoxMath.iou(xmin, ymin, xmax, ymax, o.xmin, o.ymin, o.xmax, o.ymax);
    }
}
