package io.argus.edge.render;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.net.Redaction;

/**
 * Avro records -> the JSON shapes of {@code argus-video-api.md}. Offsets are integer
 * milliseconds from the source start; scores are floats in [0, 1]; times are UTC
 * {@code yyyy-MM-ddTHH:mm:ssZ}: the spec's {@code 2006-01-02T15:04:05} (seconds) with the zone
 * written, {@code 2006-01-02T15:04:05Z} (RFC 3339 section 5.6), so no reader takes it for local time.
 */
public final class ApiJson {

    /** The mapper used for every API body. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Jackson's hint naming the option that would accept the text: {@code : enable `X.Y` to allow}. */
    private static final Pattern JACKSON_OPTION_HINT = Pattern.compile(":?\\s*enable\\s+`[^`]*`\\s+to\\s+allow");
    /** Jackson's reason naming an option: {@code  as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`}. */
    private static final Pattern JACKSON_AS_PER = Pattern.compile("\\s+as per\\s+`[^`]*`");
    /** Jackson's Java type of the value read: {@code  (bound as `com.fasterxml.jackson.databind.JsonNode`)}. */
    private static final Pattern JACKSON_BOUND = Pattern.compile("\\s*\\(bound as `[^`]*`\\)");
    /** Jackson's description of the input: {@code [Source: …; line: 1, column: 5]}. */
    private static final Pattern JACKSON_SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");
    /** Any other Jackson option name left in a message. */
    private static final Pattern JACKSON_OPTION = Pattern.compile("\\s*\\(?`?[A-Za-z]*Feature\\.[A-Z_]+`?[^)]*\\)?");

    private ApiJson() {
    }

    /**
     * An op's result (CALLBACK /v1/video/op-result, {@code result} field; also the value of each op
     * in the synchronous POST /v1/video answer):
     * <pre>
     * {"labels": [{"label": str, "score": float}],
     *  "segments": [{"offset_begin": ms, "offset_end": ms,
     *                "labels": [{"label": str, "score": float}],
     *                "cuts": [{"offset": ms, "uri": str, "url": str, "result": {…}}]}],
     *  "terminated": true}
     * </pre>
     * {@code "uri"} (the frame-store URI) and {@code "url"} (where the edge serves it, relative to
     * the API: {@code /v1/frames?uri=…}) are omitted when the frame was not stored; {@code "result"} is the op's raw
     * frame result parsed as JSON (kept as a string when it is not valid JSON);
     * {@code "terminated"} is present only when the op stopped early by its terminate rule.
     *
     * @param result the op's final result
     * @return the JSON object
     */
    public static ObjectNode opResult(OpResult result) {
        ObjectNode out = MAPPER.createObjectNode();
        out.set("labels", labels(result.getLabels()));
        ArrayNode segments = out.putArray("segments");
        for (Segment s : result.getSegments()) {
            segments.add(segment(s));
        }
        if (result.getTerminated()) {
            out.put("terminated", true);
        }
        return out;
    }

    /**
     * A segment, as an element of an op result's {@code segments} and as the {@code result} of
     * CALLBACK /v1/video/segment:
     * <pre>
     * {"offset_begin": ms, "offset_end": ms,
     *  "labels": [{"label": str, "score": float}],
     *  "cuts": [{"offset": ms, "uri": str, "url": str, "result": {…}}]}
     * </pre>
     * {@code "uri"} and {@code "url"} ({@code /v1/frames?uri=…}) are omitted when the frame was not stored; {@code "result"} is the op's raw
     * frame result parsed as JSON (kept as a string when it is not valid JSON).
     *
     * @param s the segment
     * @return the JSON object
     */
    public static ObjectNode segment(Segment s) {
        ObjectNode seg = MAPPER.createObjectNode();
        seg.put("offset_begin", s.getOffsetBegin());
        seg.put("offset_end", s.getOffsetEnd());
        seg.set("labels", labels(s.getLabels()));
        ArrayNode cuts = seg.putArray("cuts");
        for (Cut c : s.getCuts()) {
            ObjectNode cut = cuts.addObject();
            cut.put("offset", c.getOffsetMs());
            if (c.getUri() != null) {
                cut.put("uri", c.getUri());
                cut.put("url", io.argus.edge.frames.StoredFrames.url(c.getUri()));
            }
            cut.set("result", parseOrText(c.getResultJson()));
        }
        return seg;
    }

