package io.argus.edge.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.request.ApiException;

/**
 * Parameters of the GET and DELETE routes. Each comes from the query string or, as the spec writes
 * GET /frame, from a JSON body ({@code {"pattern": "random", "count": 1}}); the query string wins
 * when both give one. Unknown query parameters are ignored; unknown body fields are 400. Errors are
 * {@link ApiException} 400 naming the parameter.
 *
 * <ul>
 *   <li>{@code pattern}: required for GET /frame and /flow; one of uniform, keyframe, random, scene.</li>
 *   <li>{@code video} (body: {@code video} or {@code video_id}): optional video id filter, a valid
 *       video id ({@link ExtractionIds#VIDEO_ID}).</li>
 *   <li>{@code count}: integer; GET /frame: 1–{@value #MAX_COUNT}, default {@value #DEFAULT_ITEMS};
 *       history: 1–{@value #MAX_COUNT}, default {@value #DEFAULT_HISTORY}.</li>
 * </ul>
 */
public final class ExtractionQueries {

    /** Largest {@code count} of GET /frame, /flow and of history. */
    public static final int MAX_COUNT = 100;
    /** Default {@code count} of GET /frame and /flow. */
    public static final int DEFAULT_ITEMS = 10;
    /** Default {@code count} of history. */
    public static final int DEFAULT_HISTORY = 20;

    private static final Set<String> BODY_FIELDS = Set.of("pattern", "video", "video_id", "count");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * GET /frame, GET /flow.
     *
     * @param pattern sampling pattern
     * @param video   video filter, or null
     * @param count   most items, 1–100
     */
    public record Items(ExtractionPattern pattern, String video, int count) {
    }

    /**
     * GET /frame/history, GET /flow/history.
     *
     * @param video video filter, or null
     * @param count most requests, 1–100
     */
    public record History(String video, int count) {
    }

    private ExtractionQueries() {
    }

    /**
     * @param query query parameter by name (null when absent)
     * @param body  request body, possibly empty
     * @return the parameters of GET /frame or /flow
     */
    public static Items items(Function<String, String> query, byte[] body) {
        JsonNode b = body(body);
        String p = text(query, b, "pattern");
        if (p == null || p.isBlank()) {
            throw bad("pattern is required: one of " + ExtractionPattern.NAMES);
        }
        ExtractionPattern pattern = ExtractionPattern.of(p).orElseThrow(() ->
                bad("pattern must be one of " + ExtractionPattern.NAMES + ", not '" + p + "'"));
        return new Items(pattern, video(query, b), count(query, b, DEFAULT_ITEMS));
    }

    /**
     * @param query query parameter by name (null when absent)
     * @param body  request body, possibly empty
     * @return the parameters of a history
     */
    public static History history(Function<String, String> query, byte[] body) {
        JsonNode b = body(body);
        if (b.has("pattern")) {
            throw bad("unknown field 'pattern' for history; accepted: video, count");
        }
        return new History(video(query, b), count(query, b, DEFAULT_HISTORY));
    }

    /**
     * @param query query parameter by name (null when absent)
     * @return the {@code video} of DELETE /frame?video=V, or null when absent or empty
     */
    public static String video(Function<String, String> query) {
        return video(query, MAPPER.createObjectNode());
    }

    private static String video(Function<String, String> query, JsonNode b) {
        String v = text(query, b, "video");
        if (v == null) {
            v = text(query, b, "video_id");
        }
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!ExtractionIds.validVideoId(v)) {
            throw bad("video must be a video id: 1 to 128 characters A-Z, a-z, 0-9, '.', '_', '-'");
        }
        return v;
    }

    private static int count(Function<String, String> query, JsonNode b, int dflt) {
        String message = "count must be an integer from 1 to " + MAX_COUNT;
        String q = query.apply("count");
        long v;
        if (q != null && !q.isBlank()) {
            try {
                v = Long.parseLong(q.trim());
            } catch (NumberFormatException e) {
                throw bad(message);
            }
        } else if (b.hasNonNull("count")) {
            JsonNode n = b.get("count");
            if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
                throw bad(message);
            }
            v = n.isIntegralNumber() ? n.longValue() : n.decimalValue().longValueExact();
        } else {
            return dflt;
        }
        if (v < 1 || v > MAX_COUNT) {
            throw bad(message);
        }
        return (int) v;
    }

    /** The query parameter, else the body's string field, else null. */
    private static String text(Function<String, String> query, JsonNode b, String name) {
        String q = query.apply(name);
        if (q != null) {
            return q.trim();
        }
        JsonNode n = b.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(name + " must be a string");
        }
        return n.asText().trim();
    }

    private static JsonNode body(byte[] body) {
        if (body == null || body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw bad("body must be a JSON object (or empty; parameters may also be in the query string)");
        }
        if (root == null || !root.isObject()) {
            throw bad("body must be a JSON object (or empty; parameters may also be in the query string)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!BODY_FIELDS.contains(f)) {
                throw bad("unknown field '" + f + "'; accepted: pattern, video, count");
            }
        }
        return root;
    }

    private static ApiException bad(String message) {
        return new ApiException(400, message, null);
    }
}
