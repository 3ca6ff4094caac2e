package io.argus.edge.files;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.security.Principal;
import io.argus.edge.security.UrlSigner;

/**
 * The request bodies of the file access routes, read strictly (a bad one is 400 "invalid
 * parameters" whose detail names the field). Pure.
 *
 * <ul>
 *   <li>{@code POST /api/v1/file/{file_uuid}/grants}: {@code {"principal": "<name>"}}, a name of
 *       the shape {@link Principal#NAME};</li>
 *   <li>{@code POST /api/v1/file/{file_uuid}/signed-url}: {@code {"path": "<route>[?query]",
 *       "ttl_s": N}} as JSON, or the same as query parameters when the body is empty. The route is
 *       {@code video}, {@code video/bbox}, {@code thumbnail} or {@code clip}; the query (optional, at most
 *       {@value #MAX_QUERY} characters of {@code A-Z a-z 0-9 - _ . ~ % = & +}) is the route's own
 *       and may not name {@code expires} or {@code signature}; {@code ttl_s} is seconds from
 *       {@value #MIN_TTL_S} to {@value #MAX_TTL_S}, default {@value #DEFAULT_TTL_S}.</li>
 * </ul>
 */
final class AccessForms {

    /** Default lifetime of a signed URL, seconds. */
    static final long DEFAULT_TTL_S = 3600;
    /** Shortest lifetime of a signed URL, seconds. */
    static final long MIN_TTL_S = 1;
    /** Longest lifetime of a signed URL, seconds (7 days, as S3 presigned URLs). */
    static final long MAX_TTL_S = 7 * 86_400;
    /** Longest query of a signed URL, characters. */
    static final int MAX_QUERY = 1024;

    private static final Pattern PATH = Pattern.compile("(video/bbox|video|thumbnail|clip)(?:\\?([A-Za-z0-9\\-_.~%=&+]*))?");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * What to sign.
     *
     * @param route {@code video}, {@code video/bbox}, {@code thumbnail} or {@code clip}
     * @param query the route's query without {@code ?}, possibly empty
     * @param ttlS  lifetime, seconds
     */
    record Signing(String route, String query, long ttlS) {
    }

    private AccessForms() {
    }

    /**
     * @param body the grant's body
     * @return the principal to grant
     * @throws ApiException 400 for a body that is not {@code {"principal": "<name>"}}
     */
    static String grantee(byte[] body) {
        JsonNode root = object(body);
        only(root, List.of("principal"));
        JsonNode p = root.get("principal");
        if (p == null || p.isNull()) {
            throw badRequest(INVALID_PARAMETERS, "missing field 'principal'");
        }
        if (!p.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, "principal must be a string");
        }
        return principal(p.asText());
    }

    /**
     * @param name a principal name from a path or a body
     * @return the name
     * @throws ApiException 400 when it is not of the shape {@link Principal#NAME}
     */
    static String principal(String name) {
        if (!Principal.validName(name)) {
            throw badRequest(INVALID_PARAMETERS, "principal must be 1 to 128 characters of A-Z a-z 0-9 . _ @ : | + - "
                    + "starting with a letter or digit");
        }
        return name;
    }

    /**
     * @param body  the request body (JSON), or empty to read the query
     * @param query the request's query parameters by name (null when absent)
     * @return what to sign
     * @throws ApiException 400 for a missing or bad {@code path}, a {@code ttl_s} that is not an
     *                      integer in range, bad JSON or an unknown field
     */
    static Signing signing(byte[] body, UnaryOperator<String> query) {
        String path;
        String ttl;
        if (body != null && body.length > 0) {
            JsonNode root = object(body);
            only(root, List.of("path", "ttl_s"));
            JsonNode p = root.get("path");
            if (p != null && !p.isNull() && !p.isTextual()) {
                throw badRequest(INVALID_PARAMETERS, "path must be a string");
            }
            JsonNode t = root.get("ttl_s");
            if (t != null && !t.isNull() && !t.isIntegralNumber()) {
                throw badRequest(INVALID_PARAMETERS, "ttl_s must be an integer from " + MIN_TTL_S + " to " + MAX_TTL_S);
            }
            path = p == null || p.isNull() ? null : p.asText();
            ttl = t == null || t.isNull() ? null : t.asText();
        } else {
            path = query.apply("path");
            ttl = query.apply("ttl_s");
        }
        if (path == null || path.isEmpty()) {
            throw badRequest(INVALID_PARAMETERS, "missing field 'path' (video, thumbnail?frame=N or clip?…)");
        }
        Matcher m = PATH.matcher(path);
        if (path.length() > MAX_QUERY + 10 || !m.matches()) {
            throw badRequest(INVALID_PARAMETERS, "path must be video, video/bbox, thumbnail or clip, optionally followed by "
                    + "?query of at most " + MAX_QUERY + " URL characters");
        }
        String q = m.group(2) == null ? "" : m.group(2);
        for (String param : q.split("&")) {
            String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
            if (name.equals(UrlSigner.EXPIRES) || name.equals(UrlSigner.SIGNATURE)) {
                throw badRequest(INVALID_PARAMETERS, "the path's query may not hold " + UrlSigner.EXPIRES + " or "
                        + UrlSigner.SIGNATURE);
            }
        }
        long ttlS = DEFAULT_TTL_S;
        if (ttl != null && !ttl.isBlank()) {
            try {
                ttlS = Long.parseLong(ttl.strip());
            } catch (NumberFormatException e) {
                ttlS = -1;
            }
            if (ttlS < MIN_TTL_S || ttlS > MAX_TTL_S) {
                throw badRequest(INVALID_PARAMETERS, "ttl_s must be an integer from " + MIN_TTL_S + " to " + MAX_TTL_S
                        + ", was '" + ttl + "'");
            }
        }
        return new Signing(m.group(1), q, ttlS);
    }

    static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw badRequest(INVALID_PARAMETERS, "the request body is empty; a JSON object is expected");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            String problem = ApiJson.jsonProblem(e);
            throw badRequest(INVALID_PARAMETERS, "the request body is not valid JSON: " + problem.lines().findFirst()
                    .orElse(problem));
        }
        if (root == null || !root.isObject()) {
            throw badRequest(INVALID_PARAMETERS, "the request body must be a JSON object");
        }
        return root;
    }

    static void only(JsonNode root, List<String> accepted) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!accepted.contains(f)) {
                throw badRequest(INVALID_PARAMETERS, "unknown field '" + f + "'; accepted: " + accepted);
            }
        }
    }
}
