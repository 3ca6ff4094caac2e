package io.argus.edge.request;

import static io.argus.edge.request.ApiException.BAD_OP;
import static io.argus.edge.request.ApiException.EMPTY_OP;
import static io.argus.edge.request.ApiException.INVALID_DURATION;
import static io.argus.edge.request.ApiException.INVALID_INTERVAL;
import static io.argus.edge.request.ApiException.INVALID_MODE;
import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.INVALID_STARTTIME;
import static io.argus.edge.request.ApiException.badRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.LabelRule;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Save;
import io.argus.schemas.avro.Terminate;
import io.argus.schemas.avro.Vframe;
import io.argus.schemas.net.SourceSchemes;
import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.store.KeyRules;

/**
 * Parses and validates the body of {@code POST /v1/video/<video_id>} ({@code argus-video-api.md},
 * section POST__/v1/video) into a {@link JobRequest}. Pure: no Kafka, no I/O.
 *
 * <p>Body shape:
 * <pre>
 * {"data":   {"uri": "http://…"},
 *  "params": {"async": bool,
 *             "vframe": {"mode": 0|1, "interval": seconds, "ss": seconds, "t": seconds},
 *             "live": {"timeout": seconds},
 *             "save": {"bucket": str, "zone": int, "prefix": "a/b"},
 *             "hookURL": "http://…"},
 *  "ops": [{"op": name, "hookURL": "http://…", "hookURL_segment": "http://…",
 *           "params": {"labels": [{"label": str, "select": 1|2, "score": float}],
 *                      "terminate": {"mode": 1|2, "labels": {label: max}},
 *                      "ignore_empty_labels": bool, …op-specific params}}]}
 * </pre>
 *
 * <p>Errors (each an {@link ApiException} with HTTP 400 and the spec's exact message; the first
 * problem found wins, checked in the order body, {@code data}, {@code ops}, {@code params}):
 * <ul>
 *   <li>"invalid parameters": body not JSON or not an object, a field of the wrong JSON type,
 *       {@code data.uri} missing, empty or with a scheme other than http, https, rtmp, rtmps,
 *       rtsp, file (a plain absolute or relative path is a local file), a hook URL that is not
 *       an absolute http(s) URL, a network {@code data.uri} or a hook URL whose address the
 *       {@link UrlGuard} refuses (detail {@code "data.uri: the address is not allowed: …"}; a
 *       host that does not resolve is let through, and the job fails later with 424 "cannot find
 *       the video" as before), {@code labels[].select} not 1 or 2, {@code terminate.mode} not
 *       1 or 2, a terminate max below 1, an op listed twice; {@code params.live} not an object,
 *       {@code params.live.timeout} not a number or outside (0, {@value #MAX_LIVE_TIMEOUT_S}] seconds,
 *       any other field inside {@code params.live} (the detail names the field);
 *       {@code params.save} not an object, {@code params.save.bucket} or {@code .prefix} not a
 *       string, {@code params.save.zone} not a 32-bit integer, a {@code params.save.prefix} that
 *       {@link KeyRules#checkSavePrefix} refuses (it could escape its place in the frame store:
 *       {@code ..} or {@code .} segments, a leading {@code /}, empty segments, a backslash, NUL or
 *       any character outside {@code A-Z a-z 0-9 . _ - /}, a segment over
 *       {@value KeyRules#MAX_SEGMENT_LENGTH} characters, more than
 *       {@value KeyRules#MAX_SAVE_PREFIX_SEGMENTS} segments, or a first segment reserved by
 *       Argus), or, with a prefix, a {@code <video_id>} that is not one key segment or too long
 *       together with the prefix (the detail names {@code params.save.prefix} or
 *       {@code video_id});</li>
 *   <li>"empty op": {@code ops} missing, null or empty;</li>
 *   <li>"bad op": an op name outside the known ops;</li>
 *   <li>"invalid mode, allow mode is [0, 1]": {@code vframe.mode} not 0 or 1;</li>
 *   <li>"invalid interval, allow interval is [0, 10]": {@code vframe.interval} outside [0, 10];</li>
 *   <li>"invalid starttime" / "invalid duration": {@code vframe.ss} / {@code vframe.t} below 0.</li>
 * </ul>
 *
 * <p>Defaults and choices:
 * <ul>
 *   <li>{@code vframe.mode} defaults to {@value #DEFAULT_MODE} (one frame every interval). The
 *       original implementation's code defaulted to 0 although its documentation said 1
 *       (keyframes); we follow the code, so that a request without {@code vframe} samples at a
 *       predictable rate.</li>
 *   <li>{@code vframe.interval} 0 or absent means {@value #DEFAULT_INTERVAL_S} s; it is
 *       validated and filled for mode 1 too, where sampling ignores it.</li>
 *   <li>{@code vframe.ss} and {@code vframe.t} 0 or absent mean "not set" (start at the source
 *       start, no duration limit), as the zero values did in the original; they become null.</li>
 *   <li>{@code params.async} defaults to false; {@code ignore_empty_labels} to false; a label
 *       rule's {@code score} to 0.</li>
 *   <li>{@code params.live.timeout} (seconds a live source may stay silent before the job fails
 *       with 499 "timeout") becomes {@link JobRequest#getLiveTimeoutS()}; absent or null means
 *       null (ingest's default). It is accepted for any source and only used for live ones
 *       ({@link #isLive(String)}).</li>
 *   <li>{@code params.save} becomes {@link JobRequest#getSave()}: {@code bucket} and
 *       {@code zone} are kept as sent and have no effect (the deployment's frame store,
 *       {@code --frame-store}, decides where frames go); with a non-empty {@code prefix}, ingest
 *       stores each sampled frame under {@code <prefix>/<video_id>/<offset_ms>.jpg} instead of
 *       {@code <job_id>/<seq>.jpg}, and that URI is the frame's URI everywhere (cuts included).
 *       An absent, null or empty prefix keeps the default names. Other fields of
 *       {@code params.save} are ignored (they stay in {@code request_json}).</li>
 *   <li>Empty hook URL strings are treated as absent. Op specific params are not validated; they
 *       stay in {@code params_json}.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class JobRequestParser {

    /** Sampling mode used when {@code vframe.mode} is absent: 0, one frame every interval. */
    public static final int DEFAULT_MODE = 0;
    /** Sampling interval in seconds used when {@code vframe.interval} is 0 or absent. */
    public static final double DEFAULT_INTERVAL_S = 5.0;
    /** Largest accepted {@code vframe.interval}, seconds. */
    public static final double MAX_INTERVAL_S = 10.0;

    /** Largest accepted {@code params.live.timeout}, seconds (one day). */
    public static final double MAX_LIVE_TIMEOUT_S = 86_400.0;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final SortedSet<String> knownOps;
    private final Supplier<String> ids;
    private final LongSupplier clockMs;
    private final UrlGuard urlGuard;

    /**
     * A parser giving random UUID job ids and the system clock as {@code created_at}, checking no
     * address ({@link UrlGuard#allowAll()}).
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op")
     */
    public JobRequestParser(Set<String> knownOps) {
        this(knownOps, UrlGuard.allowAll());
    }

    /**
     * A parser giving random UUID job ids and the system clock as {@code created_at}.
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op")
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(Set<String> knownOps, UrlGuard urlGuard) {
        this(knownOps, () -> UUID.randomUUID().toString(), System::currentTimeMillis, urlGuard);
    }

    /**
     * A parser checking no address ({@link UrlGuard#allowAll()}).
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op")
     * @param ids      job id generator
     * @param clockMs  current time, ms since the epoch
     */
    public JobRequestParser(Set<String> knownOps, Supplier<String> ids, LongSupplier clockMs) {
        this(knownOps, ids, clockMs, UrlGuard.allowAll());
    }

    /**
     * @param knownOps op names the pipeline can run (anything else is "bad op")
     * @param ids      job id generator
     * @param clockMs  current time, ms since the epoch
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(Set<String> knownOps, Supplier<String> ids, LongSupplier clockMs, UrlGuard urlGuard) {
        this.knownOps = Collections.unmodifiableSortedSet(new TreeSet<>(knownOps));
        this.ids = ids;
        this.clockMs = clockMs;
        this.urlGuard = Objects.requireNonNull(urlGuard, "urlGuard");
    }

    /** @return the guard checking network sources and hook URLs */
    public UrlGuard urlGuard() {
        return urlGuard;
    }

    /** @return the known op names, sorted */
    public SortedSet<String> knownOps() {
        return knownOps;
    }

    /**
     * @param videoId the {@code <video_id>} path segment
     * @param body    the request body as UTF-8 text
     * @return the validated job, with a new job id and {@code created_at} = now
     * @throws ApiException (400) when the request is invalid; see the class comment
     */
    public JobRequest parse(String videoId, String body) {
        return parse(videoId, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param videoId the {@code <video_id>} path segment
     * @param body    the request body (JSON, encoding detected per RFC 4627)
     * @return the validated job, with a new job id and {@code created_at} = now
     * @throws ApiException (400) when the request is invalid; see the class comment
     */
    public JobRequest parse(String videoId, byte[] body) {
        if (videoId == null || videoId.isBlank()) {
            throw badRequest(INVALID_PARAMETERS, "video_id is required in the path /v1/video/<video_id>");
        }
        JsonNode root = readBody(body);
        String uri = parseUri(root);
        List<OpSpec> ops = parseOps(root.get("ops"));

        ObjectNode params = object(root, "params", "params");
        boolean async = false;
        String hookUrl = null;
        Double liveTimeout = null;
        Save save = null;
        Vframe vframe = parseVframe(params == null ? null : object(params, "vframe", "params.vframe"));
        if (params != null) {
            Boolean a = bool(params, "async", "params.async");
            async = a != null && a;
            hookUrl = hookUrl(params, "hookURL", "params.hookURL");
            liveTimeout = parseLive(object(params, "live", "params.live"));
            save = parseSave(object(params, "save", "params.save"), videoId);
        }

        return JobRequest.newBuilder()
                .setJobId(ids.get())
                .setVideoId(videoId)
                .setUri(uri)
                .setVframe(vframe)
                .setOps(ops)
                .setHookUrl(hookUrl)
                .setAsync(async)
                .setLiveTimeoutS(liveTimeout)
                .setSave(save)
                .setCreatedAt(clockMs.getAsLong())
                .setRequestJson(compact(root))
                .build();
    }

    /**
     * Whether a source is live: its {@code data.uri} scheme is one of {@link SourceSchemes#LIVE}
     * (case-insensitive). A live job runs until it is killed, terminated or timed out, so the edge
     * always answers its POST asynchronously.
     *
     * @param uri a validated {@code data.uri} ({@link JobRequest#getUri()})
     * @return true for rtmp, rtmps and rtsp URIs
     */
    public static boolean isLive(String uri) {
        return SourceSchemes.isLive(uri);
    }

    private static JsonNode readBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw badRequest(INVALID_PARAMETERS, "the request body is empty; a JSON object is expected");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw badRequest(INVALID_PARAMETERS, "the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw badRequest(INVALID_PARAMETERS, "the request body must be a JSON object");
        }
        return root;
    }

    private String parseUri(JsonNode root) {
        ObjectNode data = object(root, "data", "data");
        String uri = data == null ? null : string(data, "uri", "data.uri");
        if (uri == null || uri.isBlank()) {
            throw badRequest(INVALID_PARAMETERS, "data.uri is required");
        }
        uri = uri.trim();
        Optional<String> found = SourceSchemes.scheme(uri);
        if (found.isEmpty()) {
            return uri; // a plain absolute or relative path: a local file
        }
        String scheme = found.get();
        if (!SourceSchemes.ACCEPTED.contains(scheme)) {
            throw badRequest(INVALID_PARAMETERS, "data.uri scheme '" + scheme
                    + "' is not supported; use http, https, rtmp, rtmps, rtsp, file or a local path");
        }
        if (SourceSchemes.NETWORK.contains(scheme)) {
            try {
                URI parsed = new URI(uri);
                if (parsed.getHost() == null) {
                    throw badRequest(INVALID_PARAMETERS, "data.uri has no host");
                }
                guard(parsed, "data.uri");
            } catch (URISyntaxException e) {
                throw badRequest(INVALID_PARAMETERS, "data.uri is not a valid URI: " + e.getMessage());
            }
        } else if (uri.length() == "file:".length()) {
            throw badRequest(INVALID_PARAMETERS, "data.uri file: URI has no path");
        }
        return uri;
    }

    private List<OpSpec> parseOps(JsonNode opsNode) {
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
            if (name == null || !knownOps.contains(name)) {
                throw badRequest(BAD_OP, (name == null ? path + ".op is missing" : "op '" + name + "' is not supported")
                        + "; known ops: " + String.join(", ", knownOps));
            }
            if (!seen.add(name)) {
                throw badRequest(INVALID_PARAMETERS, "op '" + name + "' is listed twice; results are keyed by op name");
            }
            ops.add(parseOp(name, opNode, path));
        }
        return ops;
    }

    private OpSpec parseOp(String name, JsonNode opNode, String path) {
        OpSpec.Builder op = OpSpec.newBuilder()
                .setOp(name)
                .setHookUrl(hookUrl(opNode, "hookURL", path + ".hookURL"))
                .setHookUrlSegment(hookUrl(opNode, "hookURL_segment", path + ".hookURL_segment"))
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
        op.setLabels(parseLabels(params.get("labels"), pp + ".labels"));
        ObjectNode terminate = object(params, "terminate", pp + ".terminate");
        if (terminate != null) {
            op.setTerminate(parseTerminate(terminate, pp + ".terminate"));
        }
        return op.build();
    }

    private static List<LabelRule> parseLabels(JsonNode labels, String path) {
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

    private static Terminate parseTerminate(ObjectNode terminate, String path) {
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

    /** @return {@code params.live.timeout} in seconds, or null when absent */
    private static Double parseLive(ObjectNode live) {
        if (live == null) {
            return null;
        }
        Iterator<String> names = live.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("timeout")) {
                throw badRequest(INVALID_PARAMETERS, "params.live." + name + " is not supported; params.live accepts timeout");
            }
        }
        Double timeout = number(live, "timeout", "params.live.timeout");
        if (timeout != null && !(timeout > 0 && timeout <= MAX_LIVE_TIMEOUT_S)) {
            throw badRequest(INVALID_PARAMETERS, "params.live.timeout must be seconds in (0, "
                    + (long) MAX_LIVE_TIMEOUT_S + "], was " + timeout);
        }
        return timeout;
    }

    /**
     * @return {@code params.save}, or null when absent
     * @throws ApiException (400 "invalid parameters") as the class comment says
     */
    private static Save parseSave(ObjectNode save, String videoId) {
        if (save == null) {
            return null;
        }
        String bucket = string(save, "bucket", "params.save.bucket");
        Long zone = integral(save, "zone", "params.save.zone");
        if (zone != null && (zone < Integer.MIN_VALUE || zone > Integer.MAX_VALUE)) {
            throw badRequest(INVALID_PARAMETERS, "params.save.zone must be a 32-bit integer, was " + zone);
        }
        String prefix = string(save, "prefix", "params.save.prefix");
        if (prefix != null && prefix.isEmpty()) {
            prefix = null;
        }
        if (prefix != null) {
            try {
                KeyRules.checkSavePrefix(prefix);
            } catch (IllegalArgumentException e) {
                throw badRequest(INVALID_PARAMETERS, "params.save.prefix " + e.getMessage());
            }
            if (!KeyRules.validSegment(videoId)) {
                throw badRequest(INVALID_PARAMETERS, "video_id '" + KeyRules.printable(videoId)
                        + "' cannot name saved frames (params.save.prefix is set): it must be 1 to "
                        + KeyRules.MAX_SEGMENT_LENGTH + " of A-Z a-z 0-9 . _ -, not '.' or '..'");
            }
            try {
                KeyRules.savedFrameDir(prefix, videoId);
            } catch (IllegalArgumentException e) {
                throw badRequest(INVALID_PARAMETERS, "params.save.prefix and video_id: " + e.getMessage());
            }
        }
        return Save.newBuilder()
                .setBucket(bucket)
                .setZone(zone == null ? null : zone.intValue())
                .setPrefix(prefix)
                .build();
    }

    private static Vframe parseVframe(ObjectNode vframe) {
        int mode = DEFAULT_MODE;
        double interval = DEFAULT_INTERVAL_S;
        Double start = null;
        Double duration = null;
        if (vframe != null) {
            Long m = integral(vframe, "mode", "params.vframe.mode");
            if (m != null) {
                if (m != 0 && m != 1) {
                    throw badRequest(INVALID_MODE, "params.vframe.mode was " + m);
                }
                mode = m.intValue();
            }
            Double i = number(vframe, "interval", "params.vframe.interval");
            if (i != null) {
                if (i < 0 || i > MAX_INTERVAL_S) {
                    throw badRequest(INVALID_INTERVAL, "params.vframe.interval was " + i + " s");
                }
                if (i > 0) {
                    interval = i;
                }
            }
            Double ss = number(vframe, "ss", "params.vframe.ss");
            if (ss != null) {
                if (ss < 0) {
                    throw badRequest(INVALID_STARTTIME, "params.vframe.ss was " + ss + " s");
                }
                start = ss > 0 ? ss : null;
            }
            Double t = number(vframe, "t", "params.vframe.t");
            if (t != null) {
                if (t < 0) {
                    throw badRequest(INVALID_DURATION, "params.vframe.t was " + t + " s");
                }
                duration = t > 0 ? t : null;
            }
        }
        return Vframe.newBuilder()
                .setMode(mode)
                .setIntervalS(interval)
                .setStartS(start)
                .setDurationS(duration)
                .build();
    }

    // ---- typed field access: JSON null counts as absent, a wrong type is "invalid parameters" ----

    private static JsonNode present(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? null : n;
    }

    private static ObjectNode object(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an object");
        }
        return (ObjectNode) n;
    }

    private static String string(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a string");
        }
        return n.textValue();
    }

    private static Boolean bool(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a boolean");
        }
        return n.booleanValue();
    }

    private static Long integral(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be an integer");
        }
        return n.canConvertToLong() ? n.longValue() : (n.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    private static Double number(JsonNode parent, String name, String path) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isNumber()) {
            throw badRequest(INVALID_PARAMETERS, path + " must be a number");
        }
        return n.doubleValue();
    }

    private String hookUrl(JsonNode parent, String name, String path) {
        String url = string(parent, name, path);
        if (url == null || url.isBlank()) {
            return null;
        }
        url = url.trim();
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw badRequest(INVALID_PARAMETERS, path + " must be an absolute http or https URL");
            }
            guard(u, path);
        } catch (URISyntaxException e) {
            throw badRequest(INVALID_PARAMETERS, path + " is not a valid URL: " + e.getMessage());
        }
        return url;
    }

    /** Refuses a URL the guard refuses; an unresolvable host passes (the fetch decides then). */
    private void guard(URI uri, String field) {
        UrlGuard.Decision d = urlGuard.check(uri);
        if (d.refused()) {
            throw badRequest(INVALID_PARAMETERS, field + ": " + d.reason());
        }
    }

    private static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot re-serialize a parsed JSON tree", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
