package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JsonFields.excerpt;
import static io.argus.edge.request.JsonFields.integral;
import static io.argus.edge.request.JsonFields.number;
import static io.argus.edge.request.JsonFields.onlyFields;
import static io.argus.edge.request.JsonFields.string;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.CountLine;
import io.argus.schemas.avro.LinePoint;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.TrackingSpec;

/**
 * Reads {@code params.tracking} of a job request into a {@link TrackingSpec}: track the objects one of
 * the job's ops detects and count them (README "Tracking and counting"). Pure; thread-safe.
 *
 * <pre>
 * "tracking": {"op": "detection",                 required: one of the job's ops
 *              "classes": ["person", "car"],       labels tracked; absent or empty: all
 *              "lines": [{"name": "door",          1 to 64 characters, no control characters, unique
 *                         "points": [[0, 0.5], [1, 0.5]],   2 to 32 points [x, y] (or {"x", "y"}) in [0, 1],
 *                                                            consecutive points distinct
 *                         "direction": "both"}],   in, out or both (default); at most 16 lines
 *              "interval_ms": 60000,               reporting interval, ms, 1 to 86 400 000
 *              "min_travel": 0.2,                  a pass: fraction of the frame diagonal, (0, 1]
 *              "min_dwell_ms": 500,                time on the new side before a crossing counts, 0 to 60 000
 *              "lost_ttl_ms": 1000}                how long a lost track is kept, 0 to 600 000; absent:
 *                                                  max(1000, 3 x vframe.interval)
 * </pre>
 * Every error is 400 "invalid parameters" with a detail naming the field, e.g.
 * {@code "params.tracking.lines[0].points[1] must be [x, y] with x and y in [0, 1], was [1.5,0]"}.
 */
public final class TrackingParser {

    /** Fields of {@code params.tracking}. */
    static final List<String> FIELDS = List.of("op", "classes", "lines", "interval_ms", "min_travel", "min_dwell_ms",
            "lost_ttl_ms");
    /** Fields of one line. */
    static final List<String> LINE_FIELDS = List.of("name", "points", "direction");
    /** Most lines a job may count. */
    static final int MAX_LINES = 16;
    /** Most points of one line. */
    static final int MAX_POINTS = 32;
    /** Longest line name, characters. */
    static final int MAX_NAME = 64;
    /** Most classes. */
    static final int MAX_CLASSES = 100;
    /** Default reporting interval, ms. */
    static final long DEFAULT_INTERVAL_MS = 60_000;
    /** Longest reporting interval, ms (a day). */
    static final long MAX_INTERVAL_MS = 86_400_000;
    /** Default pass distance, fraction of the frame diagonal. */
    static final double DEFAULT_MIN_TRAVEL = 0.2;
    /** Default time on the new side of a line before a crossing counts, ms. */
    static final long DEFAULT_MIN_DWELL_MS = 500;
    /** Longest dwell time, ms. */
    static final long MAX_DWELL_MS = 60_000;
    /** Longest lost time, ms. */
    static final long MAX_LOST_TTL_MS = 600_000;

    private TrackingParser() {
    }

    /**
     * @param tracking the {@code params.tracking} object, or null when absent
     * @param ops      the job's ops
     * @return the tracking request, defaults filled; null when {@code tracking} is null
     * @throws ApiException (400 "invalid parameters") as the class comment says
     */
    static TrackingSpec parse(ObjectNode tracking, List<OpSpec> ops) {
        if (tracking == null) {
            return null;
        }
        String path = "params.tracking";
        onlyFields(tracking, path, FIELDS);
        String op = string(tracking, "op", path + ".op");
        List<String> names = ops.stream().map(OpSpec::getOp).toList();
        if (op == null || !names.contains(op)) {
            throw badRequest(INVALID_PARAMETERS, path + ".op must name one of the job's ops (" + String.join(", ", names)
                    + ")" + (op == null ? "" : ", was \"" + op + "\""));
        }
        List<String> classes = classes(tracking.get("classes"), path + ".classes");
        List<CountLine> lines = lines(tracking.get("lines"), path + ".lines");
        long interval = range(integral(tracking, "interval_ms", path + ".interval_ms"), DEFAULT_INTERVAL_MS, 1,
                MAX_INTERVAL_MS, path + ".interval_ms");
        Double travel = number(tracking, "min_travel", path + ".min_travel");
        if (travel != null && !(travel > 0 && travel <= 1)) {
            throw badRequest(INVALID_PARAMETERS, path + ".min_travel must be a fraction of the frame diagonal in (0, 1], was "
                    + travel);
        }
        long dwell = range(integral(tracking, "min_dwell_ms", path + ".min_dwell_ms"), DEFAULT_MIN_DWELL_MS, 0,
                MAX_DWELL_MS, path + ".min_dwell_ms");
        Long lost = integral(tracking, "lost_ttl_ms", path + ".lost_ttl_ms");
        if (lost != null) {
            range(lost, 0, 0, MAX_LOST_TTL_MS, path + ".lost_ttl_ms");
        }
        return TrackingSpec.newBuilder()
                .setOp(op)
                .setClasses(classes)
                .setLines(lines)
                .setIntervalMs(interval)
                .setMinTravel(travel == null ? DEFAULT_MIN_TRAVEL : travel)
                .setMinDwellMs(dwell)
                .setLostTtlMs(lost)
                .build();
    }

