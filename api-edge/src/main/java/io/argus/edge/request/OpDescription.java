package io.argus.edge.request;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.ops.OpParam;

/**
 * What the edge knows of one op a job may name: the labels it can produce ({@code GET /v1/ops})
 * and the params it reads from {@code ops[].params}, against which {@link JobRequestParser} checks
 * a job before accepting it.
 *
 * @param name               the op name ({@code ops[].op})
 * @param labels             the labels it can produce
 * @param params             the op-specific params it declares, in a fixed order (the keys every
 *                           op has, {@link #GENERIC_PARAMS}, are not among them)
 * @param acceptsOtherParams true when any other key of {@code ops[].params} is let through unchecked
 *                           (an op taking free-form params, or one whose params are not known here)
 */
public record OpDescription(String name, List<String> labels, List<OpParam> params, boolean acceptsOtherParams) {

    /**
     * Keys of {@code ops[].params} every op has, read by the pipeline itself
     * ({@code argus-video-api.md}, POST /v1/video): label rules, stop rule, empty frames.
     */
    public static final List<String> GENERIC_PARAMS = List.of("labels", "terminate", "ignore_empty_labels");

    /**
     * @throws NullPointerException     when a field, label or param is null
     * @throws IllegalArgumentException when two params share a name or one is a {@link #GENERIC_PARAMS} key
     */
    public OpDescription {
        Objects.requireNonNull(name, "name");
        labels = List.copyOf(labels);
        params = List.copyOf(params);
        Set<String> seen = new HashSet<>(GENERIC_PARAMS);
        for (OpParam p : params) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("op " + name + ": param " + p.name()
                        + " is declared twice or is one of " + GENERIC_PARAMS);
            }
        }
    }

    /**
     * @param name an op name
     * @return an op known by name only: no labels, any params accepted
     */
    public static OpDescription named(String name) {
        return new OpDescription(name, List.of(), List.of(), true);
    }

    /**
     * @param key a key of {@code ops[].params}
     * @return its declaration, or empty when the op does not declare it
     */
    public Optional<OpParam> param(String key) {
        return params.stream().filter(p -> p.name().equals(key)).findFirst();
    }

    /**
     * Adds the op's params to its entry of {@code GET /v1/ops}: {@code "params": [{"name": "threshold",
     * "type": "number", "min": 0.0, "max": 1.0, "description": "…"}, …]} ({@code min} and
     * {@code max} only when bounded, {@code values} only for an enum), and
     * {@code "other_params": true} when any other key is accepted too.
     *
     * @param entry the op's JSON object
     */
    public void describeParams(ObjectNode entry) {
        ArrayNode list = entry.putArray("params");
        for (OpParam p : params) {
            ObjectNode o = list.addObject();
            o.put("name", p.name());
            o.put("type", p.type().jsonName());
            if (p.min() != null) {
                o.put("min", p.min());
            }
            if (p.max() != null) {
                o.put("max", p.max());
            }
            if (!p.values().isEmpty()) {
                p.values().forEach(o.putArray("values")::add);
            }
            o.put("description", p.description());
        }
        if (acceptsOtherParams) {
            entry.put("other_params", true);
        }
    }

    /** @return the keys {@code ops[].params} may hold: {@link #GENERIC_PARAMS} then the declared params */
    public List<String> acceptedKeys() {
        return java.util.stream.Stream.concat(GENERIC_PARAMS.stream(), params.stream().map(OpParam::name)).toList();
    }
}
