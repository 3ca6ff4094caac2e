package io.argus.edge.extract;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowSpec;
import io.argus.schemas.net.SourceSchemes;
import io.argus.schemas.net.UrlGuard;

/**
 * Parses and validates the body of {@code POST /frame} and {@code POST /flow} into a
 * {@link ParsedExtraction}. Pure: no Kafka, no I/O.
 *
 * <p>Body (JSON object; {@code null} values mean "absent"):
 * <pre>
 * {"uri":       required; a local path, file: URI or http(s) URL,
 *  "video_id":  optional; 1–128 of [A-Za-z0-9._-]; default {@link #videoIdOf(String)} of the uri,
 *  "pattern":   required; uniform | keyframe | random | scene (case-insensitive),
 *  "interval":  uniform only; seconds between frames, (0, 3600], default 5,
 *  "count":     random only; frames, integer 1–1000, default 10,
 *  "seed":      random only; integer (64-bit), default a random one in [0, 2^31) (returned),
 *  "threshold": scene only; (0, 1], default null = the sampler's default,
 *  "ss":        start, seconds &gt;= 0 (0 = the start of the video, stored as null),
 *  "t":         duration, seconds &gt;= 0 (0 = to the end, stored as null),
 *  "flow":      POST /flow only; {"algorithm": "DIS" | "FARNEBACK" (default DIS),
 *                                 "preset": "ULTRAFAST" | "FAST" | "MEDIUM" (default FAST; DIS only),
 *                                 "gap": frames between the two frames of a pair, 1–25 (default 1; the sampler keeps that many frames in memory),
 *                                 "scale": 1.0 | 0.5 (default 1.0)}}
 * </pre>
 *
 * <p>Every error is an {@link ApiException} 400 whose {@code "error"} message names the field, e.g.
 * {@code "interval must be a number of seconds in (0, 3600]"}; the first problem found wins. Errors:
 * body not a JSON object (or with duplicate keys or trailing data); an unknown field (top level or in
 * {@code flow}); a field of the wrong JSON type; {@code uri} missing, blank, with an unsupported
 * scheme, an http(s) URL without host, an http(s) URL whose address the {@link UrlGuard} refuses
 * ({@code "uri: the address is not allowed: …"}; a host that does not resolve is let through and
 * the request fails later as before); a live source ({@code rtmp:}, {@code rtmps:}, {@code rtsp:}):
 * exactly "live sources are not supported for extraction"; a bad {@code video_id}; {@code pattern}
 * missing or unknown; a number out of range (or not finite, or not an integer where one is needed);
 * a parameter of another pattern (e.g. {@code count} with {@code uniform}); {@code flow} in POST /frame.
 *
 * <p>Thread-safe.
 */
public final class ExtractionRequestParser {

    /** Default {@code interval} of {@code uniform}, seconds. */
    public static final double DEFAULT_INTERVAL_S = 5.0;
    /** Largest {@code interval}, seconds. */
    public static final double MAX_INTERVAL_S = 3600.0;
    /** Default {@code count} of {@code random}. */
    public static final int DEFAULT_COUNT = 10;
    /** Largest {@code count} of {@code random}. */
    public static final int MAX_COUNT = 1000;
    /** Largest {@code flow.gap}. */
    public static final int MAX_GAP = 25;
    /** Error message of a live source. */
    public static final String LIVE_NOT_SUPPORTED = "live sources are not supported for extraction";

