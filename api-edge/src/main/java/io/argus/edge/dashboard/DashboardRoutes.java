package io.argus.edge.dashboard;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.traffic.JobRecords;
import io.argus.edge.traffic.TrafficBackend;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.FrameCount;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The web dashboard: its static page and the two routes only it needs.
 * <ul>
 *   <li>{@code GET /api/v1/dashboard/jobs?limit=} (API key): the newest jobs (default
 *       {@value #DEFAULT_LIST}, at most {@value #MAX_LIST}) as {@code GET /v1/jobs/video/{job_id}}
 *       shows each (source and ops in {@code request}, URLs redacted; {@code progress};
 *       {@code error}) without their results, in one call: {@code {"jobs": [...]}}.</li>
 *   <li>{@code GET /} and {@code GET /dashboard/{asset}}: the page and its CSS, ES modules and icon
 *       ({@link DashboardAssets}), served without an API key (they hold no data; every data call of
 *       the page sends the key the user typed, kept in the tab's {@code sessionStorage}, as
 *       {@code X-Api-Key}). {@code Cache-Control: no-cache} with an ETag: the browser revalidates
 *       and gets 304 while the file is unchanged. A Content-Security-Policy allows only this origin
 *       ({@code data:} and {@code blob:} images for the frames).</li>
 *   <li>{@code POST /api/v1/dashboard/jobs/{job_id}/token} (API key): a token that opens that job's
 *       event stream for {@link StreamTokens#DEFAULT_LIFETIME}: {@code {"token", "expires_at_ms",
 *       "events_url"}}; 404 {@code job not found}.</li>
 *   <li>{@code GET /api/v1/dashboard/jobs/{job_id}/events?token=…}: Server-Sent Events (the
 *       WHATWG HTML standard, section 9.2) of a tracked job, read from Kafka ({@code argus.tracks}
 *       and {@code argus.counts}, from the start, then as they are written): one {@code frame}
 *       event per tracked frame, {@code id} its {@code seq} and {@code data}
 *       {@code {"seq", "offset_ms", "frame" (the annotated JPEG as a data URL), "people_count",
 *       "vehicle_count", "pedestrians_in_interval", "vehicles_in_interval", "tracks"}}; {@code segment}
 *       events without an id, each op's newest closed segment ({@code argus.segments}) and the
 *       segment open now (followed from {@code argus.frame-results}; {@link LiveSegments} gives
 *       their data), as they change; then one
 *       {@code end} event {@code {"job", "status"}} when the job's end record is read. A reconnect
 *       with {@code Last-Event-ID}, or {@code after=<seq>}, resumes after that seq. No API key: {@code EventSource} cannot
 *       send headers, so the stream takes a token from the route above instead (never a key in a
 *       URL); 401 for a missing, foreign or expired token, 404 for an unknown job or one without
 *       tracking, 503 when {@link #DEFAULT_MAX_STREAMS} (or the configured number of) streams are
 *       already open (each holds a server thread and a Kafka consumer). A comment line every {@value #KEEPALIVE_MS} ms while nothing comes keeps proxies
 *       from closing the stream and notices a client that left.</li>
 * </ul>
 */
public final class DashboardRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
    /** Prefix of the static files. */
    public static final String ASSETS = "/dashboard/";
    /** Prefix of the dashboard's own API. */
    public static final String API = "/api/v1/dashboard/jobs/";
    /** Period of the keep-alive comment on a quiet event stream, ms. */
    public static final long KEEPALIVE_MS = 15_000;
    /** Content-Security-Policy of the page (W3C CSP Level 3). */
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
    /** Most event streams open at once by default. */
    public static final int DEFAULT_MAX_STREAMS = 32;
    /** Jobs listed by default, and at most. */
    static final int DEFAULT_LIST = 50;
    static final int MAX_LIST = 500;
    /** Longest wait for the last segments after a job's end record, before the end event. */
    static final java.time.Duration END_SEGMENTS_WAIT = java.time.Duration.ofSeconds(5);
    private static final Pattern EVENTS = Pattern.compile("/api/v1/dashboard/jobs/[^/]+/events");

    private final DashboardAssets assets;
    private final StreamTokens tokens;
    private final JobView view;
    private final Topics topics;
    private final JobRecords records;
    private final TrafficBackend traffic;
    private final java.util.concurrent.Semaphore streams;

    /**
     * @param assets  the static files
     * @param tokens  the event-stream tokens
     * @param view    the job view (which jobs exist)
     * @param topics  topic registry (jobs, tracks, counts)
     * @param records reads a job's records from those topics
     * @param traffic draws a tracked frame, or null when the edge has no traffic API (the event
     *                stream then answers 404 for every job)
     */
    public DashboardRoutes(DashboardAssets assets, StreamTokens tokens, JobView view, Topics topics,
                           JobRecords records, TrafficBackend traffic) {
        this(assets, tokens, view, topics, records, traffic, DEFAULT_MAX_STREAMS);
    }

    /**
     * @param assets     the static files
     * @param tokens     the event-stream tokens
     * @param view       the job view (which jobs exist)
     * @param topics     topic registry (jobs, tracks, counts)
     * @param records    reads a job's records from those topics
     * @param traffic    draws a tracked frame, or null when the edge has no traffic API
     * @param maxStreams most event streams open at once (each holds a server thread and a Kafka
     *                   consumer); one more answers 503
     */
    public DashboardRoutes(DashboardAssets assets, StreamTokens tokens, JobView view, Topics topics,
                           JobRecords records, TrafficBackend traffic, int maxStreams) {
        this.streams = new java.util.concurrent.Semaphore(Math.max(0, maxStreams));
        this.assets = Objects.requireNonNull(assets, "assets");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.view = Objects.requireNonNull(view, "view");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.records = Objects.requireNonNull(records, "records");
        this.traffic = traffic;
    }

    @Override
    public boolean isOpen(HandlerType method, String path) {
        boolean read = method == HandlerType.GET || method == HandlerType.HEAD;
        return read && (path.equals("/") || path.startsWith(ASSETS) || EVENTS.matcher(path).matches());
    }

    @Override
    public void register(ApiRoutes api) {
        api.get("/", ctx -> asset(ctx, "index.html"), op -> op.summary("The web dashboard").tag("dashboard")
                .withoutKey().produces("text/html")
                .description("A static page that holds no data; its calls send the API key the user types.")
                .response(200, "the page").response(304, "unchanged (If-None-Match)"));
        api.get(ASSETS + "{asset}", ctx -> asset(ctx, ctx.pathParam("asset")), op -> op
                .summary("A file of the web dashboard").tag("dashboard").withoutKey().produces("text/javascript")
                .pathParam("asset", "one of " + String.join(", ", DashboardAssets.NAMES))
                .response(200, "the file, with its content type").response(304, "unchanged (If-None-Match)")
                .response(404, "no such file", "application/json"));
        api.get("/api/v1/dashboard/jobs", this::listJobs, op -> op
                .summary("The newest jobs with their source, ops, tracking, progress and error").tag("dashboard")
                .query("limit", io.argus.edge.openapi.Schemas.integer(1, MAX_LIST), "how many (default "
                        + DEFAULT_LIST + ")")
                .response(200, "{\"jobs\": [job as GET /v1/jobs/video/{job_id} answers it, without result]}")
                .response(400, "invalid parameters: a limit out of range"));
        api.post(API + "{job_id}/token", this::postToken, op -> op
                .summary("A short-lived token for a job's event stream").tag("dashboard")
                .response(200, "{\"token\", \"expires_at_ms\", \"events_url\"}").response(404, "job not found"));
        api.get(API + "{job_id}/events", this::getEvents, op -> op
                .summary("A tracked job's frames and counts as Server-Sent Events, from Kafka").tag("dashboard")
                .withoutKey().produces("text/event-stream")
                .query("token", "from POST " + API + "{job_id}/token (EventSource cannot send an API key)")
                .query("after", "resume after this frame seq (as Last-Event-ID; a new EventSource cannot send it)")
                .response(200, "events 'frame' (annotated JPEG and counts), 'segment' (each op's open and last closed segment) and 'end'")
                .response(401, "missing, foreign or expired token", "application/json")
                .response(404, "job not found, or not tracked", "application/json")
                .response(503, "too many streams open; retry later", "application/json"));
    }

    private void asset(Context ctx, String name) {
        Optional<DashboardAssets.Asset> found = assets.get(name);
        if (found.isEmpty()) {
            send(ctx, 404, ApiJson.error("not found").put("detail", "no dashboard file " + name));
            return;
        }
        DashboardAssets.Asset a = found.get();
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", a.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (name.endsWith(".html")) {
            ctx.header("Content-Security-Policy", CSP);
        }
        if (a.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(a.contentType()).result(a.bytes());
    }

    private void listJobs(Context ctx) {
        Long asked = io.argus.edge.http.FormParts.nonNegative(ctx, "limit");
        int limit = asked == null ? DEFAULT_LIST : (int) Math.min(asked, Integer.MAX_VALUE);
        if (limit < 1 || limit > MAX_LIST) {
            throw io.argus.edge.request.ApiException.badRequest(io.argus.edge.request.ApiException.INVALID_PARAMETERS,
                    "limit must be 1 to " + MAX_LIST);
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode jobs = out.putArray("jobs");
        for (JobStatus s : view.page(Optional.empty(), Optional.empty(), limit).jobs()) {
            ObjectNode job = ApiJson.job(s, java.util.Map.of());
            job.remove("result");
            jobs.add(job);
        }
        send(ctx, 200, out);
    }

    private void postToken(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        if (view.status(jobId).isEmpty()) {
            send(ctx, 404, ApiJson.error("job not found"));
            return;
        }
        StreamTokens.Token t = tokens.mint(jobId);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("token", t.token());
        out.put("expires_at_ms", t.expiresAtMs());
        out.put("events_url", API + jobId + "/events?token=" + t.token());
        ctx.header("Cache-Control", "no-store");
        send(ctx, 200, out);
    }

    private void getEvents(Context ctx) throws IOException {
        String jobId = ctx.pathParam("job_id");
        if (!tokens.accepts(ctx.queryParam("token"), jobId)) {
            send(ctx, 401, ApiJson.error("unauthorized").put("detail",
                    "a stream token is required: POST " + API + jobId + "/token with the API key"));
            return;
        }
        if (!streams.tryAcquire()) {
            ctx.header("Retry-After", "10");
            send(ctx, 503, ApiJson.error("service unavailable").put("detail",
                    "too many event streams are open; retry later"));
            return;
        }
        try {
            stream(ctx, jobId);
        } finally {
            streams.release();
        }
    }

    private void stream(Context ctx, String jobId) throws IOException {
        Optional<JobStatus> status = view.status(jobId);
        Optional<JobRequest> request = status.isEmpty() ? Optional.empty()
                : records.read(topics.jobs(), jobId).stream().findFirst();
        if (request.isEmpty() || request.get().getTracking() == null || traffic == null) {
            send(ctx, 404, ApiJson.error("job not found").put("detail", "no tracked job " + jobId));
            return;
        }
        long after = lastEventId(ctx.header("Last-Event-ID"));
        if (after < 0) {
            after = lastEventId(ctx.queryParam("after"));
        }
        long skipTo = after;
        ctx.status(200).contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(("retry: 3000\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        boolean[] gone = {false};
        long[] lastWrite = {System.currentTimeMillis()};
        try (LiveSegments segments = new LiveSegments(records.kafka(), topics, jobId)) {
            follow(jobId, request.get(), out, skipTo, segments, gone, lastWrite);
        }
    }

    /** Writes the frames and segments until the job's end record, the client leaves or the server stops. */
    private void follow(String jobId, JobRequest request, OutputStream out, long skipTo,
                        LiveSegments segments, boolean[] gone, long[] lastWrite) {
        boolean ended = records.followFrames(topics.tracks(), topics.counts(), jobId, (frame, counts) -> {
            if (frame.getSeq() <= skipTo) {
                return false;
            }
            try {
                write(out, "frame", String.valueOf(frame.getSeq()), frameEvent(frame, counts, request));
                lastWrite[0] = System.currentTimeMillis();
                return false;
            } catch (IOException e) {
                gone[0] = true;
                return true;
            }
        }, () -> {
            if (!gone[0] && segments(out, segments)) {
                lastWrite[0] = System.currentTimeMillis();
            }
            if (!gone[0] && System.currentTimeMillis() - lastWrite[0] >= KEEPALIVE_MS) {
                try {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite[0] = System.currentTimeMillis();
                } catch (IOException e) {
                    gone[0] = true;
                }
            }
            return gone[0];
        });
        if (ended && !gone[0]) {
            // the segments the job's end closed are written with its end: send them first
            write(out, segments.drain(END_SEGMENTS_WAIT));
            ObjectNode end = ApiJson.MAPPER.createObjectNode();
            end.put("job", jobId);
            end.put("status", view.status(jobId).map(s -> s.getStatus().name()).orElse("UNKNOWN"));
            try {
                write(out, "end", null, end);
            } catch (IOException e) {
                LOG.debug("Dashboard stream of {}: client left before the end event", jobId);
            }
        }
    }

    /**
     * Writes the segment changes read since the last call.
     *
     * @return true when something was written; false when nothing was (or the client left: then
     *         the next frame's write notices it)
     */
    private static boolean segments(OutputStream out, LiveSegments segments) {
        return write(out, segments.poll());
    }

    private static boolean write(OutputStream out, List<ObjectNode> changes) {
        try {
            for (ObjectNode c : changes) {
                write(out, "segment", null, c);
            }
        } catch (IOException e) {
            return false;
        }
        return !changes.isEmpty();
    }

    private ObjectNode frameEvent(TrackFrame frame, FrameCount counts, JobRequest request) throws IOException {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("seq", frame.getSeq());
        o.put("offset_ms", frame.getOffsetMs());
        o.put("frame", "data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(traffic.annotatedFrame(frame, request)));
        o.put("people_count", counts.getPeopleCount());
        o.put("vehicle_count", counts.getVehicleCount());
        o.put("pedestrians_in_interval", counts.getPedestriansInInterval());
        o.put("vehicles_in_interval", counts.getVehiclesInInterval());
        o.put("tracks", frame.getTracks().size());
        return o;
    }

    private static void write(OutputStream out, String event, String id, ObjectNode data) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("event: ").append(event).append('\n');
        if (id != null) {
            b.append("id: ").append(id).append('\n');
        }
        b.append("data: ").append(ApiJson.write(data)).append("\n\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @return the seq of a {@code Last-Event-ID}, -1 when absent or not a number */
    static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
