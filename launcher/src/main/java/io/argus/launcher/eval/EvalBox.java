package io.argus.launcher.eval;

import io.argus.schemas.avro.Box;

/**
 * An axis-aligned box in frame pixels, origin top-left, right and bottom edges exclusive (as
 * {@link Box}).
 *
 * @param x0 left, pixels
 * @param y0 top, pixels
 * @param x1 right, pixels, {@code >= x0}
 * @param y1 bottom, pixels, {@code >= y0}
 */
public record EvalBox(double x0, double y0, double x1, double y1) {

    /**
     * @throws IllegalArgumentException when a coordinate is not finite or the box is inverted
     */
    public EvalBox {
        if (!Double.isFinite(x0) || !Double.isFinite(y0) || !Double.isFinite(x1) || !Double.isFinite(y1)
                || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("bad box [" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + "]");
        }
    }

    /**
     * @param bbox COCO {@code bbox}: {@code [x, y, width, height]}, pixels
     * @return the box
     * @throws IllegalArgumentException when the array does not have 4 entries or the size is negative
     */
    public static EvalBox ofCoco(double[] bbox) {
        if (bbox.length != 4) {
            throw new IllegalArgumentException("a COCO bbox has 4 numbers, got " + bbox.length);
        }
        return new EvalBox(bbox[0], bbox[1], bbox[0] + bbox[2], bbox[1] + bbox[3]);
    }

    /**
     * @param box a detection's box
     * @return the same box
     */
    public static EvalBox of(Box box) {
        return new EvalBox(box.getLeft(), box.getTop(), box.getRight(), box.getBottom());
    }

    /** @return area in square pixels */
    public double area() {
        return (x1 - x0) * (y1 - y0);
    }

    /**
     * Intersection over union (Jaccard index), the overlap criterion of PASCAL VOC and COCO.
     *
     * @param o another box
     * @return IoU in [0, 1]; 0 when both are empty
     */
    public double iou(EvalBox o) {
        double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / (area() + o.area() - inter);
    }
}
