package io.argus.edge.http;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.extract.ExtractionRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.request.JobOpParser;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.request.WaitingStatus;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.BodyLimitFilter;
import io.argus.edge.submit.ControlSink;
import io.argus.edge.submit.ControlSinkException;
import io.argus.edge.submit.JobSink;
import io.argus.edge.submit.JobSinkException;
import io.argus.edge.submit.KafkaControlSink;
import io.argus.edge.submit.KafkaJobSink;
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
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.DispatcherType;

/**
 * The Argus HTTP edge (Javalin): job submission and job queries of {@code argus-video-api.md}, plus
 * an optional Confluent Schema Registry REST facade for the embedded default.
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
 *       job to end, up to the sync timeout: FINISHED -> 200 {@code {op: op result, …}}
 *       ({@link ApiJson#opResults}); FAILED -> HTTP status = the job's {@code error.code} (500 when
 *       absent or not an HTTP error code) with {@code {"error": message, "job": id}}; CANCELLED ->
 *       409 {@code {"error": "cancelled", "job": id}}; timeout -> 504
 *       {@code {"error": "timeout", "job": id}} (the job goes on; poll it with GET).</li>
 *   <li>{@code GET /v1/jobs/video/{job_id}} (GET__/v1/jobs/video): the job ({@link ApiJson#job});
 *       404 {@code {"error": "job not found"}} when unknown.</li>
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
 *       case-insensitive; anything else is 400 "invalid parameters"; absent or empty lists all.
 *       Paging, asked for by naming {@code limit} or {@code marker} (an Argus extension; the spec
 *       defines none): {@code limit} is 1 to {@value #MAX_PAGE_LIMIT} jobs (absent or empty:
 *       {@value #DEFAULT_PAGE_LIMIT}), {@code marker} is the opaque value of the previous page
 *       (absent or empty: the first page), and the answer is the object
 *       {@code {"jobs": [items…], "marker": next}}, {@code "marker"} present only when more jobs
 *       follow ({@link JobView#page}). A {@code limit} that is not an integer in range, a
 *       {@code marker} Argus did not write, or either given twice is 400 "invalid parameters"
 *       with a detail. Without either parameter the answer is the whole array, as before.</li>
 *   <li>{@code GET /v1/ops}: the known ops, sorted by name, each with the labels it can produce
 *       ({@link #setOpLabels}; empty when not given): {@code [{"op": name, "labels": [label, …]}, …]}.</li>
 *   <li>{@code GET /healthz}: 200 {@code {"status": "ok"}}.</li>
 *   <li>With an {@link InMemorySchemaRegistry}: the registry facade of {@link SchemaRegistryRoutes}
 *       ({@code /subjects/…}, {@code /schemas/ids/{id}}).</li>
 *   <li>With {@link #setExtractionRoutes}: the frame &amp; flow service of {@code frame-flow-api.md}
 *       ({@code /frame…}, {@code /flow…}, {@link ExtractionRoutes}).</li>
 * </ul>
 * Unknown routes answer 404 {@code {"error": "not found"}}; a body above {@value #MAX_BODY_BYTES}
 * bytes answers 413 {@code {"error": "request body too large"}}, whether it announces its length
 * ({@code Content-Length}, refused before it is read) or not ({@code Transfer-Encoding: chunked},
 * refused as soon as the limit is passed: {@link BodyLimitFilter}); a request line or header block
 * above {@value #MAX_HEADER_BYTES} bytes is refused by Jetty itself, with 414 (URI too long) or 431
 * (request header fields too large) and a short non-JSON body; an unexpected exception in a
 * handler answers 500 {@code {"error": "internal error"}} and the server keeps serving.
 *
 * <p>With {@link #setApiKeys} every request but {@code GET /healthz} and the schema registry
 * facade's reads needs an API key ({@link ApiKeys}); a request without an accepted key answers 401
 * {@code {"error": "unauthorized"}} before its route runs (and before its body is read).
 *
 * <p>The server owns its {@link JobSink} and {@link ControlSink} (closed by {@link #stop()}) but not
 * the {@link JobView}: the caller starts the view before and closes it after the server.
 */
