package io.argus.aggregator.tracking;

/**
 * An axis-aligned box in pixels of the sampled frame, origin top-left, as the detector's Avro
 * {@code Box} (left, top, right, bottom; x1, y1, x2, y2), here in doubles because the tracker's
 * filtered boxes are not whole pixels.
 *
 * @param left   x of the left edge, px
 * @param top    y of the top edge, px
 * @param right  x of the right edge, px; at least {@code left}
 * @param bottom y of the bottom edge, px; at least {@code top}
 */
public record Box(double left, double top, double right, double bottom) {

    /**
     * @throws IllegalArgumentException when a coordinate is not finite or the box is inverted
     */
    public Box {
        if (!Double.isFinite(left) || !Double.isFinite(top) || !Double.isFinite(right) || !Double.isFinite(bottom)) {
            throw new IllegalArgumentException("box coordinates must be finite: " + left + "," + top + "," + right + "," + bottom);
        }
        if (right < left || bottom < top) {
            throw new IllegalArgumentException("box is inverted: " + left + "," + top + "," + right + "," + bottom);
        }
    }

    /**
     * A box from its centre, aspect and height, the Kalman filter's measurement space.
     *
     * @param cx     centre x, px
     * @param cy     centre y, px
     * @param aspect width / height
     * @param height height, px; negative values are taken as 0
     * @return the box
     */
    public static Box fromXyah(double cx, double cy, double aspect, double height) {
        double h = Math.max(0, height);
        double w = Math.max(0, aspect * h);
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    /** @return width, px */
    public double width() {
        return right - left;
    }

    /** @return height, px */
    public double height() {
        return bottom - top;
    }

    /** @return x of the centre, px */
    public double centreX() {
        return (left + right) / 2;
    }

    /** @return y of the centre, px */
    public double centreY() {
        return (top + bottom) / 2;
    }

    /** @return area, px² */
    public double area() {
        return width() * height();
    }

    /**
     * @return {@code {cx, cy, aspect, height}}; aspect = width / height, 0 for a box of no height
     */
    public double[] toXyah() {
        double h = height();
        return new double[] {centreX(), centreY(), h > 0 ? width() / h : 0, h};
    }

    /**
     * Intersection over union.
     *
     * @param other another box
     * @return IoU in [0, 1]; 0 when both boxes are empty
     */
    public double iou(Box other) {
        double iw = Math.min(right, other.right) - Math.max(left, other.left);
        double ih = Math.min(bottom, other.bottom) - Math.max(top, other.top);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = area() + other.area() - inter;
        return union > 0 ? inter / union : 0;
    }
}
