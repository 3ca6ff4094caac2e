package io.argus.edge.request;

import static io.argus.edge.request.ApiException.BAD_OP;
import static io.argus.edge.request.ApiException.EMPTY_OP;
import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JsonFields.bool;
import static io.argus.edge.request.JsonFields.compact;
import static io.argus.edge.request.JsonFields.integral;
import static io.argus.edge.request.JsonFields.number;
import static io.argus.edge.request.JsonFields.object;
import static io.argus.edge.request.JsonFields.onlyFields;
import static io.argus.edge.request.JsonFields.string;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.LabelRule;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Terminate;
import io.argus.schemas.ops.OpParam;

/**
 * Reads the {@code ops} array of a job request into {@link OpSpec}s: each op's name, hook URLs,
 * label rules ({@code params.labels}), stop rule ({@code params.terminate}) and
 * {@code params.ignore_empty_labels}. The accepted shape and the errors are in
 * {@link JobRequestParser}'s class comment.
 *
 * <p>Defaults: {@code ignore_empty_labels} false, a label rule's {@code score} 0, no terminate
 * rule. The other keys of an op's {@code params} are checked against the op's declared params
 * ({@link OpDescription#params()}: an undeclared key, a wrong type or a value out of range is
 * refused, unless the op {@linkplain OpDescription#acceptsOtherParams() accepts other params});
 * the whole {@code params} object is kept as {@code params_json} (null without {@code params}).
 * Thread-safe.
 */
final class OpsParser {

    /** Fields of one op ({@code ops[i]}), {@code argus-video-api.md} POST /v1/video. */
    static final List<String> OP_FIELDS = List.of("op", "hookURL", "hookURL_segment", "params");
    /** Fields of one label rule ({@code ops[i].params.labels[j]}). */
    static final List<String> LABEL_FIELDS = List.of("label", "select", "score");
    /** Fields of a stop rule ({@code ops[i].params.terminate}). */
    static final List<String> TERMINATE_FIELDS = List.of("mode", "labels");

    private final OpCatalog catalog;
    private final RequestUrls urls;

    /**
     * @param catalog the ops a job may name (anything else is "bad op") and their params
     * @param urls    checks the ops' hook URLs
     */
    OpsParser(OpCatalog catalog, RequestUrls urls) {
        this.catalog = catalog;
        this.urls = urls;
    }

