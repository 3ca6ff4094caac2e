package io.argus.edge.traffic;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.files.FileRecorder;
import io.argus.edge.http.Routes;
import io.argus.edge.media.RangeResponder;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.view.JobOutcome;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FrameCount;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;

/**
 * The traffic API of traffic-api.md, §1 and §2, over Argus jobs with {@code params.tracking}:
 * <ul>
 *   <li>{@code POST /video} (also {@code /v1/traffic/video}): multipart {@code video} +
 *       {@code interval} (ms) ({@link TrafficForm}); the upload is streamed into the store and
 *       probed, a job runs {@code detection} at {@value #TRACKING_INTERVAL_MS} ms a frame (5 fps, or
 *       the interval when shorter) with tracking and counting of people and road vehicles
 *       ({@value #CLASSES}), and the answer is {@link TrafficAnswer} with
 *       {@code processed_video_url}, the annotated H.264 MP4 rendered from the stored tracks (no
 *       second detection). With {@code async=true}: {@code {"job", "file_uuid", "status_url"}} at
 *       once.
 *   <li>{@code POST /video-streaming} (also {@code /v1/traffic/video-streaming}): the same job, and
 *       one JSON object per interval tick as soon as its frame is tracked ({@code timestamp},
 *       {@code frame_base64} (the annotated JPEG as a data URL), {@code people_count},
 *       {@code vehicle_count}, {@code pedestrians_per_interval}, {@code vehicles_per_interval}),
 *       as NDJSON, or Server-Sent Events with {@code Accept: text/event-stream}.
 *   <li>{@code GET /v1/traffic/jobs/{job_id}}: the answer of a finished job (or its status);
 *       {@code GET /v1/traffic/jobs/{job_id}/video}: the annotated MP4 with HTTP ranges;
 *       {@code GET /v1/traffic/jobs/{job_id}/stream?from_ms=}: the per-frame stream of any tracked
 *       job, from Kafka, so several clients can follow one job and a client can resume;
 *       {@code POST /v1/traffic/jobs/{job_id}/recount} ({@code {"lines": [...]}}): the counts again
 *       for other lines from the stored tracks, without detection.
 * </ul>
 * Errors: 400 "invalid parameters" for a bad form, 400 "cannot open the file" for an empty or
 * non-video upload, 413 "file too large" past the upload limit, 404 "job not found", and a failed
 * job's own code and message.
 */