    private static final Set<String> FIELDS = Set.of("uri", "video_id", "pattern", "interval", "count", "seed",
            "threshold", "ss", "t", "flow");
    private static final Set<String> FLOW_FIELDS = Set.of("algorithm", "preset", "gap", "scale");
    private static final Set<String> ALGORITHMS = Set.of("DIS", "FARNEBACK");
    private static final Set<String> PRESETS = Set.of("ULTRAFAST", "FAST", "MEDIUM");
    /** Which pattern each pattern-specific field belongs to. */
    private static final Map<String, ExtractionPattern> PATTERN_FIELDS = Map.of(
            "interval", ExtractionPattern.UNIFORM,
            "count", ExtractionPattern.RANDOM,
            "seed", ExtractionPattern.RANDOM,
            "threshold", ExtractionPattern.SCENE);
    /** RFC 3986 scheme followed by ':'; a drive letter ("C:") is not taken as a scheme. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Supplier<String> ids;
    private final LongSupplier clockMs;
    private final LongSupplier seeds;
    private final UrlGuard urlGuard;

    /**
     * A parser with random UUID request ids, the system clock and random seeds in [0, 2^31),
     * checking no address ({@link UrlGuard#allowAll()}).
     */
    public ExtractionRequestParser() {
        this(UrlGuard.allowAll());
    }