    private static long range(Long value, long fallback, long min, long max, String path) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an integer in [" + min + ", " + max + "] ms, was "
                    + value);
        }
        return value;
    }

    private static List<String> classes(JsonNode node, String path) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > MAX_CLASSES) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an array of at most " + MAX_CLASSES + " labels");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode c = node.get(i);
            if (!c.isTextual() || c.textValue().isBlank()) {
                throw badRequest(INVALID_PARAMETERS, path + "[" + i + "] must be a non-empty label, was " + excerpt(c));
            }
            if (!out.contains(c.textValue())) {
                out.add(c.textValue());
            }
        }
        return out;
    }

    /**
     * Reads counting lines as {@code params.tracking.lines} takes them (the recount reads them too).
     *
     * @param node the lines array, or null
     * @param path how errors name it, e.g. {@code lines}
     * @return the lines (empty for null)
     * @throws ApiException 400 "invalid parameters" naming the bad field
     */
    public static List<CountLine> countLines(JsonNode node, String path) {
        return lines(node, path);
    }

    private static List<CountLine> lines(JsonNode node, String path) {
        List<CountLine> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an array of lines");
        }
        if (node.size() > MAX_LINES) {
            throw badRequest(INVALID_PARAMETERS, path + " may have at most " + MAX_LINES + " lines, has " + node.size());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode l = node.get(i);
            if (!l.isObject()) {
                throw badRequest(INVALID_PARAMETERS, at + " must be an object {name, points, direction}");
            }
            onlyFields(l, at, LINE_FIELDS);
            String name = string(l, "name", at + ".name");
            if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw badRequest(INVALID_PARAMETERS, at + ".name must be 1 to " + MAX_NAME
                        + " characters without control characters");
            }
            if (!names.add(name)) {
                throw badRequest(INVALID_PARAMETERS, at + ".name \"" + name + "\" is used by another line");
            }
            String direction = string(l, "direction", at + ".direction");
            if (direction == null) {
                direction = "both";
            }
            if (!List.of("in", "out", "both").contains(direction)) {
                throw badRequest(INVALID_PARAMETERS, at + ".direction must be in, out or both, was \"" + direction + "\"");
            }
            out.add(CountLine.newBuilder().setName(name).setPoints(points(l.get("points"), at + ".points"))
                    .setDirection(direction).build());
        }
        return out;
    }

    private static List<LinePoint> points(JsonNode node, String path) {
        if (node == null || node.isNull() || !node.isArray() || node.size() < 2 || node.size() > MAX_POINTS) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an array of 2 to " + MAX_POINTS
                    + " points [x, y] in normalised frame coordinates [0, 1]");
        }
        List<LinePoint> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            JsonNode x = p.isArray() && p.size() == 2 ? p.get(0) : p.isObject() && p.size() == 2 ? p.get("x") : null;
            JsonNode y = p.isArray() && p.size() == 2 ? p.get(1) : p.isObject() && p.size() == 2 ? p.get("y") : null;
            if (x == null || y == null || !x.isNumber() || !y.isNumber() || !unit(x.doubleValue()) || !unit(y.doubleValue())) {
                throw badRequest(INVALID_PARAMETERS, path + "[" + i + "] must be [x, y] with x and y in [0, 1], was "
                        + excerpt(p));
            }
            LinePoint point = new LinePoint(x.doubleValue(), y.doubleValue());
            if (!out.isEmpty() && out.get(out.size() - 1).equals(point)) {
                throw badRequest(INVALID_PARAMETERS, path + "[" + i + "] repeats the point before it");
            }
            out.add(point);
        }
        return out;
    }

    private static boolean unit(double v) {
        return v >= 0 && v <= 1;
    }
}
