package io.argus.edge.http;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.OperationDoc;
import io.argus.edge.openapi.Schemas;
import io.argus.edge.jobs.FrameDeletion;
import io.argus.edge.jobs.JobDeleter;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.request.JobOpParser;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.request.WaitingStatus;
import io.argus.edge.submit.ControlSink;
import io.argus.edge.submit.ControlSinkException;
import io.argus.edge.submit.JobSink;
import io.argus.edge.submit.JobSinkException;
import io.argus.edge.view.JobMarker;
import io.argus.edge.view.JobOutcome;
import io.argus.edge.view.JobPage;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.javalin.http.Context;

/**
 * The job API of {@code argus-video-api.md}: job submission, job queries, kill, and the list of ops.
 *
 * <p>Routes (JSON bodies, {@code application/json}; every error is {@code {"error": message}},
 * with {@code "detail"} where a human explanation helps):
 * <ul>
 *   <li>{@code POST /v1/video/{video_id}} (POST__/v1/video): validates the body
 *       ({@link JobRequestParser}; 400 with the spec's messages), hands the WAITING status and the
 *       request to the {@link JobSink} (503 {@code {"error": "service unavailable"}} when it fails),
 *       applies WAITING to the {@link JobView}. With {@code params.async} true, and for every live
 *       source ({@code data.uri} scheme rtmp, rtmps or rtsp, {@link JobRequestParser#isLive}),
 *       answers 200 {@code {"job": job_id}} at once: a live job runs until it is killed,
 *       terminated or timed out ({@code params.live.timeout}), so it is answered asynchronously
 *       even when {@code params.async} is false or absent. Otherwise waits (without holding a server thread) for the
 *       job to end, up to the sync timeout: FINISHED -> 200 {@code {op: op result, …, "job": id}}
 *       ({@link ApiJson#syncAnswer}); FAILED -> HTTP status = the job's {@code error.code} (500 when
 *       absent or not an HTTP error code) with {@code {"error": message, "job": id}}; CANCELLED ->
 *       409 {@code {"error": "cancelled", "job": id}}; timeout -> 504
 *       {@code {"error": "timeout", "job": id}} (the job goes on; poll it with GET).</li>
 *   <li>{@code GET /v1/jobs/video/{job_id}} (GET__/v1/jobs/video): the job ({@link ApiJson#job});
 *       404 {@code {"error": "job not found"}} when unknown.</li>
 *   <li>{@code DELETE /v1/jobs/video/{job_id}} (an Argus extension): a job that has ended is deleted
 *       ({@link JobDeleter}: its own stored frames and its status) and answered 200
 *       {@code {"job": id, "deleted": {"frames": n}}}; unknown job 404; a job not ended yet 409
 *       {@code {"error": "job not ended"}} with a detail saying to kill it first; a store or Kafka
 *       failure 503 (retry: deleting again finishes the work).</li>
 *   <li>{@code POST /v1/jobs/video/{job_id}} with {@code op=kill} (POST__/v1/jobs/video/kill): the
 *       op comes from the spec's form body ({@code application/x-www-form-urlencoded}), the query
 *       string ({@code ?op=kill}) or a JSON body {@code {"op": "kill"}} ({@link JobOpParser}); a
 *       missing or other op is 400 "invalid parameters" with a detail. Then: unknown job -> 404
 *       {@code {"error": "job not found"}}; a job already FINISHED, FAILED or CANCELLED -> 200 with
 *       its current status and nothing sent; otherwise a {@link JobControl} {@code KILL} goes to the
 *       {@link ControlSink} (503 {@code {"error": "service unavailable"}} when it fails; the
 *       aggregator turns it into CANCELLED and ingest stops the source), and the answer waits
 *       (without holding a server thread) up to the kill wait for the view to show a terminal
 *       state. The answer is 200 {@code {"status", "created_at", "updated_at"}}
 *       ({@link ApiJson#jobState}, formatted as GET formats them) with the status the view shows
 *       then: CANCELLED (or another terminal state the job reached first), or still WAITING/DOING
 *       when the kill is not through yet (poll with GET).</li>
 *   <li>{@code GET /v1/jobs/video[?status=S]} (GET__/v1/jobs/video/status): jobs, newest
 *       {@code created_at} first, ties by job id ({@link JobMarker#ORDER}), as the spec's array of
 *       {@link ApiJson#listItem}s; {@code S} is one of WAITING, DOING, FINISHED, FAILED, CANCELLED,
 *       case-insensitive; anything else, or {@code status} given twice, is 400 "invalid parameters";
 *       absent or empty lists all.
 *       Paging, asked for by naming {@code limit} or {@code marker} (an Argus extension; the spec
 *       defines none): {@code limit} is 1 to {@value #MAX_PAGE_LIMIT} jobs (absent or empty:
 *       {@value #DEFAULT_PAGE_LIMIT}), {@code marker} is the opaque value of the previous page
 *       (absent or empty: the first page), and the answer is the object
 *       {@code {"jobs": [items…], "marker": next}}, {@code "marker"} present only when more jobs
 *       follow ({@link JobView#page}). A {@code limit} that is not an integer in range, a
 *       {@code marker} Argus did not write, or either given twice is 400 "invalid parameters"
 *       with a detail. Without either parameter the answer is the whole array, as before.</li>
 *   <li>{@code GET /v1/ops}: the known ops, sorted by name, each with the labels it can produce
 *       (given to the constructor; empty for an op without labels) and the params it accepts
 *       (the parser's {@link io.argus.edge.request.OpCatalog}, {@link io.argus.edge.request.OpDescription#describeParams}):
 *       {@code [{"op": name, "labels": [label, …], "params": [{"name": …, "type": …}, …]}, …]}.</li>
 * </ul>
 *
 * <p>The routes own their {@link JobSink} and {@link ControlSink} ({@link #close()} closes them) but
 * not the {@link JobView}: the caller starts the view before and closes it after the edge.
 */
