package io.argus.analyzer.ops.detect;

import io.argus.analyzer.op.BoxMath;

/**
 * A detected box before or after NMS.
 *
 * @param x0 left, in the coordinate system of the stage that made it (model input pixels or frame
 *     pixels)
 * @param y0 top
 * @param x1 right (exclusive edge)
 * @param y1 bottom
 * @param cls class index into the op's label list
 * @param score confidence in [0, 1]
 */
public record Candidate(float x0, float y0, float x1, float y1, int cls, float score) {

    /** @return intersection over union with another box (0 when either is empty) */
    public float iou(Candidate o) {
        return BoxMath.iou(x0, y0, x1, y1, o.x0, o.y0, o.x1, o.y1);
    }
}
