package io.argus.aggregator.counting;

/**
 * A point in normalised frame coordinates: (0, 0) the top-left corner, (1, 1) the bottom-right,
 * x to the right, y down.
 *
 * @param x fraction of the frame width, [0, 1]
 * @param y fraction of the frame height, [0, 1]
 */
public record NormPoint(double x, double y) {

    /** @throws IllegalArgumentException when a coordinate is outside [0, 1] */
    public NormPoint {
        if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
            throw new IllegalArgumentException("line points are in [0, 1]: (" + x + ", " + y + ")");
        }
    }
}