    /**
     * The synchronous POST /v1/video answer and the {@code result} of GET /v1/jobs/video/&lt;id&gt;:
     * {@code {op: opResult, …}}, ops in the job's order first, then any others.
     *
     * @param ops     the job's op names, in request order
     * @param results op name -> final result, for the ops done so far
     * @return the JSON object
     */
    public static ObjectNode opResults(List<String> ops, Map<String, OpResult> results) {
        Map<String, OpResult> ordered = new LinkedHashMap<>();
        for (String op : ops) {
            OpResult r = results.get(op);
            if (r != null) {
                ordered.put(op, r);
            }
        }
        results.entrySet().stream()
                .filter(e -> !ordered.containsKey(e.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        ObjectNode out = MAPPER.createObjectNode();
        ordered.forEach((op, r) -> out.set(op, opResult(r)));
        return out;
    }

    /**
     * The synchronous POST /v1/video answer of a FINISHED job: {@link #opResults}, followed by
     * {@code "job": job id} (an Argus addition: the id to find the job again with GET). Each op's
     * result is an object and {@code "job"} a string, so a reader of the spec's
     * {@code {op: result, …}} tells them apart; should an op itself be named {@code job}, its
     * result is kept and the id left out.
     *
     * @param jobId   the job's id
     * @param ops     the job's op names, in request order
     * @param results op name -> final result
     * @return the JSON object
     */
    public static ObjectNode syncAnswer(String jobId, List<String> ops, Map<String, OpResult> results) {
        ObjectNode out = opResults(ops, results);
        if (!out.has("job")) {
            out.put("job", jobId);
        }
        return out;
    }

    /**
     * A job, for GET /v1/jobs/video/&lt;job_id&gt;:
     * <pre>
     * {"id": job id, "vid": video id, "request": {the POST body, URLs redacted},
     *  "status": "WAITING|DOING|FINISHED|FAILED|CANCELLED",
     *  "result": {op: opResult, …}   (ops done so far),
     *  "error": message               (omitted when none),
     *  "created_at": "2006-01-02T15:04:05Z", "updated_at": "…"   (UTC),
     *  "progress": {"frames_sampled": n, "frames_analyzed": n, "frames_expected": n or -1}}
     * </pre>
     * Every URL in {@code request} ({@code data.uri}, the hook URLs) is shown without its
     * user-info and secret query values ({@link #redacted}): the job is readable by every caller.
     *
     * @param status  the job's latest status
     * @param results op name -> final result, for the ops done so far
     * @return the JSON object
     */
    public static ObjectNode job(JobStatus status, Map<String, OpResult> results) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("id", status.getJobId());
        out.put("vid", status.getVideoId());
        out.set("request", redacted(parseOrText(status.getRequestJson())));
        out.put("status", status.getStatus().name());
        out.set("result", opResults(status.getOps(), results));
        if (status.getError() != null) {
            out.put("error", status.getError().getMessage());
        }
        out.put("created_at", time(status.getCreatedAt()));
        out.put("updated_at", time(status.getUpdatedAt()));
        ObjectNode progress = out.putObject("progress");
        progress.put("frames_sampled", status.getFramesSampled());
        progress.put("frames_analyzed", status.getFramesAnalyzed());
        progress.put("frames_expected", status.getFramesExpected());
        return out;
    }

    /**
     * An item of GET /v1/jobs/video?status=:
     * {@code {"id", "status", "created_at", "updated_at"}}.
     *
     * @param status a job's latest status
     * @return the JSON object
     */
    public static ObjectNode listItem(JobStatus status) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("id", status.getJobId());
        out.put("status", status.getStatus().name());
        out.put("created_at", time(status.getCreatedAt()));
        out.put("updated_at", time(status.getUpdatedAt()));
        return out;
    }