public final class JobRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(JobRoutes.class);
    /** Default bound on how long a kill waits for the job to show a terminal state: 3 s. */
    public static final Duration DEFAULT_KILL_WAIT = Duration.ofSeconds(3);
    /** Jobs in a page of {@code GET /v1/jobs/video} when {@code limit} is not given. */
    public static final int DEFAULT_PAGE_LIMIT = 100;
    /** Largest accepted {@code limit} of {@code GET /v1/jobs/video}. */
    public static final int MAX_PAGE_LIMIT = 1000;

    private final JobSink sink;
    private final JobDeleter deleter;
    private final ControlSink control;
    private final Duration killWait;
    private final JobRequestParser parser;
    private final JobView view;
    private final Duration syncTimeout;
    private final Map<String, List<String>> opLabels;

    /**
     * @param sink        where accepted jobs go; closed by {@link #close()}
     * @param control     where kills go; closed by {@link #close()}
     * @param parser      request validation, holding the known ops
     * @param view        the read model (started and closed by the caller)
     * @param syncTimeout how long a synchronous POST waits for its job
     * @param killWait    how long a kill waits for the job to show a terminal state before answering
     *                    its current status ({@link #DEFAULT_KILL_WAIT}; zero answers at once)
     * @param opLabels    op name -> the labels it can produce, listed by {@code GET /v1/ops} (copied;
     *                    only ops the parser knows are listed, an op missing here lists none)
     * @throws IllegalArgumentException when {@code killWait} is negative
     * @throws NullPointerException     when an argument, an op name, a label list or a label is null
     */
    public JobRoutes(JobSink sink, ControlSink control, JobRequestParser parser, JobView view,
                     Duration syncTimeout, Duration killWait, Map<String, ? extends List<String>> opLabels) {
        this(sink, control, parser, view, syncTimeout, killWait, opLabels, prefix -> 0);
    }

    /**
     * Routes whose {@code DELETE /v1/jobs/video/{job_id}} also deletes the job's stored frames.
     *
     * @param sink        where accepted jobs go and deleted jobs are forgotten; closed by {@link #close()}
     * @param control     where kills go; closed by {@link #close()}
     * @param parser      request validation, holding the known ops
     * @param view        the read model (started and closed by the caller)
     * @param syncTimeout how long a synchronous POST waits for its job
     * @param killWait    how long a kill waits for the job to show a terminal state
     * @param opLabels    op name -> the labels it can produce, listed by {@code GET /v1/ops}
     * @param frames      deletes a job's stored frames ({@code <job_id>/…})
     */
    public JobRoutes(JobSink sink, ControlSink control, JobRequestParser parser, JobView view,
                     Duration syncTimeout, Duration killWait, Map<String, ? extends List<String>> opLabels,
                     FrameDeletion frames) {
        this.deleter = new JobDeleter(view, sink, frames);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.control = Objects.requireNonNull(control, "control");
        this.killWait = Objects.requireNonNull(killWait, "killWait");
        if (killWait.isNegative()) {
            throw new IllegalArgumentException("killWait must not be negative: " + killWait);
        }
        this.parser = Objects.requireNonNull(parser, "parser");
        this.view = Objects.requireNonNull(view, "view");
        this.syncTimeout = Objects.requireNonNull(syncTimeout, "syncTimeout");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        opLabels.forEach((op, l) -> copy.put(Objects.requireNonNull(op, "op"), List.copyOf(l)));
        this.opLabels = Map.copyOf(copy);
    }

    /** @return the longest a request of these routes may wait: the sync timeout or the kill wait */
    public Duration longestWait() {
        return syncTimeout.compareTo(killWait) >= 0 ? syncTimeout : killWait;
    }


    /**
     * @return the deleter behind {@code DELETE /v1/jobs/video/{id}}, shared with the file routes and
     *         the job retention so that erasers registered on it ({@link JobDeleter#onDelete}) run
     *         for every deletion
     */
    public JobDeleter deleter() {
        return deleter;
    }
    @Override
    public void register(ApiRoutes routes) {
        routes.post("/v1/video/{video_id}", this::postVideo, op -> op.tag("jobs")
                .summary("Submit a job on a video")
                .description("Validates the body, records the job (WAITING) and, unless params.async is true or the "
                        + "source is live (rtmp, rtmps, rtsp), waits for it to end, up to the sync timeout.")
                .pathParam("video_id", "the video's id")
                .jsonBody("the job: data.uri, ops, params (argus-video-api.md)")
                .response(200, "with params.async or a live source: {\"job\": job_id} at once; "
                        + "otherwise the job FINISHED: {op: op result, ..., \"job\": job_id}")
                .response(400, "invalid body (the spec's messages); or the job FAILED with that error code")
                .response(424, "the job FAILED: cannot find the video (missing file, HTTP 4xx, no answer)")
                .response(409, "the job was CANCELLED: {\"error\": \"cancelled\", \"job\": id}")
                .response(500, "the job FAILED without an HTTP error code")
                .response(503, "the job could not be recorded, or waiting for it failed")
                .response(504, "the job did not end within the sync timeout; it goes on (poll it with GET)"));
        routes.get("/v1/jobs/video/{job_id}", this::getJob, op -> op.tag("jobs")
                .summary("A job")
                .pathParam("job_id", "the job's id")
                .response(200, "the job: status, times, ops and their results")
                .response(404, "job not found"));
        routes.post("/v1/jobs/video/{job_id}", this::postJob, op -> op.tag("jobs")
                .summary("Kill a job (op=kill)")
                .description("The op comes from the form body, the query string or a JSON body. A job already "
                        + "FINISHED, FAILED or CANCELLED is answered as it is; otherwise a kill is sent and the "
                        + "answer waits up to the kill wait for a terminal state.")
                .pathParam("job_id", "the job's id")
                .query("op", Schemas.oneOf(List.of("kill")), "the op, when the body does not give it")
                .body("op=kill (form) or {\"op\": \"kill\"} (JSON)", false, OperationDoc.FORM, OperationDoc.JSON)
                .response(200, "{\"status\", \"created_at\", \"updated_at\"}: CANCELLED or another terminal "
                        + "state, or still WAITING/DOING when the kill is not through yet")
                .response(400, "invalid parameters: the op is missing or not kill")
                .response(404, "job not found")
                .response(503, "the kill could not be recorded"));
        routes.delete("/v1/jobs/video/{job_id}", this::deleteJob, op -> op.tag("jobs")
                .summary("Delete a job that has ended")
                .description("Deletes the job's own stored frames (frames saved with params.save stay), its faces, "
                        + "traces and plates (tombstones: gone from every search and identity), and its status; its "
                        + "other records age out with the topics. A job that has not ended is refused: kill it first.")
                .pathParam("job_id", "the job's id")
                .response(200, "{\"job\": id, \"deleted\": {\"frames\": n}}")
                .response(404, "job not found")
                .response(409, "the job has not ended")
                .response(503, "the frames, results or the status could not be deleted; retry"));
        routes.get("/v1/jobs/video", this::listJobs, op -> op.tag("jobs")
                .summary("List jobs, newest first")
                .description("Without limit and marker: the whole array. With either (an Argus extension): "
                        + "a page {\"jobs\": [...], \"marker\": next}, marker present only when more jobs follow.")
                .query("status", Schemas.string(), "WAITING, DOING, FINISHED, FAILED or CANCELLED "
                        + "(case-insensitive); absent or empty lists all")
                .query("limit", Schemas.integer(1, MAX_PAGE_LIMIT), "jobs per page (default "
                        + DEFAULT_PAGE_LIMIT + ")")
                .query("marker", "the opaque marker of the previous page (absent or empty: the first page)")
                .response(200, "the jobs: an array, or a page when limit or marker is given")
                .response(400, "invalid parameters: an unknown status, a limit out of range, a marker "
                        + "Argus did not write, or status, limit or marker given twice"));
        routes.get("/v1/ops", this::ops, op -> op.tag("jobs")
                .summary("The known ops")
                .response(200, "[{\"op\": name, \"labels\": [label, ...], \"params\": [{\"name\": key, "
                        + "\"type\": number|integer|boolean|string|enum, \"min\", \"max\", \"values\", "
                        + "\"description\"}, ...]}, ...], sorted by name"));
    }

    private void postVideo(Context ctx) {
        JobRequest request = parser.parse(ctx.pathParam("video_id"), ctx.bodyAsBytes());
        JobStatus waiting = WaitingStatus.of(request);
        String jobId = request.getJobId();
        try {
            sink.submit(waiting, request);
        } catch (JobSinkException e) {
            LOG.warn("Cannot submit job {}: {}", jobId, e.getMessage());
            ObjectNode out = ApiJson.error("service unavailable");
            out.put("detail", "the job could not be recorded: " + e.getMessage());
            send(ctx, 503, out);
            return;
        }
        view.applyLocal(waiting);
        if (request.getAsync() || JobRequestParser.isLive(request.getUri())) {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("job", jobId);
            send(ctx, 200, out);
            return;
        }
        ctx.future(() -> view.awaitDone(jobId)
                .orTimeout(syncTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((outcome, error) -> {
                    answerSync(ctx, jobId, outcome, error);
                    return null;
                }));
    }

    private void answerSync(Context ctx, String jobId, JobOutcome outcome, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            ObjectNode out;
            int status;
            if (cause instanceof TimeoutException) {
                status = 504;
                out = ApiJson.error("timeout");
                out.put("detail", "the job did not end within " + syncTimeout.toMillis()
                        + " ms; it goes on, see GET /v1/jobs/video/" + jobId);
            } else {
                LOG.warn("Waiting for job {} failed: {}", jobId, cause.toString());
                status = 503;
                out = ApiJson.error("service unavailable");
            }
            out.put("job", jobId);
            send(ctx, status, out);
            return;
        }
        JobStatus status = outcome.status();
        if (outcome.state() == JobState.FINISHED) {
            send(ctx, 200, ApiJson.syncAnswer(jobId, status.getOps(), outcome.results()));
        } else if (outcome.state() == JobState.CANCELLED) {
            ObjectNode out = ApiJson.error("cancelled");
            out.put("job", jobId);
            send(ctx, 409, out);
        } else {
            ErrorInfo e = status.getError();
            int code = e != null && e.getCode() >= 400 && e.getCode() <= 599 ? e.getCode() : 500;
            ObjectNode out = ApiJson.error(e != null ? e.getMessage() : "internal error");
            out.put("job", jobId);
            send(ctx, code, out);
        }
    }

    private void getJob(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        Optional<JobStatus> status = view.status(jobId);
        if (status.isEmpty()) {
            send(ctx, 404, ApiJson.error("job not found"));
            return;
        }
        send(ctx, 200, ApiJson.job(status.get(), view.results(jobId)));
    }

    private void postJob(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        JobOpParser.parse(ctx.contentType(), ctx.bodyAsBytes(), ctx.queryString());
        Optional<JobStatus> current = view.status(jobId);
        if (current.isEmpty()) {
            send(ctx, 404, ApiJson.error("job not found"));
            return;
        }
        JobStatus status = current.get();
        if (JobView.isTerminal(status.getStatus())) {
            send(ctx, 200, ApiJson.jobState(status));
            return;
        }
        JobControl kill = JobControl.newBuilder()
                .setJobId(jobId)
                .setVideoId(status.getVideoId())
                .setAction(ControlAction.KILL)
                .setOp(null)
                .setReason("POST /v1/jobs/video/" + jobId + " op=kill")
                .setAtMs(System.currentTimeMillis())
                .build();
        try {
            control.send(kill);
        } catch (ControlSinkException e) {
            LOG.warn("Cannot kill job {}: {}", jobId, e.getMessage());
            ObjectNode out = ApiJson.error("service unavailable");
            out.put("detail", "the kill could not be recorded: " + e.getMessage());
            send(ctx, 503, out);
            return;
        }
        LOG.info("Kill of job {} sent", jobId);
        ctx.future(() -> view.awaitTerminal(jobId)
                .orTimeout(killWait.toMillis(), TimeUnit.MILLISECONDS)
                .handle((terminal, error) -> {
                    JobStatus now = terminal != null ? terminal : view.status(jobId).orElse(status);
                    send(ctx, 200, ApiJson.jobState(now));
                    return null;
                }));
    }

    private void deleteJob(Context ctx) {
        String jobId = ctx.pathParam("job_id");
        JobDeleter.Outcome outcome;
        try {
            outcome = deleter.delete(jobId);
        } catch (IOException | JobSinkException e) {
            LOG.warn("Cannot delete job {}: {}", jobId, e.toString());
            ObjectNode out = ApiJson.error("service unavailable");
            out.put("detail", "the job could not be deleted, retry: " + e.getMessage());
            send(ctx, 503, out);
            return;
        }
        if (outcome instanceof JobDeleter.NotFound) {
            send(ctx, 404, ApiJson.error("job not found"));
        } else if (outcome instanceof JobDeleter.Running r) {
            ObjectNode out = ApiJson.error("job not ended");
            out.put("detail", "the job is " + r.status().getStatus() + "; kill it first: POST /v1/jobs/video/"
                    + jobId + " with op=kill");
            out.put("job", jobId);
            send(ctx, 409, out);
        } else if (outcome instanceof JobDeleter.Deleted d) {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("job", jobId);
            out.putObject("deleted").put("frames", d.frames());
            send(ctx, 200, out);
        }
    }

    private void listJobs(Context ctx) {
        String s = singleParam(ctx, "status");
        Optional<JobState> filter = Optional.empty();
        if (s != null && !s.isBlank()) {
            try {
                filter = Optional.of(JobState.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                        "status must be one of WAITING, DOING, FINISHED, FAILED, CANCELLED");
            }
        }
        boolean paged = ctx.queryParamMap().containsKey("limit") || ctx.queryParamMap().containsKey("marker");
        if (!paged) {
            send(ctx, 200, ApiJson.list(view.list(filter)));
            return;
        }
        int limit = pageLimit(singleParam(ctx, "limit"));
        String m = singleParam(ctx, "marker");
        Optional<JobMarker> after = Optional.empty();
        if (m != null && !m.isEmpty()) {
            try {
                after = Optional.of(JobMarker.decode(m));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, e.getMessage());
            }
        }
        JobPage page = view.page(filter, after, limit);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.set("jobs", ApiJson.list(page.jobs()));
        page.next().ifPresent(next -> out.put("marker", next.encode()));
        send(ctx, 200, out);
    }

    /** The value of a query parameter given at most once (null when absent); 400 when repeated. */
    private static String singleParam(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, name + " must be given at most once");
        }
        return values.isEmpty() ? null : values.get(0).strip();
    }

    private static int pageLimit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_PAGE_LIMIT;
        }
        String detail = "limit must be an integer from 1 to " + MAX_PAGE_LIMIT;
        if (!text.matches("\\d{1,9}")) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, detail);
        }
        int limit = Integer.parseInt(text);
        if (limit < 1 || limit > MAX_PAGE_LIMIT) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, detail);
        }
        return limit;
    }

    private void ops(Context ctx) {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        for (String op : parser.knownOps()) {
            ObjectNode item = out.addObject();
            item.put("op", op);
            ArrayNode labels = item.putArray("labels");
            opLabels.getOrDefault(op, List.of()).forEach(labels::add);
            parser.ops().get(op).ifPresent(d -> d.describeParams(item));
        }
        send(ctx, 200, out);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Closes the job and control sinks. */
    @Override
    public void close() {
        try {
            sink.close();
        } finally {
            control.close();
        }
    }
}
