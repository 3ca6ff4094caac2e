package io.argus.analyzer.op;

import io.argus.schemas.avro.Box;

/** Geometry of axis-aligned boxes given by their edges (left, top, right, bottom), in pixels. */
public final class BoxMath {

    private BoxMath() {
    }

    /**
     * Intersection over union (Jaccard index) of two boxes; right and bottom are exclusive edges.
     *
     * @return IoU in [0, 1]; 0 when the boxes do not overlap or either is empty
     */
    public static float iou(float ax0, float ay0, float ax1, float ay1, float bx0, float by0, float bx1, float by1) {
        float iw = Math.min(ax1, bx1) - Math.max(ax0, bx0);
        float ih = Math.min(ay1, by1) - Math.max(ay0, by0);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = Math.max(0, ax1 - ax0) * Math.max(0, ay1 - ay0) + Math.max(0, bx1 - bx0) * Math.max(0, by1 - by0)
                - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * @param a a box in pixels
     * @param b another box in pixels
     * @return their intersection over union, as {@link #iou(float, float, float, float, float, float, float, float)}
     */
    public static float iou(Box a, Box b) {
        return iou(a.getLeft(), a.getTop(), a.getRight(), a.getBottom(), b.getLeft(), b.getTop(), b.getRight(),
                b.getBottom());
    }
}