public final class TrafficRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficRoutes.class);
    /** Frame period of tracking, ms: 5 fps (ByteTrack matches by overlap; README "Tracking and counting"). */
    static final long TRACKING_INTERVAL_MS = 200;
    /** COCO classes tracked and counted. */
    static final String CLASSES = "person, bicycle, car, motorcycle, bus, truck";
    /** Detection threshold of traffic jobs: low, so ByteTrack's second association sees weak boxes. */
    static final double DETECTION_THRESHOLD = 0.1;

    private final TrafficBackend backend;
    private final BiFunction<String, String, JobRequest> submit;
    private final JobView view;
    private final Topics topics;
    private final JobRecords records;
    private final Duration syncTimeout;
    private final FileRecorder files;
    private final Map<String, String> rendered = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "argus-traffic");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param backend     store, renderer and recount
     * @param submit      validates and submits a job: (video id, request JSON) → request; throws
     *                    {@link ApiException} for a bad one
     * @param view        the job view (status and completion)
     * @param topics      topic registry (tracks, counts, jobs)
     * @param kafka       connection settings to read them
     * @param syncTimeout how long {@code POST /video} waits for its job
     * @param files       records each upload as a file of the media API (with its job), or null
     *                    when the media API is off
     */
    public TrafficRoutes(TrafficBackend backend, BiFunction<String, String, JobRequest> submit, JobView view,
                         Topics topics, KafkaSettings kafka, Duration syncTimeout, FileRecorder files) {
        this.backend = backend;
        this.submit = submit;
        this.view = view;
        this.topics = topics;
        this.records = new JobRecords(kafka);
        this.syncTimeout = syncTimeout;
        this.files = files;
    }

    /** @return the longest a request here waits: the sync timeout plus rendering time (5 min) */
    public Duration longestWait() {
        return syncTimeout.plusMinutes(5);
    }

    /** @return the upload routes, each with the backend's upload limit plus 1 MiB for the form's other parts */
    @Override
    public Map<String, Long> bodyLimits() {
        long limit = backend.maxUploadBytes() + (1 << 20);
        Map<String, Long> m = new java.util.HashMap<>();
        for (String p : List.of("/video", "/v1/traffic/video", "/video-streaming", "/v1/traffic/video-streaming")) {
            m.put(p, limit);
        }
        return m;
    }

    @Override
    public void register(ApiRoutes api) {
        for (String path : List.of("/video", "/v1/traffic/video")) {
            api.post(path, this::postVideo, op -> op.summary("Count people and vehicles in an uploaded video")
                    .tag("traffic")
                    .description("traffic-api.md §1. Multipart: video (file), interval (ms), lines (JSON array, "
                            + "optional), async (true/false, optional).")
                    .body("the form", true, "multipart/form-data")
                    .response(200, "processed_video_url, pedestrian_counts, vehicle_counts, pedestrians_per_interval, "
                            + "vehicles_per_interval, job, interval, frames, totals")
                    .response(400, "invalid parameters, or cannot open the file")
                    .response(413, "file too large"));
        }
        for (String path : List.of("/video-streaming", "/v1/traffic/video-streaming")) {
            api.post(path, this::postStreaming, op -> op.summary("Per-frame counts of an uploaded video as they come")
                    .tag("traffic")
                    .description("traffic-api.md §2. NDJSON, or Server-Sent Events with Accept: text/event-stream.")
                    .body("the form", true, "multipart/form-data")
                    .response(200, "one JSON object per interval tick", "application/x-ndjson")
                    .response(400, "invalid parameters, or cannot open the file")
                    .response(413, "file too large"));
        }
        api.get("/v1/traffic/jobs/{job_id}", this::getJob, op -> op.summary("A traffic job's counts").tag("traffic")
                .response(200, "the answer of POST /video once the job is done, else {job, status}")
                .response(404, "job not found"));
        api.get("/v1/traffic/jobs/{job_id}/video", this::getVideo, op -> op.summary("The annotated MP4")
                .tag("traffic").response(200, "video/mp4, with HTTP ranges (206, 416)").response(404, "not rendered"));
        api.get("/v1/traffic/jobs/{job_id}/stream", this::getStream, op -> op
                .summary("Per-frame counts of a tracked job, from Kafka").tag("traffic")
                .query("from_ms", "resume from this offset, ms (default 0)")
                .query("interval", "one object per tick of this many ms (default: the job's interval)")
                .response(200, "NDJSON or Server-Sent Events").response(404, "job not found"));
        api.post("/v1/traffic/jobs/{job_id}/recount", this::postRecount, op -> op
                .summary("Count again for other lines from the stored tracks").tag("traffic")
                .body("{\"lines\": [{\"name\", \"points\", \"direction\"}]}", true, "application/json")
                .response(200, "{events, intervals, total}").response(400, "invalid parameters")
                .response(404, "job not found or not tracked"));
    }

    // --- POST /video ----------------------------------------------------------------------------

    private void postVideo(Context ctx) throws IOException {
        TrafficForm form = TrafficForm.read(ctx);
        Optional<Started> started = start(ctx, form);
        if (started.isEmpty()) {
            return;
        }
        String jobId = started.get().request().getJobId();
        if (form.async()) {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("job", jobId);
            out.put("file_uuid", started.get().upload().fileUuid());
            if (files != null) {
                out.put("file_url", "/api/v1/file/" + started.get().upload().fileUuid());
            }
            out.put("status_url", "/v1/traffic/jobs/" + jobId);
            send(ctx, 200, out);
            return;
        }
        String base = io.argus.edge.http.Replies.baseUrl(ctx);
        ctx.future(() -> view.awaitDone(jobId)
                .orTimeout(syncTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApplyAsync(outcome -> answer(jobId, outcome, base), workers)
                .handle((answer, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof TimeoutException) {
                            ObjectNode out = ApiJson.error("timeout");
                            out.put("job", jobId);
                            out.put("detail", "the job goes on; GET /v1/traffic/jobs/" + jobId);
                            send(ctx, 504, out);
                        } else {
                            LOG.warn("Traffic job {}: answer failed", jobId, cause);
                            send(ctx, 500, ApiJson.error("internal error").put("detail", String.valueOf(cause)));
                        }
                    } else {
                        send(ctx, answer.status(), answer.body());
                    }
                    return null;
                }));
    }

    /** An answer: status and body. */
    private record Answer(int status, ObjectNode body) {
    }

    private record Started(TrafficBackend.Upload upload, JobRequest request) {
    }

    /** Uploads and submits; answers the error itself and returns empty when either fails. */
    private Optional<Started> start(Context ctx, TrafficForm form) throws IOException {
        TrafficBackend.Upload upload;
        try (InputStream in = form.video().content()) {
            upload = backend.upload(in, form.video().filename());
        } catch (TrafficBackend.UploadRefused e) {
            send(ctx, e.status(), ApiJson.error(e.getMessage()));
            return Optional.empty();
        }
        JobRequest request = submit.apply("traffic-" + upload.fileUuid(), jobBody(upload.uri(), form));
        if (files != null) {
            try {
                files.record(FileInfo.newBuilder(upload.file()).setJobId(request.getJobId())
                        .setOwner(io.argus.edge.security.Principal.of(ctx).name()).build());
            } catch (RuntimeException e) { // the job runs and answers; only the media API misses the file
                LOG.warn("Traffic upload {}: cannot record it in {}", upload.fileUuid(), files.topic(), e);
            }
        }
        return Optional.of(new Started(upload, request));
    }

    /** @return the job request of a traffic upload */
    static String jobBody(String uri, TrafficForm form) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("data").put("uri", uri);
        ObjectNode params = body.putObject("params");
        long frameMs = Math.min(TRACKING_INTERVAL_MS, form.intervalMs());
        params.putObject("vframe").put("mode", 0).put("interval", frameMs / 1000.0);
        ObjectNode tracking = params.putObject("tracking");
        tracking.put("op", "detection");
        ArrayNode classes = tracking.putArray("classes");
        for (String c : CLASSES.split(", ")) {
            classes.add(c);
        }
        tracking.put("interval_ms", form.intervalMs());
        if (form.lines() != null) {
            tracking.set("lines", form.lines());
        }
        ObjectNode op = body.putArray("ops").addObject();
        op.put("op", "detection");
        op.putObject("params").put("threshold", DETECTION_THRESHOLD);
        return body.toString();
    }

    private Answer answer(String jobId, JobOutcome outcome, String base) {
        JobStatus status = outcome.status();
        if (outcome.state() == JobState.CANCELLED) {
            ObjectNode out = ApiJson.error("cancelled");
            out.put("job", jobId);
            return new Answer(409, out);
        }
        if (outcome.state() != JobState.FINISHED) {
            ErrorInfo e = status.getError();
            int code = e != null && e.getCode() >= 400 && e.getCode() <= 599 ? e.getCode() : 500;
            ObjectNode out = ApiJson.error(e != null ? e.getMessage() : "internal error");
            out.put("job", jobId);
            return new Answer(code, out);
        }
        JobRequest request = request(jobId).orElseThrow(() -> new IllegalStateException("job request not found"));
        long interval = request.getTracking().getIntervalMs();
        List<TrafficCount> counts = records.read(topics.counts(), jobId);
        String url = null;
        try {
            renderOnce(jobId, request, counts);
            url = base + "/v1/traffic/jobs/" + jobId + "/video";
        } catch (IOException | RuntimeException e) {
            LOG.warn("Traffic job {}: annotated video not rendered: {}", jobId, e.toString());
        }
        return new Answer(200, TrafficAnswer.of(jobId, interval, counts, url));
    }

    private String renderOnce(String jobId, JobRequest request, List<TrafficCount> counts) throws IOException {
        String uri = rendered.get(jobId);
        if (uri != null) {
            return uri;
        }
        synchronized (rendered) {
            uri = rendered.get(jobId);
            if (uri == null) {
                uri = backend.render(request.getUri(), request, records.read(topics.tracks(), jobId), counts,
                        "traffic/" + jobId + "/annotated.mp4");
                rendered.put(jobId, uri);
            }
        }
        return uri;
    }

    private Optional<JobRequest> request(String jobId) {
        return records.read(topics.jobs(), jobId).stream().findFirst();
    }


    // --- streaming ------------------------------------------------------------------------------

    private void postStreaming(Context ctx) throws IOException {
        TrafficForm form = TrafficForm.read(ctx);
        Optional<Started> started = start(ctx, form);
        if (started.isPresent()) {
            JobRequest r = started.get().request();
            stream(ctx, r, 0, form.intervalMs());
        }
    }

    private void getStream(Context ctx) throws IOException {
        String jobId = ctx.pathParam("job_id");
        Optional<JobRequest> request = view.status(jobId).isEmpty() ? Optional.empty() : request(jobId);
        if (request.isEmpty() || request.get().getTracking() == null) {
            send(ctx, 404, ApiJson.error("job not found").put("detail", "no tracked job " + jobId));
            return;
        }
        long from = longParam(ctx, "from_ms", 0);
        long interval = longParam(ctx, "interval", request.get().getTracking().getIntervalMs());
        if (interval < 1) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "interval must be a positive integer of ms");
        }
        stream(ctx, request.get(), from, interval);
    }

    private static long longParam(Context ctx, String name, long fallback) {
        Long v = io.argus.edge.http.FormParts.nonNegative(ctx, name);
        return v == null ? fallback : v;
    }

    /** Writes one object per tick from {@code fromMs} as frames are tracked, until the job ends or the client goes. */
    private void stream(Context ctx, JobRequest request, long fromMs, long intervalMs) throws IOException {
        boolean sse = Optional.ofNullable(ctx.header("Accept")).orElse("").contains("text/event-stream");
        ctx.status(200);
        ctx.contentType(sse ? "text/event-stream" : "application/x-ndjson");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Argus-Job", request.getJobId());
        OutputStream out = ctx.res().getOutputStream();
        long[] nextTick = {Math.floorDiv(fromMs + intervalMs - 1, intervalMs) * intervalMs};
        boolean[] gone = {false};
        records.followFrames(topics.tracks(), topics.counts(), request.getJobId(), (frame, counts) -> {
            if (frame.getOffsetMs() < nextTick[0]) {
                return false;
            }
            while (nextTick[0] <= frame.getOffsetMs()) {
                nextTick[0] += intervalMs;
            }
            try {
                String json = frameObject(frame, counts, request).toString();
                if (sse) {
                    out.write(("id: " + frame.getOffsetMs() + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                return false;
            } catch (IOException e) {
                gone[0] = true; // the client went away
                return true;
            }
        }, () -> gone[0]);
    }

    private ObjectNode frameObject(TrackFrame frame, FrameCount counts, JobRequest request) throws IOException {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("timestamp", frame.getOffsetMs());
        o.put("frame_base64", "data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(backend.annotatedFrame(frame, request)));
        o.put("people_count", counts.getPeopleCount());
        o.put("vehicle_count", counts.getVehicleCount());
        o.put("pedestrians_per_interval", counts.getPedestriansInInterval());
        o.put("vehicles_per_interval", counts.getVehiclesInInterval());
        o.put("seq", frame.getSeq());
        return o;
    }

    // --- jobs -----------------------------------------------------------------------------------

    private void getJob(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        Optional<JobStatus> status = view.status(jobId);
        if (status.isEmpty()) {
            send(ctx, 404, ApiJson.error("job not found"));
            return;
        }
        if (!JobView.isTerminal(status.get().getStatus())) {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("job", jobId);
            out.put("status", status.get().getStatus().name());
            send(ctx, 200, out);
            return;
        }
        String base = io.argus.edge.http.Replies.baseUrl(ctx);
        ctx.future(() -> CompletableFuture.supplyAsync(() -> answer(jobId,
                new JobOutcome(status.get(), view.results(jobId)), base), workers)
                .handle((answer, error) -> {
                    if (error != null) {
                        send(ctx, 500, ApiJson.error("internal error").put("detail", String.valueOf(error)));
                    } else {
                        send(ctx, answer.status(), answer.body());
                    }
                    return null;
                }));
    }

    private void getVideo(Context ctx) throws IOException {
        String jobId = ctx.pathParam("job_id");
        String uri = rendered.get(jobId);
        if (uri == null && view.status(jobId).map(s -> s.getStatus() == JobState.FINISHED).orElse(false)) {
            Optional<JobRequest> r = request(jobId);
            if (r.isPresent() && r.get().getTracking() != null) {
                uri = renderOnce(jobId, r.get(), records.read(topics.counts(), jobId));
            }
        }
        if (uri == null) {
            send(ctx, 404, ApiJson.error("video not found").put("detail", "no annotated video for job " + jobId));
            return;
        }
        RangeResponder.send(ctx, backend.open(uri), "video/mp4");
    }

    private void postRecount(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(ctx.body());
        } catch (IOException e) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "the body is not JSON");
        }
        if (body == null || !body.path("lines").isArray()) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "the body must be {\"lines\": [...]}");
        }
        Optional<JobRequest> request = view.status(jobId).isEmpty() ? Optional.empty() : request(jobId);
        if (request.isEmpty() || request.get().getTracking() == null) {
            send(ctx, 404, ApiJson.error("job not found").put("detail", "no tracked job " + jobId));
            return;
        }
        List<io.argus.schemas.avro.CountLine> lines =
                io.argus.edge.request.TrackingParser.countLines(body.get("lines"), "lines");
        List<TrackFrame> tracks = records.read(topics.tracks(), jobId);
        ObjectNode out = backend.recount(request.get(), tracks, lines);
        out.put("job", jobId);
        out.put("frames", tracks.size());
        send(ctx, 200, out);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