    /**
     * The answer of POST /v1/jobs/video/&lt;job_id&gt; op=kill:
     * {@code {"status", "created_at", "updated_at"}}, formatted as in {@link #job}.
     *
     * @param status a job's latest status
     * @return the JSON object
     */
    public static ObjectNode jobState(JobStatus status) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("status", status.getStatus().name());
        out.put("created_at", time(status.getCreatedAt()));
        out.put("updated_at", time(status.getUpdatedAt()));
        return out;
    }

    /**
     * @param statuses jobs, in the order to list them
     * @return a JSON array of {@link #listItem}s
     */
    public static ArrayNode list(List<JobStatus> statuses) {
        ArrayNode out = MAPPER.createArrayNode();
        statuses.forEach(s -> out.add(listItem(s)));
        return out;
    }

    /**
     * @param epochMs ms since the epoch
     * @return UTC time like {@code 2006-01-02T15:04:05Z} (seconds, {@code Z} for UTC)
     */
    public static String time(long epochMs) {
        return TIME.format(Instant.ofEpochMilli(epochMs));
    }

    /**
     * @param message error message
     * @return {@code {"error": message}}
     */
    public static ObjectNode error(String message) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("error", message);
        return out;
    }

    /**
     * @param node a JSON tree
     * @return its compact text
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a JSON tree", e);
        }
    }

    /**
     * Why a body is not valid JSON, in the caller's terms: the parser's first line without the
     * names of Jackson's options ({@code enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to
     * allow}) or its source descriptions, followed by the line and column where it stopped.
     * E.g. {@code Non-standard token 'NaN' (not JSON) at line 1, column 10}.
     *
     * @param e what the parser threw
     * @return one line
     */
    public static String jsonProblem(IOException e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null || m.isBlank()) {
            m = "the text cannot be read";
        }
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        m = JACKSON_OPTION_HINT.matcher(m).replaceAll(" (not JSON)");
        m = JACKSON_AS_PER.matcher(m).replaceAll("");
        m = JACKSON_BOUND.matcher(m).replaceAll("");
        m = JACKSON_SOURCE.matcher(m).replaceAll("line $1, column $2");
        m = JACKSON_OPTION.matcher(m).replaceAll("").strip();
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            m += " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return m;
    }

    /**
     * @param json JSON text, or null
     * @return the parsed tree; a JSON string node holding the text when it is not valid JSON; a
     *         JSON null for null
     */
    public static JsonNode parseOrText(String json) {
        if (json == null) {
            return MAPPER.nullNode();
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            return n == null || n.isMissingNode() ? MAPPER.getNodeFactory().textNode(json) : n;
        } catch (IOException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    /**
     * Redacts, in place, every string of a JSON tree that is a URL ({@code scheme://…}): its
     * user-info and the values of secret query parameters become {@code ***}
     * ({@link Redaction#uri}). Other strings are left as they are.
     *
     * @param node a JSON tree (a request body as stored), or null
     * @return the same node
     */
    public static JsonNode redacted(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode v = o.get(name);
                if (v.isTextual()) {
                    o.put(name, redactedText(v.asText()));
                } else {
                    redacted(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    a.set(i, MAPPER.getNodeFactory().textNode(redactedText(v.asText())));
                } else {
                    redacted(v);
                }
            }
        } else if (node != null && node.isTextual()) {
            return MAPPER.getNodeFactory().textNode(redactedText(node.asText()));
        }
        return node;
    }

    /**
     * @param text a string that may be a URL
     * @return the URL redacted ({@link Redaction#uri}); any other text unchanged
     */
    public static String redactedText(String text) {
        return text != null && text.contains("://") ? Redaction.uri(text) : text;
    }

    private static ArrayNode labels(List<Label> labels) {
        ArrayNode out = MAPPER.createArrayNode();
        for (Label l : labels) {
            ObjectNode o = out.addObject();
            o.put("label", l.getLabel());
            o.put("score", l.getScore());
        }
        return out;
    }
}
