package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JobRequestParser.MAX_LIVE_TIMEOUT_S;
import static io.argus.edge.request.JsonFields.bool;
import static io.argus.edge.request.JsonFields.number;
import static io.argus.edge.request.JsonFields.object;
import static io.argus.edge.request.JsonFields.onlyFields;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Save;
import io.argus.schemas.avro.SegmentWindows;
import io.argus.schemas.avro.Vframe;

/**
 * Reads the {@code params} object of a job request: {@code vframe} ({@link VframeParser}),
 * {@code async}, {@code hookURL}, {@code live}, {@code segment} and {@code save} ({@link SaveParser}). The
 * accepted values, defaults and errors are in {@link JobRequestParser}'s class comment.
 * Thread-safe.
 */
final class ParamsParser {

    /**
     * The job-wide params of a request.
     *
     * @param vframe       the sampling, defaults filled
     * @param async        {@code params.async}, false when absent
     * @param hookUrl      {@code params.hookURL}, or null
     * @param liveTimeoutS {@code params.live.timeout}, seconds, or null
     * @param save         {@code params.save}, or null
     * @param segment      {@code params.segment} in ms, or null
     */
    record Params(Vframe vframe, boolean async, String hookUrl, Double liveTimeoutS, Save save,
                  SegmentWindows segment) {
    }

    /**
     * Fields of {@code params}: the spec's, and {@code live}, {@code segment} and {@code tracking}
     * (Argus; {@code tracking} is read by {@link TrackingParser}).
     */
    static final List<String> PARAMS_FIELDS = List.of("async", "vframe", "save", "hookURL", "live", "segment",
            "tracking");
    /** Fields of {@code params.segment}. */
    static final List<String> SEGMENT_FIELDS = List.of("interval", "max_duration");
    /** Fields of {@code params.live}. */
    static final List<String> LIVE_FIELDS = List.of("timeout");

    private final RequestUrls urls;

    /** @param urls checks {@code params.hookURL} */
    ParamsParser(RequestUrls urls) {
        this.urls = urls;
    }

    /**
     * Reads, in this order, {@code params} itself, {@code vframe}, {@code async}, {@code hookURL},
     * {@code live} and {@code save}; the first problem wins. A field of {@code params} or of
     * {@code params.live} that the API does not define is refused.
     *
     * @param root    the request body
     * @param videoId the {@code <video_id>} path segment (names saved frames)
     * @return the params; without {@code params}, the default sampling and nothing else
     * @throws ApiException (400) as {@link JobRequestParser}'s class comment says
     */
    Params parse(JsonNode root, String videoId) {
        ObjectNode params = object(root, "params", "params");
        if (params != null) {
            onlyFields(params, "params", PARAMS_FIELDS);
        }
        Vframe vframe = VframeParser.parse(params == null ? null : object(params, "vframe", "params.vframe"));
        if (params == null) {
            return new Params(vframe, false, null, null, null, null);
        }
        Boolean async = bool(params, "async", "params.async");
        String hookUrl = urls.hookUrl(params, "hookURL", "params.hookURL");
        Double liveTimeout = live(object(params, "live", "params.live"));
        Save save = SaveParser.parse(object(params, "save", "params.save"), videoId);
        SegmentWindows segment = segment(object(params, "segment", "params.segment"));
        return new Params(vframe, async != null && async, hookUrl, liveTimeout, save, segment);
    }

    /**
     * @return {@code params.segment} in ms, or null when absent
     * @throws ApiException (400 "invalid parameters") for another field, or a value that is not a
     *                      number of seconds in (0, {@value JobRequestParser#MAX_LIVE_TIMEOUT_S}]
     */
    private static SegmentWindows segment(ObjectNode segment) {
        if (segment == null) {
            return null;
        }
        onlyFields(segment, "params.segment", SEGMENT_FIELDS);
        Long interval = seconds(segment, "interval");
        Long max = seconds(segment, "max_duration");
        return interval == null && max == null ? null : new SegmentWindows(interval, max);
    }

    private static Long seconds(ObjectNode segment, String field) {
        Double s = number(segment, field, "params.segment." + field);
        if (s == null) {
            return null;
        }
        if (!(s > 0 && s <= MAX_LIVE_TIMEOUT_S) || Math.round(s * 1000) < 1) {
            throw badRequest(INVALID_PARAMETERS, "params.segment." + field + " must be seconds in (0, "
                    + (long) MAX_LIVE_TIMEOUT_S + "], was " + s);
        }
        return Math.round(s * 1000);
    }

    /**
     * @return {@code params.live.timeout} in seconds, or null when absent
     * @throws ApiException (400 "invalid parameters") for a field other than {@code timeout}, or a
     *                      timeout that is not a number in (0, {@value JobRequestParser#MAX_LIVE_TIMEOUT_S}]
     */
    private static Double live(ObjectNode live) {
        if (live == null) {
            return null;
        }
        onlyFields(live, "params.live", LIVE_FIELDS);
        Double timeout = number(live, "timeout", "params.live.timeout");
        if (timeout != null && !(timeout > 0 && timeout <= MAX_LIVE_TIMEOUT_S)) {
            throw badRequest(INVALID_PARAMETERS, "params.live.timeout must be seconds in (0, "
                    + (long) MAX_LIVE_TIMEOUT_S + "], was " + timeout);
        }
        return timeout;
    }
}