public final class EdgeServer {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
    /** Largest accepted request body: 1 MiB. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Largest request line plus headers, in bytes: 8 KiB (Jetty's {@code requestHeaderSize}; a
     * longer URL answers 414, longer headers 431).
     */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Content type of API answers. */
    public static final String JSON = "application/json";
    /** Default bound on how long a kill waits for the job to show a terminal state: 3 s. */
    public static final Duration DEFAULT_KILL_WAIT = Duration.ofSeconds(3);
    /** Jobs in a page of {@code GET /v1/jobs/video} when {@code limit} is not given. */
    public static final int DEFAULT_PAGE_LIMIT = 100;
    /** Largest accepted {@code limit} of {@code GET /v1/jobs/video}. */
    public static final int MAX_PAGE_LIMIT = 1000;

    private final JobSink sink;
    private final ControlSink control;
    private final Duration killWait;
    private final JobRequestParser parser;
    private final JobView view;
    private final Duration syncTimeout;
    private final InMemorySchemaRegistry registry;
    private ExtractionRoutes extraction;
    private ApiKeys apiKeys = ApiKeys.open();
    private Map<String, List<String>> opLabels = Map.of();
    private Javalin app;

    /**
     * An edge writing jobs and kills to Kafka ({@link KafkaJobSink}, {@link KafkaControlSink}),
     * without the schema registry facade; kills wait {@link #DEFAULT_KILL_WAIT}.
     *
     * @param topics      topic registry
     * @param settings    Kafka connection settings
     * @param knownOps    op names the pipeline can run
     * @param view        the read model (started and closed by the caller)
     * @param syncTimeout how long a synchronous POST waits for its job
     */
    public EdgeServer(Topics topics, KafkaSettings settings, Set<String> knownOps, JobView view,
                      Duration syncTimeout) {
        this(topics, settings, knownOps, view, syncTimeout, null);
    }

    /**
     * An edge writing jobs and kills to Kafka ({@link KafkaJobSink}, {@link KafkaControlSink});
     * kills wait {@link #DEFAULT_KILL_WAIT}.
     *
     * @param topics      topic registry
     * @param settings    Kafka connection settings
     * @param knownOps    op names the pipeline can run
     * @param view        the read model (started and closed by the caller)
     * @param syncTimeout how long a synchronous POST waits for its job
     * @param registry    registry exposed through the Confluent REST facade, or null for none
     */
    public EdgeServer(Topics topics, KafkaSettings settings, Set<String> knownOps, JobView view,
                      Duration syncTimeout, InMemorySchemaRegistry registry) {
        this(new KafkaJobSink(topics, settings), new KafkaControlSink(topics, settings),
                new JobRequestParser(knownOps), view, syncTimeout, DEFAULT_KILL_WAIT, registry);
    }

