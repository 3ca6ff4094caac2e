package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the {@code op} of {@code POST /v1/jobs/video/<job_id>} ({@code argus-video-api.md},
 * POST__/v1/jobs/video/kill). Pure: no I/O.
 *
 * <p>The op may come from any of:
 * <ul>
 *   <li>the form body of the spec, {@code Content-Type: application/x-www-form-urlencoded},
 *       {@code op=kill};</li>
 *   <li>the query string, {@code ?op=kill};</li>
 *   <li>a JSON body {@code {"op": "kill"}} (a {@code Content-Type} containing {@code json}, or a
 *       body starting with <code>{</code> under any content type other than form-urlencoded).
 *       Other JSON fields are ignored.</li>
 * </ul>
 * Values are trimmed and compared case-insensitively; empty values count as absent. Errors are 400 "invalid parameters" with a
 * detail: no op anywhere; two different ops (e.g. query and body disagree); an op other than
 * {@value #KILL}; a JSON body that is not valid JSON, not an object, or whose {@code op} is not a
 * string; a form body with a malformed percent-escape.
 */
public final class JobOpParser {

    /** The only supported op. */
    public static final String KILL = "kill";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JobOpParser() {
    }

    /**
     * @param contentType the request's {@code Content-Type}, or null
     * @param body        the request body, or null
     * @param queryString the raw query string (without {@code ?}), or null
     * @return {@value #KILL}
     * @throws ApiException (400 "invalid parameters") when the op is missing, ambiguous or unknown
     */
    public static String parse(String contentType, byte[] body, String queryString) {
        List<String> ops = new ArrayList<>(formValues(queryString, "query string"));
        ops.addAll(bodyValues(contentType, body));
        Set<String> distinct = new LinkedHashSet<>();
        for (String op : ops) {
            String v = op.trim().toLowerCase(Locale.ROOT);
            if (!v.isEmpty()) {
                distinct.add(v);
            }
        }
        if (distinct.isEmpty()) {
            throw badRequest(INVALID_PARAMETERS, "op is required: send op=kill (form body, query string or JSON body)");
        }
        if (distinct.size() > 1) {
            throw badRequest(INVALID_PARAMETERS, "op is given more than once with different values: " + distinct);
        }
        String op = distinct.iterator().next();
        if (!op.equals(KILL)) {
            throw badRequest(INVALID_PARAMETERS, "op '" + op + "' is not supported; the only op is kill");
        }
        return op;
    }

    private static List<String> bodyValues(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return List.of();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return List.of();
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean form = type.startsWith("application/x-www-form-urlencoded");
        boolean json = type.contains("json") || (!form && text.stripLeading().startsWith("{"));
        if (!json) {
            return formValues(text, "form body");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw badRequest(INVALID_PARAMETERS, "the request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw badRequest(INVALID_PARAMETERS, "the request body must be a JSON object like {\"op\": \"kill\"}");
        }
        JsonNode op = root.get("op");
        if (op == null || op.isNull()) {
            return List.of();
        }
        if (!op.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, "op must be a string");
        }
        return List.of(op.textValue());
    }

    private static List<String> formValues(String encoded, String where) {
        List<String> out = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.strip().split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), where);
            if (key.equals("op")) {
                out.add(eq < 0 ? "" : decode(pair.substring(eq + 1), where));
            }
        }
        return out;
    }

    private static String decode(String s, String where) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badRequest(INVALID_PARAMETERS, "the " + where + " is not valid form encoding: " + e.getMessage());
        }
    }
}
