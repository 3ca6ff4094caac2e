package io.argus.analyzer.ops.detect;

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
        float iw = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        float ih = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = (x1 - x0) * (y1 - y0) + (o.x1 - o.x0) * (o.y1 - o.y0) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
