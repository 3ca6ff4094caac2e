package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;

/**
 * Reading a {@code POST /v1/video/<video_id>} body and typed access to its fields, shared by the
 * parts of {@link JobRequestParser}. Pure.
 *
 * <p>The body is read strictly (trailing tokens and duplicate keys are refused). In the field
 * getters JSON null counts as absent (they return null), and a field of the wrong JSON type is
 * 400 "invalid parameters" whose detail names the field by its path, e.g.
 * {@code "params.vframe.ss must be a number"}. {@link #onlyFields} refuses fields the API does not
 * define.
 */
final class JsonFields {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonFields() {
    }

    /**
     * @param body the request body (JSON, encoding detected per RFC 4627), or null
     * @return its root, a JSON object
     * @throws ApiException (400 "invalid parameters") when the body is null or empty, not JSON
     *                      (the detail gives the first line of the parser's message) or not an object
     */
    static JsonNode readBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw badRequest(INVALID_PARAMETERS, "the request body is empty; a JSON object is expected");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw badRequest(INVALID_PARAMETERS, "the request body is not valid JSON: " + firstLine(ApiJson.jsonProblem(e)));
        }
        if (root == null || !root.isObject()) {
            throw badRequest(INVALID_PARAMETERS, "the request body must be a JSON object");
        }
        return root;
    }

    /**
     * @param node a parsed JSON tree
     * @return its compact JSON text (no insignificant whitespace), as kept in {@code request_json}
     *         and {@code params_json}
     */
    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot re-serialize a parsed JSON tree", e);
        }
    }

    /**
     * Refuses a field the API does not define, so that a typo ({@code "intervall"}, {@code "param"})
     * is an error instead of a silent default.
     *
     * @param object   an object of the body
     * @param path     its path in the body ({@code ""} for the body itself, {@code "params.vframe"}, …)
     * @param accepted the field names it may have
     * @throws ApiException (400 "invalid parameters") "unknown field 'params.vframe.intervall';
     *                      accepted: mode, interval, ss, t" for the first other field, in body order
     */
    static void onlyFields(JsonNode object, String path, List<String> accepted) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw badRequest(INVALID_PARAMETERS, "unknown field '" + (path.isEmpty() ? "" : path + ".") + name
                        + "'; accepted: " + String.join(", ", accepted));
            }
        }
    }

    /** @return the object field {@code name} of {@code parent}, or null when absent or null */
    static ObjectNode object(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an object");
        }
        return (ObjectNode) n;
    }

    /** @return the string field {@code name} of {@code parent} as sent, or null when absent or null */
    static String string(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a string");
        }
        return n.textValue();
    }

    /** @return the boolean field {@code name} of {@code parent}, or null when absent or null */
    static Boolean bool(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a boolean");
        }
        return n.booleanValue();
    }

    /**
     * @return the integer field {@code name} of {@code parent} (a JSON number without fraction or
     *         exponent), or null when absent or null; an integer beyond the 64-bit range becomes
     *         {@link Long#MIN_VALUE} or {@link Long#MAX_VALUE}, so that range checks refuse it
     */
    static Long integral(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an integer");
        }
        return n.canConvertToLong() ? n.longValue() : (n.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    /** @return the number field {@code name} of {@code parent} as a double, or null when absent or null */
    static Double number(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a number");
        }
        return n.doubleValue();
    }

    /**
     * @param value a JSON value sent by a client
     * @return its compact JSON text, cut to 60 characters (with "…"), for an error detail; a
     *         number beyond the range of a double is "a number too large" (or "too small")
     */
    static String excerpt(JsonNode value) {
        if (value.isNumber() && Double.isInfinite(value.doubleValue())) {
            return value.doubleValue() > 0 ? "a number too large" : "a number too small";
        }
        String text = compact(value);
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    private static JsonNode present(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? null : n;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
