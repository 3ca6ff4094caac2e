package io.argus.aggregator.counting;

import java.util.List;

/**
 * A named counting line: a polyline in normalised frame coordinates, drawn from its first point to
 * its last. Its direction gives the sense of a crossing, as seen on the screen (y down):
 * <ul>
 *   <li>{@code in}: the anchor goes from the left-hand side to the right-hand side of the segment it
 *       crosses, for someone walking along the line from its first point towards its last;</li>
 *   <li>{@code out}: from the right-hand side to the left-hand side.</li>
 * </ul>
 * So a horizontal line drawn left to right, {@code (0, 0.5) -> (1, 0.5)}, counts objects moving
 * down the image as {@code in} and up as {@code out}; a vertical line drawn top to bottom,
 * {@code (0.5, 0) -> (0.5, 1)}, counts objects moving from the right half to the left half as
 * {@code in}. A point exactly on the line is on its right-hand side. Only crossings between the
 * line's ends count; an object passing beyond an end does not cross.
 *
 * @param name   the line's name, not blank; events and counts carry it
 * @param points at least two points, consecutive points distinct
 */
public record CountingLine(String name, List<NormPoint> points) {

    /** @throws IllegalArgumentException when the name is blank or the points are too few or repeat */
    public CountingLine {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a counting line needs a name");
        }
        if (points == null || points.size() < 2) {
            throw new IllegalArgumentException("line " + name + " needs at least two points");
        }
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).equals(points.get(i - 1))) {
                throw new IllegalArgumentException("line " + name + " repeats point " + i);
            }
        }
    }

    /**
     * Which way the anchor crossed the line moving from {@code (px, py)} to {@code (qx, qy)}, all
     * normalised: the crossings of each segment summed, {@code in} as +1 and {@code out} as -1.
     *
     * @return +1 ({@code in}), -1 ({@code out}) or 0 (no crossing, or crossings that cancel out)
     */
    public int crossing(double px, double py, double qx, double qy) {
        int net = 0;
        for (int i = 1; i < points.size(); i++) {
            NormPoint a = points.get(i - 1);
            NormPoint b = points.get(i);
            double dx = b.x() - a.x();
            double dy = b.y() - a.y();
            boolean leftP = dx * (py - a.y()) - dy * (px - a.x()) < 0;
            boolean leftQ = dx * (qy - a.y()) - dy * (qx - a.x()) < 0;
            if (leftP == leftQ) {
                continue;
            }
            // The move changes sides of the segment's line; it crosses the segment itself when the
            // segment's ends are not on the same side of the move.
            double mx = qx - px;
            double my = qy - py;
            double oa = mx * (a.y() - py) - my * (a.x() - px);
            double ob = mx * (b.y() - py) - my * (b.x() - px);
            if ((oa <= 0 && ob >= 0) || (oa >= 0 && ob <= 0)) {
                net += leftP ? 1 : -1;
            }
        }
        return Integer.signum(net);
    }
}