    /**
     * @param opsNode the {@code ops} field of the body, or null when absent
     * @return the ops in request order
     * @throws ApiException (400) "empty op" when {@code ops} is missing, null or empty; "bad op"
     *                      when an op name is missing or unknown (the detail lists the known ops,
     *                      and for an op known but unavailable here, why and what to do);
     *                      "invalid parameters" for a wrong JSON type, an op listed twice, a label
     *                      rule without label or with {@code select} not 1 or 2, a
     *                      {@code terminate.mode} not 1 or 2 or a terminate max below 1, a field
     *                      the API does not define in an op, label rule or stop rule, an op param
     *                      the op does not declare or outside its declared type and range
     */
    List<OpSpec> parse(JsonNode opsNode) {
        if (opsNode == null || opsNode.isNull() || (opsNode.isArray() && opsNode.isEmpty())) {
            throw badRequest(EMPTY_OP, "ops must list at least one op");
        }
        if (!opsNode.isArray()) {
            throw badRequest(INVALID_PARAMETERS, "ops must be an array");
        }
        List<OpSpec> ops = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < opsNode.size(); i++) {
            String path = "ops[" + i + "]";
            JsonNode opNode = opsNode.get(i);
            if (!opNode.isObject()) {
                throw badRequest(INVALID_PARAMETERS, path + " must be an object");
            }
            String name = string(opNode, "op", path + ".op");
            OpDescription description = name == null ? null : catalog.get(name).orElse(null);
            if (description == null) {
                throw badRequest(BAD_OP, badOp(name, path));
            }
            onlyFields(opNode, path, OP_FIELDS);
            if (!seen.add(name)) {
                throw badRequest(INVALID_PARAMETERS, "op '" + name + "' is listed twice; results are keyed by op name");
            }
            ops.add(op(description, opNode, path));
        }
        return ops;
    }

    private String badOp(String name, String path) {
        String known = "known ops: " + String.join(", ", catalog.names());
        if (name == null) {
            return path + ".op is missing; " + known;
        }
        return catalog.unavailable(name)
                .map(why -> "op '" + name + "' is not available here: it " + why + "; " + known)
                .orElse("op '" + name + "' is not supported; " + known);
    }

    private OpSpec op(OpDescription description, JsonNode opNode, String path) {
        String name = description.name();
        OpSpec.Builder op = OpSpec.newBuilder()
                .setOp(name)
                .setHookUrl(urls.hookUrl(opNode, "hookURL", path + ".hookURL"))
                .setHookUrlSegment(urls.hookUrl(opNode, "hookURL_segment", path + ".hookURL_segment"))
                .setLabels(new ArrayList<>())
                .setIgnoreEmptyLabels(false)
                .setTerminate(null)
                .setParamsJson(null);
        ObjectNode params = object(opNode, "params", path + ".params");
        if (params == null) {
            return op.build();
        }
        String pp = path + ".params";
        op.setParamsJson(compact(params));
        Boolean ignore = bool(params, "ignore_empty_labels", pp + ".ignore_empty_labels");
        op.setIgnoreEmptyLabels(ignore != null && ignore);
        op.setLabels(labels(params.get("labels"), pp + ".labels"));
        ObjectNode terminate = object(params, "terminate", pp + ".terminate");
        if (terminate != null) {
            op.setTerminate(terminate(terminate, pp + ".terminate"));
        }
        opParams(description, params, pp);
        return op.build();
    }

    /** Checks the op-specific keys of {@code params} against the op's declared params. */
    private static void opParams(OpDescription description, ObjectNode params, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = params.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (OpDescription.GENERIC_PARAMS.contains(key)) {
                continue;
            }
            Optional<OpParam> declared = description.param(key);
            if (declared.isEmpty()) {
                if (description.acceptsOtherParams()) {
                    continue;
                }
                throw badRequest(INVALID_PARAMETERS, "unknown field '" + path + "." + key + "': op "
                        + description.name() + " has no such param; accepted: "
                        + String.join(", ", description.acceptedKeys()));
            }
            String problem = declared.get().problem(e.getValue());
            if (problem != null) {
                throw badRequest(INVALID_PARAMETERS, path + "." + key + " must be " + problem + ", was "
                        + JsonFields.excerpt(e.getValue()));
            }
        }
    }

    private static List<LabelRule> labels(JsonNode labels, String path) {
        List<LabelRule> rules = new ArrayList<>();
        if (labels == null || labels.isNull()) {
            return rules;
        }
        if (!labels.isArray()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an array");
        }
        for (int i = 0; i < labels.size(); i++) {
            String lp = path + "[" + i + "]";
            JsonNode rule = labels.get(i);
            if (!rule.isObject()) {
                throw badRequest(INVALID_PARAMETERS, lp + " must be an object");
            }
            onlyFields(rule, lp, LABEL_FIELDS);
            String label = string(rule, "label", lp + ".label");
            if (label == null || label.isEmpty()) {
                throw badRequest(INVALID_PARAMETERS, lp + ".label is required");
            }
            Long select = integral(rule, "select", lp + ".select");
            if (select == null || (select != 1 && select != 2)) {
                throw badRequest(INVALID_PARAMETERS, lp + ".select must be 1 (drop) or 2 (select only)");
            }
            Double score = number(rule, "score", lp + ".score");
            rules.add(LabelRule.newBuilder()
                    .setLabel(label)
                    .setSelect(select.intValue())
                    .setScore(score == null ? 0f : score.floatValue())
                    .build());
        }
        return rules;
    }

    private static Terminate terminate(ObjectNode terminate, String path) {
        onlyFields(terminate, path, TERMINATE_FIELDS);
        Long mode = integral(terminate, "mode", path + ".mode");
        if (mode == null || (mode != 1 && mode != 2)) {
            throw badRequest(INVALID_PARAMETERS, path + ".mode must be 1 (count frames) or 2 (count segments)");
        }
        Map<String, Integer> max = new LinkedHashMap<>();
        ObjectNode labels = object(terminate, "labels", path + ".labels");
        if (labels != null) {
            Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String lp = path + ".labels." + e.getKey();
                Long n = integral(labels, e.getKey(), lp);
                if (n == null || n < 1 || n > Integer.MAX_VALUE) {
                    throw badRequest(INVALID_PARAMETERS, lp + " must be an integer max >= 1");
                }
                max.put(e.getKey(), n.intValue());
            }
        }
        return Terminate.newBuilder().setMode(mode.intValue()).setLabels(max).build();
    }
}
