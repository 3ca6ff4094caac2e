package io.argus.schemas.ops;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One param an op reads from its job's {@code ops[].params}: its name, JSON type, accepted range
 * and meaning. Ops declare theirs (the analyzer's {@code OpProvider.params()}); the edge refuses a
 * job whose param does not fit ({@link #problem(JsonNode)}) with 400 "invalid parameters" before
 * any frame is sampled, and lists them at {@code GET /v1/ops}.
 *
 * <p>A JSON null counts as absent (the op's default). Ranges are inclusive; out-of-range values are
 * refused, never clamped.
 *
 * @param name        the key in {@code ops[].params}
 * @param type        its JSON type
 * @param min         smallest accepted value (number, integer), or null for no lower bound
 * @param max         largest accepted value (number, integer), or null for no upper bound
 * @param values      the accepted strings of an {@link Type#ENUM}, empty for other types
 * @param description what it does, its unit and default, for people
 */
public record OpParam(String name, Type type, Double min, Double max, List<String> values, String description) {

    /** JSON types of a param. */
    public enum Type {
        /** Any JSON number. */
        NUMBER,
        /** A JSON number with no fractional part ({@code 25} or {@code 25.0}). */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** Any JSON string. */
        STRING,
        /** One of {@link OpParam#values()}, a JSON string. */
        ENUM;

        /** @return the type's name as {@code GET /v1/ops} shows it: number, integer, boolean, string, enum */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @throws NullPointerException     when name, type or description is null
     * @throws IllegalArgumentException when the name is blank, min is above max, bounds are given to a
     *                                  type without order, or an enum has no values
     */
    public OpParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        values = values == null ? List.of() : List.copyOf(values);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a param needs a name");
        }
        boolean ordered = type == Type.NUMBER || type == Type.INTEGER;
        if (!ordered && (min != null || max != null)) {
            throw new IllegalArgumentException("param " + name + ": only numbers and integers have bounds");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("param " + name + ": min " + min + " is above max " + max);
        }
        if ((type == Type.ENUM) == values.isEmpty()) {
            throw new IllegalArgumentException("param " + name + ": an enum lists its values, other types none");
        }
    }

    /**
     * @param name        the key
     * @param min         smallest accepted value, inclusive, or null
     * @param max         largest accepted value, inclusive, or null
     * @param description meaning, unit and default
     * @return a number param
     */
    public static OpParam number(String name, Double min, Double max, String description) {
        return new OpParam(name, Type.NUMBER, min, max, List.of(), description);
    }

    /**
     * @param name        the key
     * @param min         smallest accepted value, inclusive, or null
     * @param max         largest accepted value, inclusive, or null
     * @param description meaning, unit and default
     * @return an integer param
     */
    public static OpParam integer(String name, Long min, Long max, String description) {
        return new OpParam(name, Type.INTEGER, min == null ? null : min.doubleValue(),
                max == null ? null : max.doubleValue(), List.of(), description);
    }

    /**
     * @param name        the key
     * @param description meaning and default
     * @return a boolean param
     */
    public static OpParam bool(String name, String description) {
        return new OpParam(name, Type.BOOLEAN, null, null, List.of(), description);
    }

    /**
     * @param name        the key
     * @param description meaning and default
     * @return a string param
     */
    public static OpParam string(String name, String description) {
        return new OpParam(name, Type.STRING, null, null, List.of(), description);
    }

    /**
     * @param name        the key
     * @param values      the accepted strings
     * @param description meaning and default
     * @return an enum param
     */
    public static OpParam oneOf(String name, List<String> values, String description) {
        return new OpParam(name, Type.ENUM, null, null, values, description);
    }

    /**
     * @return what a value must be, completing "… must be ": e.g. "a number in [0, 1]", "an integer
     *         in [1, 254]", "a number >= 0", "a boolean", "one of a, b"
     */
    public String expectation() {
        return switch (type) {
            case NUMBER -> "a number" + range();
            case INTEGER -> "an integer" + range();
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case ENUM -> "one of " + String.join(", ", values);
        };
    }

    /**
     * @param value the value sent, not null (JSON null is absent, and accepted)
     * @return null when the value fits, else what it must be ({@link #expectation()})
     */
    public String problem(JsonNode value) {
        boolean fits = switch (type) {
            case NUMBER -> value.isNumber() && inRange(value.doubleValue());
            case INTEGER -> value.isNumber() && isWhole(value) && inRange(value.doubleValue());
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
            case ENUM -> value.isTextual() && values.contains(value.textValue());
        };
        return value.isNull() || fits ? null : expectation();
    }

    private static boolean isWhole(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        double d = value.doubleValue();
        return !Double.isInfinite(d) && d == Math.rint(d);
    }

    private boolean inRange(double v) {
        return !Double.isNaN(v) && (min == null || v >= min) && (max == null || v <= max);
    }

    private String range() {
        if (min != null && max != null) {
            return " in [" + text(min) + ", " + text(max) + "]";
        }
        if (min != null) {
            return " >= " + text(min);
        }
        return max != null ? " <= " + text(max) : "";
    }

    private static String text(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