    /**
     * A parser with random UUID request ids, the system clock and random seeds in [0, 2^31).
     *
     * @param urlGuard which addresses http(s) sources may have
     */
    public ExtractionRequestParser(UrlGuard urlGuard) {
        this(() -> UUID.randomUUID().toString(), System::currentTimeMillis,
                () -> ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE), urlGuard);
    }

    /**
     * A parser checking no address ({@link UrlGuard#allowAll()}).
     *
     * @param ids     request id generator (ids must not contain {@code /})
     * @param clockMs current time, ms since the epoch ({@code created_at})
     * @param seeds   seed chosen for a random request without {@code seed}
     */
    public ExtractionRequestParser(Supplier<String> ids, LongSupplier clockMs, LongSupplier seeds) {
        this(ids, clockMs, seeds, UrlGuard.allowAll());
    }

    /**
     * @param ids      request id generator (ids must be valid frame-store key segments:
     *                 {@code [A-Za-z0-9._-]}, no {@code /})
     * @param clockMs  current time, ms since the epoch ({@code created_at})
     * @param seeds    seed chosen for a random request without {@code seed}
     * @param urlGuard which addresses http(s) sources may have
     */
    public ExtractionRequestParser(Supplier<String> ids, LongSupplier clockMs, LongSupplier seeds,
                                   UrlGuard urlGuard) {
        this.ids = ids;
        this.clockMs = clockMs;
        this.seeds = seeds;
        this.urlGuard = Objects.requireNonNull(urlGuard, "urlGuard");
    }

    /**
     * The video id used when a request has no {@code video_id}: {@code "v-"} followed by the first
     * 16 hex digits (64 bits) of the SHA-256 of the uri string exactly as given (UTF-8). The same
     * uri always gives the same id, on every instance; two spellings of one video (e.g.
     * {@code /a.mp4} and {@code file:///a.mp4}) give two ids.
     *
     * @param uri the request's uri
     * @return e.g. {@code v-2c26b46b68ffc68f}
     */
    public static String videoIdOf(String uri) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
            return "v-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * @param kind FRAME for POST /frame, FLOW for POST /flow
     * @param body the request body (UTF-8 JSON)
     * @return the request and its WAITING status
     * @throws ApiException 400 with a message naming the field
     */
    public ParsedExtraction parse(ExtractionKind kind, byte[] body) {
        JsonNode root = readObject(body);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad("unknown field '" + f + "'; accepted: uri, video_id, pattern, interval, count, seed, "
                        + "threshold, ss, t" + (kind == ExtractionKind.FLOW ? ", flow" : ""));
            }
        }
        String uri = uri(root);
        String videoId = videoId(root, uri);
        ExtractionPattern pattern = pattern(root);
        for (Map.Entry<String, ExtractionPattern> e : PATTERN_FIELDS.entrySet()) {
            if (present(root, e.getKey()) && e.getValue() != pattern) {
                throw bad(e.getKey() + " is only valid with pattern " + e.getValue().wire()
                        + " (pattern is " + pattern.wire() + ")");
            }
        }
        Double interval = null;
        Integer count = null;
        Long seed = null;
        Double threshold = null;
        switch (pattern) {
            case UNIFORM -> {
                interval = number(root, "interval", DEFAULT_INTERVAL_S);
                if (!(interval > 0 && interval <= MAX_INTERVAL_S)) {
                    throw bad("interval must be a number of seconds in (0, 3600]");
                }
            }
            case RANDOM -> {
                count = (int) integer(root, "count", DEFAULT_COUNT, 1, MAX_COUNT,
                        "count must be an integer from 1 to " + MAX_COUNT);
                seed = present(root, "seed")
                        ? integer(root, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE, "seed must be an integer")
                        : seeds.getAsLong();
            }
            case SCENE -> {
                if (present(root, "threshold")) {
                    threshold = number(root, "threshold", 0);
                    if (!(threshold > 0 && threshold <= 1)) {
                        throw bad("threshold must be a number in (0, 1]");
                    }
                }
            }
            default -> {
                // keyframe: no parameter
            }
        }
        Double ss = seconds(root, "ss", "ss (start) must be a non-negative number of seconds");
        Double t = seconds(root, "t", "t (duration) must be a non-negative number of seconds");
        FlowSpec flow = null;
        if (kind == ExtractionKind.FLOW) {
            flow = flow(root.get("flow"));
        } else if (present(root, "flow")) {
            throw bad("flow is only valid for POST /flow");
        }
        String requestId = ids.get();
        long now = clockMs.getAsLong();
        String json = new String(body, StandardCharsets.UTF_8);
        ExtractionRequest request = ExtractionRequest.newBuilder()
                .setRequestId(requestId)
                .setKind(kind)
                .setVideoId(videoId)
                .setUri(uri)
                .setPattern(pattern.wire())
                .setIntervalS(interval)
                .setCount(count)
                .setSeed(seed)
                .setThreshold(threshold)
                .setStartS(ss)
                .setDurationS(t)
                .setFlow(flow)
                .setCreatedAt(now)
                .setRequestJson(json)
                .build();
        ExtractionStatus waiting = ExtractionStatus.newBuilder()
                .setRequestId(requestId)
                .setKind(kind)
                .setVideoId(videoId)
                .setUri(uri)
                .setPattern(pattern.wire())
                .setState(ExtractionState.WAITING)
                .setError(null)
                .setFrames(0)
                .setRequestJson(json)
                .setCreatedAt(now)
                .setUpdatedAt(now)
                .build();
        return new ParsedExtraction(request, waiting);
    }

    private static JsonNode readObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw bad("body must be a JSON object with at least uri and pattern");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw bad("body must be a JSON object (invalid JSON: " + firstLine(ApiJson.jsonProblem(e)) + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad("body must be a JSON object with at least uri and pattern");
        }
        return root;
    }

    private String uri(JsonNode root) {
        JsonNode n = root.get("uri");
        if (n == null || n.isNull()) {
            throw bad("uri is required: a local path, a file: URI or an http(s) URL");
        }
        if (!n.isTextual()) {
            throw bad("uri must be a string");
        }
        String uri = n.asText();
        if (uri.isBlank()) {
            throw bad("uri must not be empty");
        }
        if (uri.indexOf('\0') >= 0 || !uri.strip().equals(uri)) {
            throw bad("uri must not contain NUL or leading/trailing blanks");
        }
        Optional<String> found = SourceSchemes.scheme(uri);
        if (found.isEmpty()) {
            return uri; // a local path
        }
        String scheme = found.get();
        if (SourceSchemes.LIVE.contains(scheme)) {
            throw bad(LIVE_NOT_SUPPORTED);
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw bad("uri is not a valid URI: " + e.getMessage());
        }
        switch (scheme) {
            case "http", "https" -> {
                if (parsed.getHost() == null) {
                    throw bad("uri must be an absolute http(s) URL with a host");
                }
                UrlGuard.Decision d = urlGuard.check(parsed);
                if (d.refused()) {
                    throw bad("uri: " + d.reason());
                }
            }
            case "file" -> {
                if (parsed.getPath() == null || parsed.getPath().isEmpty()) {
                    throw bad("uri must be a file: URI with a path");
                }
            }
            default -> throw bad("uri scheme '" + scheme + "' is not supported: use a local path, a file: URI "
                    + "or an http(s) URL");
        }
        return uri;
    }

    private static String videoId(JsonNode root, String uri) {
        JsonNode n = root.get("video_id");
        if (n == null || n.isNull()) {
            return videoIdOf(uri);
        }
        if (!n.isTextual() || !ExtractionIds.validVideoId(n.asText())) {
            throw bad("video_id must be a string of 1 to 128 characters A-Z, a-z, 0-9, '.', '_', '-' "
                    + "(not '.' or '..')");
        }
        return n.asText();
    }

    private static ExtractionPattern pattern(JsonNode root) {
        JsonNode n = root.get("pattern");
        if (n == null || n.isNull()) {
            throw bad("pattern is required: one of " + ExtractionPattern.NAMES);
        }
        if (!n.isTextual()) {
            throw bad("pattern must be a string, one of " + ExtractionPattern.NAMES);
        }
        return ExtractionPattern.of(n.asText())
                .orElseThrow(() -> bad("pattern must be one of " + ExtractionPattern.NAMES + ", not '"
                        + n.asText() + "'"));
    }

    private static FlowSpec flow(JsonNode n) {
        FlowSpec.Builder b = FlowSpec.newBuilder().setAlgorithm("DIS").setPreset("FAST").setGap(1).setScale(1.0);
        if (n == null || n.isNull()) {
            return b.build();
        }
        if (!n.isObject()) {
            throw bad("flow must be an object {\"algorithm\", \"preset\", \"gap\", \"scale\"}");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FLOW_FIELDS.contains(f)) {
                throw bad("unknown field 'flow." + f + "'; accepted: flow.algorithm, flow.preset, flow.gap, "
                        + "flow.scale");
            }
        }
        String algorithm = choice(n, "algorithm", ALGORITHMS, "flow.algorithm must be DIS or FARNEBACK");
        if (algorithm != null) {
            b.setAlgorithm(algorithm);
        }
        String preset = choice(n, "preset", PRESETS, "flow.preset must be ULTRAFAST, FAST or MEDIUM");
        if (preset != null) {
            b.setPreset(preset);
        }
        b.setGap((int) integer(n, "gap", 1, 1, MAX_GAP, "flow.gap must be an integer from 1 to " + MAX_GAP));
        JsonNode scale = n.get("scale");
        if (scale != null && !scale.isNull()) {
            if (!scale.isNumber() || (scale.asDouble() != 1.0 && scale.asDouble() != 0.5)) {
                throw bad("flow.scale must be 1.0 or 0.5");
            }
            b.setScale(scale.asDouble());
        }
        return b.build();
    }

    private static String choice(JsonNode parent, String field, Set<String> allowed, String message) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        String v = n.isTextual() ? n.asText().trim().toUpperCase(Locale.ROOT) : null;
        if (v == null || !allowed.contains(v)) {
            throw bad(message);
        }
        return v;
    }

    private static boolean present(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    /** A finite number, or {@code dflt} when absent. */
    private static double number(JsonNode root, String field, double dflt) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw bad(field + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    /** An integral number in [min, max] (10.0 counts as 10), or {@code dflt} when absent. */
    private static long integer(JsonNode parent, String field, long dflt, long min, long max, String message) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw bad(message);
        }
        long v = n.isIntegralNumber() ? n.longValue() : n.decimalValue().longValueExact();
        if (v < min || v > max) {
            throw bad(message);
        }
        return v;
    }

    /** Non-negative finite seconds; 0 or absent -> null (not set). */
    private static Double seconds(JsonNode root, String field, String message) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < 0) {
            throw bad(message);
        }
        return n.asDouble() == 0 ? null : n.asDouble();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static ApiException bad(String message) {
        return new ApiException(400, message, null);
    }
}
