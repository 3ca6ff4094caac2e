package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.TrackingSpec;
import io.argus.schemas.net.SourceSchemes;
import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.store.KeyRules;

/**
 * Parses and validates the body of {@code POST /v1/video/<video_id>} ({@code argus-video-api.md},
 * section POST__/v1/video) into a {@link JobRequest}. Pure: no Kafka, no I/O.
 *
 * <p>This class reads the body and assembles the job; each part of the body has its reader in
 * this package: {@link RequestUrls} ({@code data.uri} and every hook URL, checked by the
 * {@link UrlGuard}), {@link OpsParser} ({@code ops}), {@link ParamsParser} ({@code params}, with
 * {@link VframeParser} and {@link SaveParser}), all on the typed field access of
 * {@link JsonFields}. The contract of the whole body is documented here.
 *
 * <p>Body shape:
 * <pre>
 * {"data":   {"uri": "http://…"},
 *  "params": {"async": bool,
 *             "vframe": {"mode": 0|1, "interval": seconds, "ss": seconds, "t": seconds},
 *             "live": {"timeout": seconds},
 *             "save": {"bucket": str, "zone": int, "prefix": "a/b"},
 *             "tracking": {"op": name, "classes": [str], "lines": [{"name": str, "points": [[x, y], …],
 *                          "direction": "in"|"out"|"both"}], "interval_ms": int, "min_travel": float,
 *                          "min_dwell_ms": int, "lost_ttl_ms": int},
 *             "hookURL": "http://…"},
 *  "ops": [{"op": name, "hookURL": "http://…", "hookURL_segment": "http://…",
 *           "params": {"labels": [{"label": str, "select": 1|2, "score": float}],
 *                      "terminate": {"mode": 1|2, "labels": {label: max}},
 *                      "ignore_empty_labels": bool, …the op's declared params}}]}
 * </pre>
 * {@code data} may also hold {@code attribute}, an object, as the spec's queued job (TASK
 * /v1/video) does; it is not read. No other field is accepted, in any object of the body but
 * {@code terminate.labels} (whose keys are labels): a typo is an error, never a silent default.
 *
 * <p>Errors (each an {@link ApiException} with HTTP 400 and the spec's exact message; the first
 * problem found wins, checked in the order {@code <video_id>}, body, {@code data}, {@code ops},
 * {@code params} (itself, then {@code vframe}, {@code async}, {@code hookURL}, {@code live},
 * {@code save}, {@code tracking})):
 * <ul>
 *   <li>"invalid parameters": a missing or blank {@code <video_id>}, one longer than
 *       {@value #MAX_VIDEO_ID_LENGTH} characters or with a control character (CR, LF, NUL, …; a
 *       video id is echoed in answers, hooks and logs, so it may not break their lines); a body empty, not JSON
 *       (trailing content and duplicate keys included) or not an object; a field the API does not
 *       define, at any level (detail {@code "unknown field 'params.vframe.intervall'; accepted:
 *       mode, interval, ss, t"}); an op param the op does not declare (detail {@code "unknown field
 *       'ops[0].params.treshold': op person has no such param; accepted: labels, terminate,
 *       ignore_empty_labels, threshold"}) or outside its declared type or range, never clamped
 *       (detail {@code "ops[0].params.threshold must be a number in [0, 1], was "abc""}); a field of the wrong
 *       JSON type ({@code ops} not an array, an op or a label rule not an object, …),
 *       {@code data.uri} missing, empty or with a scheme other than http, https, rtmp, rtmps,
 *       rtsp, file (a plain absolute or relative path is a local file), a network
 *       {@code data.uri} that does not parse or has no host, a {@code file:} URI without a path,
 *       a hook URL that is not an absolute http(s) URL with a host, a network {@code data.uri} or
 *       a hook URL whose address the {@link UrlGuard} refuses (detail {@code "data.uri: the address is not allowed: …"}; a
 *       host that does not resolve is let through, and the job fails later with 424 "cannot find
 *       the video" as before), a {@code labels[].label} missing or empty,
 *       {@code labels[].select} missing or not 1 or 2, {@code terminate.mode} missing or not 1
 *       or 2, a terminate max not an integer in [1, 2^31 - 1], an op listed twice; {@code params.live} not an object,
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
 *   <li>"invalid parameters" for {@code params.tracking} as {@link TrackingParser} says: not an
 *       object, an unknown field, {@code op} missing or not one of the job's ops, a line without a
 *       name, with a name used twice, fewer than 2 or more than 32 points, a point outside [0, 1] or
 *       repeating the one before, a direction other than in, out or both, more than 16 lines, a
 *       number out of its range (the detail names the field);</li>
 *   <li>"empty op": {@code ops} missing, null or empty;</li>
 *   <li>"bad op": an op name missing or outside the known ops (the detail lists them; for an op
 *       this deployment knows but cannot run, e.g. {@code detection} without its model, it first
 *       says why and what to do, {@link OpCatalog#unavailable(String)});</li>
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
 *       rule's {@code score} to 0; an op without {@code terminate} has no stop rule.</li>
 *   <li>{@code params.live.timeout} (seconds a live source may stay silent before the job fails
 *       with 499 "timeout") becomes {@link JobRequest#getLiveTimeoutS()}; absent or null means
 *       null (ingest's default). It is accepted for any source and only used for live ones
 *       ({@link #isLive(String)}).</li>
 *   <li>{@code params.segment} (Argus; the original Argus's fixed-length segments) becomes
 *       {@link JobRequest#getSegment()} in ms: {@code interval}, seconds in (0,
 *       {@value #MAX_LIVE_TIMEOUT_S}]: segments never span two windows of that length anchored at
 *       the op's first frame; {@code max_duration}, seconds in the same range: a segment is closed
 *       and the next opened once a frame comes that long after its first (live jobs default to
 *       300 s, so a camera whose labels never change still sends segment hooks). Bad values and
 *       other fields: 400 "invalid parameters".</li>
 *   <li>{@code params.save} becomes {@link JobRequest#getSave()}: {@code bucket} and
 *       {@code zone} are kept as sent and have no effect (the deployment's frame store,
 *       {@code --frame-store}, decides where frames go); with a non-empty {@code prefix}, ingest
 *       stores each sampled frame under {@code <prefix>/<video_id>/<offset_ms>.jpg} instead of
 *       {@code <job_id>/<seq>.jpg}, and that URI is the frame's URI everywhere (cuts included).
 *       An absent, null or empty prefix keeps the default names.</li>
 *   <li>{@code params.tracking} becomes {@link JobRequest#getTracking()} (null when absent), its
 *       defaults filled ({@link TrackingParser}); the aggregator then tracks the op's detections and
 *       counts them on the tracks and counts topics.</li>
 *   <li>Empty or blank hook URL strings are treated as absent; hook URLs and {@code data.uri}
 *       are trimmed. An op's whole {@code params} object stays,
 *       compacted, in its {@code params_json}, and the whole body in {@code request_json}.</li>
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

    /**
     * Longest {@code <video_id>}, in UTF-16 characters. A video id is the caller's label, echoed in
     * answers, hooks and logs: any characters but control characters; with {@code params.save} it
     * also names frames and must be a store key segment (A-Z a-z 0-9 . _ -).
     */
    public static final int MAX_VIDEO_ID_LENGTH = 128;
    /** Largest accepted {@code params.live.timeout}, seconds (one day). */
    public static final double MAX_LIVE_TIMEOUT_S = 86_400.0;

    /** Fields of the body ({@code argus-video-api.md} POST /v1/video). */
    static final List<String> BODY_FIELDS = List.of("data", "params", "ops");

    private final OpCatalog catalog;
    private final Supplier<String> ids;
    private final LongSupplier clockMs;
    private final UrlGuard urlGuard;
    private final RequestUrls urls;
    private final OpsParser ops;
    private final ParamsParser params;

    /**
     * A parser giving random UUID job ids and the system clock as {@code created_at}, checking no
     * address ({@link UrlGuard#allowAll()}).
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op"), known by name only:
     *                 their {@code params} are not checked ({@link OpCatalog#ofNames})
     */
    public JobRequestParser(Set<String> knownOps) {
        this(knownOps, UrlGuard.allowAll());
    }

    /**
     * A parser giving random UUID job ids and the system clock as {@code created_at}.
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op"), known by name only:
     *                 their {@code params} are not checked ({@link OpCatalog#ofNames})
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(Set<String> knownOps, UrlGuard urlGuard) {
        this(knownOps, () -> UUID.randomUUID().toString(), System::currentTimeMillis, urlGuard);
    }

    /**
     * A parser checking no address ({@link UrlGuard#allowAll()}).
     *
     * @param knownOps op names the pipeline can run (anything else is "bad op"), known by name only:
     *                 their {@code params} are not checked ({@link OpCatalog#ofNames})
     * @param ids      job id generator
     * @param clockMs  current time, ms since the epoch
     */
    public JobRequestParser(Set<String> knownOps, Supplier<String> ids, LongSupplier clockMs) {
        this(knownOps, ids, clockMs, UrlGuard.allowAll());
    }

    /**
     * @param knownOps op names the pipeline can run (anything else is "bad op"), known by name only:
     *                 their {@code params} are not checked ({@link OpCatalog#ofNames})
     * @param ids      job id generator
     * @param clockMs  current time, ms since the epoch
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(Set<String> knownOps, Supplier<String> ids, LongSupplier clockMs, UrlGuard urlGuard) {
        this(OpCatalog.ofNames(knownOps), ids, clockMs, urlGuard);
    }

    /**
     * A parser giving random UUID job ids and the system clock as {@code created_at}.
     *
     * @param ops      the ops jobs may name, with their params, and the ops known but unavailable
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(OpCatalog ops, UrlGuard urlGuard) {
        this(ops, () -> UUID.randomUUID().toString(), System::currentTimeMillis, urlGuard);
    }

    /**
     * @param ops      the ops jobs may name, with their params, and the ops known but unavailable
     * @param ids      job id generator
     * @param clockMs  current time, ms since the epoch
     * @param urlGuard which addresses network sources and hook URLs may have
     */
    public JobRequestParser(OpCatalog ops, Supplier<String> ids, LongSupplier clockMs, UrlGuard urlGuard) {
        this.catalog = Objects.requireNonNull(ops, "ops");
        this.ids = ids;
        this.clockMs = clockMs;
        this.urlGuard = Objects.requireNonNull(urlGuard, "urlGuard");
        this.urls = new RequestUrls(urlGuard);
        this.ops = new OpsParser(catalog, urls);
        this.params = new ParamsParser(urls);
    }

    /** @return the guard checking network sources and hook URLs */
    public UrlGuard urlGuard() {
        return urlGuard;
    }

    /** @return the known op names, sorted */
    public SortedSet<String> knownOps() {
        return catalog.names();
    }

    /** @return the ops jobs may name, with their labels and params, and the unavailable ones */
    public OpCatalog ops() {
        return catalog;
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
        if (videoId.length() > MAX_VIDEO_ID_LENGTH || videoId.chars().anyMatch(Character::isISOControl)) {
            throw badRequest(INVALID_PARAMETERS, "video_id must be 1 to " + MAX_VIDEO_ID_LENGTH
                    + " characters without control characters (any letters, digits and punctuation; with params.save, "
                    + "only A-Z a-z 0-9 . _ -)");
        }
        JsonNode root = JsonFields.readBody(body);
        JsonFields.onlyFields(root, "", BODY_FIELDS);
        String uri = urls.dataUri(root);
        List<OpSpec> opSpecs = ops.parse(root.get("ops"));
        ParamsParser.Params p = params.parse(root, videoId);
        ObjectNode paramsNode = JsonFields.object(root, "params", "params");
        TrackingSpec tracking = TrackingParser.parse(
                paramsNode == null ? null : JsonFields.object(paramsNode, "tracking", "params.tracking"), opSpecs);

        return JobRequest.newBuilder()
                .setJobId(ids.get())
                .setVideoId(videoId)
                .setUri(uri)
                .setVframe(p.vframe())
                .setOps(opSpecs)
                .setHookUrl(p.hookUrl())
                .setAsync(p.async())
                .setLiveTimeoutS(p.liveTimeoutS())
                .setSave(p.save())
                .setSegment(p.segment())
                .setTracking(tracking)
                .setCreatedAt(clockMs.getAsLong())
                .setRequestJson(JsonFields.compact(root))
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
}
