package io.argus.media.render;

import java.util.List;
import java.util.Objects;

/**
 * A counting line to draw: a named polyline in normalised frame coordinates (0 to 1 from the
 * left and top edges), as the traffic API's {@code lines} give them (issue "Objects over time").
 *
 * @param name   name drawn next to the line's first point
 * @param points the polyline's points, each {@code {x, y}} in [0, 1], at least two
 * @param rgb    colour 0xRRGGBB
 */
public record CountingLine(String name, List<double[]> points, int rgb) {

    /** Default colour of counting lines, yellow. */
    public static final int YELLOW = 0xFFD000;

    /** @throws IllegalArgumentException for fewer than two points or a coordinate outside [0, 1] */
    public CountingLine {
        Objects.requireNonNull(name, "name");
        points = List.copyOf(points);
        if (points.size() < 2) {
            throw new IllegalArgumentException("a line needs at least two points: " + name);
        }
        for (double[] p : points) {
            if (p.length != 2 || !(p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1)) {
                throw new IllegalArgumentException("line " + name + ": points are {x, y} in [0, 1]");
            }
        }
    }
}