    /**
     * An edge with any job and control sinks (e.g. in-memory ones in tests).
     *
     * @param sink        where accepted jobs go; closed by {@link #stop()}
     * @param control     where kills go; closed by {@link #stop()}
     * @param parser      request validation, holding the known ops
     * @param view        the read model (started and closed by the caller)
     * @param syncTimeout how long a synchronous POST waits for its job
     * @param killWait    how long a kill waits for the job to show a terminal state before answering
     *                    its current status ({@link #DEFAULT_KILL_WAIT}; zero answers at once)
     * @param registry    registry exposed through the Confluent REST facade, or null for none
     */
    public EdgeServer(JobSink sink, ControlSink control, JobRequestParser parser, JobView view,
                      Duration syncTimeout, Duration killWait, InMemorySchemaRegistry registry) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.control = Objects.requireNonNull(control, "control");
        this.killWait = Objects.requireNonNull(killWait, "killWait");
        if (killWait.isNegative()) {
            throw new IllegalArgumentException("killWait must not be negative: " + killWait);
        }
        this.parser = Objects.requireNonNull(parser, "parser");
        this.view = Objects.requireNonNull(view, "view");
        this.syncTimeout = Objects.requireNonNull(syncTimeout, "syncTimeout");
        this.registry = registry;
    }

    /**
     * Adds the frame &amp; flow routes ({@code POST|GET|DELETE /frame…} and {@code /flow…},
     * {@link ExtractionRoutes}) to this edge. Call before {@link #start}; without it those routes
     * answer 404. The server then owns the routes: {@link #stop()} closes them (their sink).
     *
     * @param routes the routes, or null for none
     * @throws IllegalStateException when the server is already started
     */
    public synchronized void setExtractionRoutes(ExtractionRoutes routes) {
        if (app != null) {
            throw new IllegalStateException("setExtractionRoutes must be called before start()");
        }
        this.extraction = routes;
    }

    /**
     * Requires an API key on every route but {@code GET /healthz} and the schema registry facade's
     * reads ({@link ApiKeys}). Call before {@link #start}; without it (or with
     * {@link ApiKeys#open()}) the edge is open, as before.
     *
     * @param keys the accepted keys
     * @throws IllegalStateException when the server is already started
     */
    public synchronized void setApiKeys(ApiKeys keys) {
        if (app != null) {
            throw new IllegalStateException("setApiKeys must be called before start()");
        }
        this.apiKeys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Gives the labels each op can produce, listed by {@code GET /v1/ops}. Call before
     * {@link #start}; without it every op lists an empty {@code labels} array. Only the ops the
     * parser knows are listed: labels of other names are ignored.
     *
     * @param labels op name -> its labels, in the order to list them (copied)
     * @throws IllegalStateException when the server is already started
     * @throws NullPointerException  when a name, a label list or a label is null
     */
    public synchronized void setOpLabels(Map<String, ? extends List<String>> labels) {
        if (app != null) {
            throw new IllegalStateException("setOpLabels must be called before start()");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        labels.forEach((op, l) -> copy.put(Objects.requireNonNull(op, "op"), List.copyOf(l)));
        this.opLabels = Map.copyOf(copy);
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port TCP port, 0 for any free port
     * @return the bound port
     */
    public int start(int port) {
        return start("127.0.0.1", port);
    }

    /**
     * Starts listening.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0} for every interface
     * @param port TCP port, 0 for any free port
     * @return the bound port
     * @throws IllegalStateException when already started
     */
    public synchronized int start(String host, int port) {
        if (app != null) {
            throw new IllegalStateException("EdgeServer already started");
        }
        app = build();
        app.start(host, port);
        LOG.info("Argus edge listening on http://{}:{} ({})", host, app.port(),
                apiKeys.isOpen() ? "no API key required" : "API keys required: " + apiKeys.size());
        return app.port();
    }

    /** @return the bound port, or -1 when not started */
    public synchronized int port() {
        return app == null ? -1 : app.port();
    }

    /**
     * Stops the HTTP server and closes the job and control sinks and the extraction routes (their
     * sink). The job view (and the extraction index) is left open.
     */
    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
        try {
            sink.close();
        } finally {
            try {
                control.close();
            } finally {
                if (extraction != null) {
                    extraction.close();
                }
            }
        }
    }

    private Javalin build() {
        Javalin javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // bodies without Content-Length (chunked) are counted as they are read
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new BodyLimitFilter(MAX_BODY_BYTES)), "/*", EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_HEADER_BYTES));
            // our own sync timeout answers 504 first; this only bounds a request the view never answers
            config.http.asyncTimeout = Math.max(syncTimeout.toMillis(), killWait.toMillis()) + 10_000;
            config.requestLogger.http((ctx, ms) ->
                    LOG.debug("{} {} -> {} in {} ms", ctx.method(), ctx.path(), ctx.statusCode(), ms));
        });
        if (!apiKeys.isOpen()) {
            javalin.before(apiKeys.handler());
        }
        javalin.post("/v1/video/{video_id}", this::postVideo);
        javalin.get("/v1/jobs/video/{job_id}", this::getJob);
        javalin.post("/v1/jobs/video/{job_id}", this::postJob);
        javalin.get("/v1/jobs/video", this::listJobs);
        javalin.get("/v1/ops", this::ops);
        javalin.get("/healthz", ctx -> {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("status", "ok");
            send(ctx, 200, out);
        });
        if (registry != null) {
            new SchemaRegistryRoutes(registry).register(javalin);
        }
        if (extraction != null) {
            extraction.register(javalin);
        }
        javalin.exception(ApiException.class, (e, ctx) -> {
            ObjectNode out = ApiJson.error(e.error());
            e.detail().ifPresent(d -> out.put("detail", d));
            send(ctx, e.status(), out);
        });
        javalin.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            ObjectNode out;
            if (status == 404) {
                out = ApiJson.error("not found");
                out.put("detail", e.getMessage());
            } else if (status == 413) {
                out = ApiJson.error("request body too large");
                out.put("detail", "the limit is " + MAX_BODY_BYTES + " bytes");
            } else {
                out = ApiJson.error(e.getMessage() == null ? "error" : e.getMessage().toLowerCase(Locale.ROOT));
            }
            send(ctx, status, out);
        });
        javalin.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 500, ApiJson.error("internal error"));
        });
        return javalin;
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
            send(ctx, 200, ApiJson.opResults(status.getOps(), outcome.results()));
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

    private void listJobs(Context ctx) {
        String s = ctx.queryParam("status");
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

    private static void send(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(ApiJson.write(body));
    }
}
