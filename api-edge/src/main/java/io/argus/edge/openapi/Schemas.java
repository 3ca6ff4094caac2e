package io.argus.edge.openapi;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;

/**
 * JSON Schemas (the 2020-12 dialect of OpenAPI 3.1) for parameters and bodies of the edge's routes,
 * and the error shape every Argus route answers with.
 */
public final class Schemas {

    /** Name of the {@link #error()} schema in {@code components.schemas}. */
    public static final String ERROR = "Error";

    private Schemas() {
    }

    /** @return {@code {"type": "string"}} */
    public static Schema<?> string() {
        return typed("string");
    }

    /**
     * @param values the accepted values
     * @return {@code {"type": "string", "enum": values}}
     */
    public static Schema<?> oneOf(List<String> values) {
        Schema<Object> s = new JsonSchema().types(types("string"));
        s.setEnum(List.copyOf(values));
        return s;
    }

    /**
     * @param min smallest accepted value
     * @param max largest accepted value
     * @return {@code {"type": "integer", "minimum": min, "maximum": max}}
     */
    public static Schema<?> integer(long min, long max) {
        return typed("integer").minimum(BigDecimal.valueOf(min)).maximum(BigDecimal.valueOf(max));
    }

    /** @return {@code {"type": "integer"}} */
    public static Schema<?> integer() {
        return typed("integer");
    }

    /**
     * The error of every Argus route: {@code {"error": message}}, with {@code "detail"} where a
     * human explanation helps and {@code "job"} on the answers of a synchronous job.
     *
     * @return the schema, registered as {@value #ERROR}
     */
    public static Schema<?> error() {
        return typed("object")
                .addProperty("error", string().description("short message, e.g. \"job not found\""))
                .addProperty("detail", string().description("human explanation, when it helps"))
                .addProperty("job", string().description("the job id, on the answers of a synchronous job"))
                .required(List.of("error"));
    }

    /**
     * @param name a component name
     * @return {@code {"$ref": "#/components/schemas/name"}}
     */
    public static Schema<?> ref(String name) {
        return new JsonSchema().$ref("#/components/schemas/" + name);
    }

    /**
     * @param type a JSON Schema type name (object, string, integer, …)
     * @return a schema of that one type
     */
    public static Schema<?> typed(String type) {
        return new JsonSchema().types(types(type));
    }

    private static Set<String> types(String type) {
        Set<String> t = new LinkedHashSet<>();
        t.add(type);
        return t;
    }
}
