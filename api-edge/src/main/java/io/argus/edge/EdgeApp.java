package io.argus.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.extract.ExtractionIndex;
import io.argus.edge.extract.ExtractionRequestParser;
import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.extract.ExtractionRoutes;
import io.argus.edge.extract.ExtractionStorage;
import io.argus.edge.extract.KafkaExtractionSink;
import io.argus.edge.hooks.HookDispatcher;
import io.argus.edge.hooks.HookSettings;
import io.argus.edge.http.EdgeServer;
import io.argus.edge.jobs.JobDeleter;
import io.argus.edge.jobs.JobRetention;
import io.argus.edge.http.JobRoutes;
import io.argus.edge.http.MetricsRoutes;
import io.argus.edge.http.Routes;
import io.argus.edge.http.SchemaRegistryRoutes;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.request.OpCatalog;
import io.argus.edge.request.WaitingStatus;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.security.EdgeAuth;
import io.argus.edge.security.JwtVerifier;
import io.argus.edge.security.UrlSigner;
import io.argus.edge.submit.KafkaControlSink;
import io.argus.edge.submit.KafkaJobSink;
import io.argus.edge.files.FileRecorder;
import io.argus.edge.files.FileRoutes;
import io.argus.edge.files.FileView;
import io.argus.edge.files.FilesBackend;
import io.argus.edge.traffic.TrafficBackend;
import io.argus.edge.traffic.TrafficRoutes;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.lifecycle.StartedParts;
import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The edge stage: the job view (job statuses and op results read from Kafka), hook delivery
 * (consumer group {@code argus-hooks}), the job and control sinks and, when an HTTP port is set,
 * the frame &amp; flow index with its retention sweep and the HTTP server with every route class
 * (jobs, frame &amp; flow, {@code /metrics}, the schema registry facade on the embedded default).
 *
 * <p>Built from its {@link Settings}; {@link #start()} starts the parts in order and waits until the
 * view has read the existing job statuses (and the index runs); {@link #close()} stops them in
 * reverse order. Without HTTP the stage still takes jobs from this process ({@link #submit}), as
 * {@code argus analyze} does.
 */
public final class EdgeApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeApp.class);
    /** How long {@link #start()} waits for the job view and the extraction index: 60 s. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What the edge needs besides Kafka.
     *
     * @param instanceId   stable id of this instance (client ids, the index's application id)
     * @param indexDir     directory of the frame &amp; flow index's RocksDB stores
     * @param ops          the ops jobs may name, with their labels and params ({@code GET /v1/ops}),
     *                     and the ops known but unavailable here with what to do ("bad op" details)
     * @param hooks        hook delivery settings
     * @param urls         which addresses hook URLs and client-given sources may have
     * @param keys         API keys ({@link ApiKeys#open()}: none needed)
     * @param syncTimeout  how long a synchronous {@code POST /v1/video} waits for its job
     * @param retention    how long extracted frames and flows are kept
     * @param jobRetention how long a job that ended keeps its frames and status ({@link JobRetention})
     * @param storage      deletes stored extraction files (the frame store's {@code deletePrefix})
     * @param registry     the in-memory schema registry to serve over REST, or null for none
     * @param httpHost     address the HTTP server binds
     * @param httpPort     HTTP port (0: any free port), or -1 for no HTTP server (and no index)
     * @param metrics      the process's meters: the edge's own go there, and {@code GET /metrics} serves them
     * @param traffic      store, renderer and recount of the traffic API, or null for no traffic API
     * @param files        store, thumbnails and clips of the media API's files ({@code /api/v1/file...}),
     *                     or null for no media API
     * @param jwt          verifies {@code Authorization: Bearer <JWT>} ({@link JwtVerifier}), or null to
     *                     accept API keys only
     * @param urlSigner    signs and checks the media API's signed URLs ({@link UrlSigner}); null: a
     *                     random secret for this process (signed URLs die with it)
     * @param faces        blur measure and photo faces of the face routes (traces, identities, search by
     *                     face), or null for none (they also need {@code files} and a frame store)
     */
    public record Settings(String instanceId, Path indexDir, OpCatalog ops, HookSettings hooks,
                           UrlGuard urls, ApiKeys keys, Duration syncTimeout, Duration retention,
                           Duration jobRetention,
                           ExtractionStorage storage, InMemorySchemaRegistry registry, String httpHost,
                           int httpPort, PrometheusMeterRegistry metrics, TrafficBackend traffic,
                           FilesBackend files, JwtVerifier jwt, UrlSigner urlSigner,
                           io.argus.edge.faces.FaceBackend faces) {

        /** @throws NullPointerException when a setting other than {@code registry}, {@code traffic} and {@code files} is null */
        public Settings {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(indexDir, "indexDir");
            Objects.requireNonNull(ops, "ops");
            Objects.requireNonNull(hooks, "hooks");
            Objects.requireNonNull(urls, "urls");
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(syncTimeout, "syncTimeout");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(jobRetention, "jobRetention");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(httpHost, "httpHost");
            Objects.requireNonNull(metrics, "metrics");
        }

        /** Settings with API keys alone (no JWT; a random URL signing secret). */
        public Settings(String instanceId, Path indexDir, OpCatalog ops, HookSettings hooks,
                        UrlGuard urls, ApiKeys keys, Duration syncTimeout, Duration retention,
                        Duration jobRetention,
                        ExtractionStorage storage, InMemorySchemaRegistry registry, String httpHost,
                        int httpPort, PrometheusMeterRegistry metrics, TrafficBackend traffic, FilesBackend files) {
            this(instanceId, indexDir, ops, hooks, urls, keys, syncTimeout, retention, jobRetention, storage, registry,
                    httpHost, httpPort, metrics, traffic, files, null, null, null);
        }

        /** Settings without the media API ({@code files} null). */
        public Settings(String instanceId, Path indexDir, OpCatalog ops, HookSettings hooks,
                        UrlGuard urls, ApiKeys keys, Duration syncTimeout, Duration retention,
                        Duration jobRetention,
                        ExtractionStorage storage, InMemorySchemaRegistry registry, String httpHost,
                        int httpPort, PrometheusMeterRegistry metrics, TrafficBackend traffic) {
            this(instanceId, indexDir, ops, hooks, urls, keys, syncTimeout, retention, jobRetention, storage, registry,
                    httpHost, httpPort, metrics, traffic, null);
        }
    }

    private final KafkaSettings kafka;
    private final Topics topics;
    private final Settings settings;
    private final StartedParts started = new StartedParts();
    private final JobView view;
    private final JobRequestParser parser;
    private KafkaJobSink sink;
    private EdgeServer server;
    private io.argus.edge.faces.FaceIndex faces;

    /**
     * Creates the stage; nothing connects before {@link #start()}.
     *
     * @param kafka    Kafka connection settings
     * @param topics   topic registry; the topics must exist
     * @param settings what the edge needs besides Kafka
     */
    public EdgeApp(KafkaSettings kafka, Topics topics, Settings settings) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.view = new JobView(topics, kafka);
        this.parser = new JobRequestParser(settings.ops(), settings.urls());
    }

    /**
     * Starts the view, hook delivery, the sinks and, with a port, the index and the HTTP server.
     *
     * @throws IllegalStateException when the view or the index is not ready within
     *                               {@link #START_TIMEOUT}, or the port cannot be bound
     */
    public synchronized void start() {
        view.bindTo(settings.metrics());
        view.start();
        started.push(view);
        HookDispatcher hooks = new HookDispatcher(topics, kafka, settings.hooks(), settings.urls());
        hooks.bindTo(settings.metrics());
        hooks.start();
        started.push(hooks);
        sink = new KafkaJobSink(topics, kafka);
        KafkaControlSink control = new KafkaControlSink(topics, kafka);
        if (settings.httpPort() < 0) {
            started.push(sink);
            started.push(control);
        } else {
            startHttp(control);
        }
        awaitView();
    }

    private void startHttp(KafkaControlSink control) {
        ExtractionIndex index = new ExtractionIndex(kafka, topics, settings.indexDir(), settings.instanceId());
        index.bindTo(settings.metrics());
        index.start();
        started.push(index);
        awaitIndex(index);
        JobRoutes jobs = new JobRoutes(sink, control, parser, view, settings.syncTimeout(),
                JobRoutes.DEFAULT_KILL_WAIT, settings.ops().labels(), settings.storage()::deletePrefix);
        JobDeleter jobDeleter = jobs.deleter();
        JobRetention jobRetention = new JobRetention(view, jobDeleter,
                settings.jobRetention(), JobRetention.DEFAULT_PERIOD, System::currentTimeMillis);
        jobRetention.start();
        started.push(jobRetention);
        ExtractionRoutes extraction = new ExtractionRoutes(new ExtractionRequestParser(settings.urls()),
                new KafkaExtractionSink(topics, kafka), index.catalog(), settings.storage());
        List<Routes> routes = new ArrayList<>(List.of(jobs, extraction, new MetricsRoutes(settings.metrics())));
        if (settings.storage() instanceof io.argus.edge.frames.StoredFrames f) routes.add(new io.argus.edge.http.FrameRoutes(f));
        if (settings.registry() != null) {
            routes.add(new SchemaRegistryRoutes(settings.registry()));
        }
        ExtractionRetention retention = new ExtractionRetention(index.catalog(), extraction.deleter(),
                settings.retention(), ExtractionRetention.DEFAULT_PERIOD, System::currentTimeMillis);
        retention.start();
        started.push(retention);
        if (settings.keys().isOpen() && settings.jwt() == null && !isLoopback(settings.httpHost())) {
            LOG.warn("HTTP API on {} without API keys: anyone who reaches it can run and kill jobs "
                    + "(set --api-keys-file or ARGUS_API_KEYS)", settings.httpHost());
        }
        Duration longestWait = jobs.longestWait();
        FileRecorder recorder = null;
        UrlSigner signer = settings.urlSigner() != null ? settings.urlSigner() : UrlSigner.random();
        FileRoutes fileRoutes = null;
        if (settings.files() != null) {
            FileView files = new FileView(topics, kafka);
            files.start();
            started.push(files);
            try {
                files.caughtUp().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the file view", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("file view did not catch up: " + e, e);
            }
            fileRoutes = new FileRoutes(settings.files(), files, topics, kafka, this::submit, view, signer,
                    op -> parser.knownOps().contains(op));
            fileRoutes.deleteJobsWith(jobDeleter);
            FileView owners = files;
            jobRetention.keep(job -> owners.ofJob(job).isPresent());
            routes.add(fileRoutes);
            recorder = new FileRecorder(files, topics, kafka);
            started.push(recorder);
        }
        if (settings.traffic() != null) {
            TrafficRoutes traffic = new TrafficRoutes(settings.traffic(), this::submit, view, topics, kafka,
                    settings.syncTimeout(), recorder);
            routes.add(traffic);
            longestWait = traffic.longestWait().compareTo(longestWait) > 0 ? traffic.longestWait() : longestWait;
        }
        if (settings.storage() instanceof io.argus.edge.frames.StoredFrames stored) {
            // the plate search index: a view of argus.plates kept on disk beside the frame index; not
            // awaited: while a new index is rebuilt, searches answer from what is indexed so far
            io.argus.edge.plates.PlateIndex plates;
            try {
                plates = new io.argus.edge.plates.PlateIndex(settings.indexDir().resolveSibling("plate-index"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot open the plate index: " + e.getMessage(), e);
            }
            io.argus.edge.plates.PlateFeed feed = new io.argus.edge.plates.PlateFeed(plates, topics, kafka);
            started.push(() -> {
                try {
                    plates.close();
                } catch (java.io.IOException e) {
                    LOG.warn("Closing the plate index", e);
                }
            });
            feed.start();
            started.push(feed);
            faces = startFaceIndex();
            FileView fileView = recorder == null ? null : recorder.view();
            // a deleted job's plates go with it (deleted through the job API, its file, or the
            // retention), for every caller
            io.argus.edge.plates.PlateEraser eraser = new io.argus.edge.plates.PlateEraser(plates, topics, kafka);
            started.push(eraser);
            jobDeleter.onDelete(eraser::eraseJob);
            routes.add(new io.argus.edge.plates.PlateRoutes(plates, stored, (ctx, plate) -> {
                // file-level access: an admin sees every plate; another principal the plates of the
                // files it may read (not those of jobs on URLs, which belong to no file)
                io.argus.edge.security.Principal who = io.argus.edge.security.Principal.of(ctx);
                if (who.admin()) {
                    return true;
                }
                return fileView != null && fileView.ofJob(plate.path("job").asText())
                        .filter(f -> io.argus.edge.files.FileAccess.canRead(who, f)).isPresent();
            }, job -> fileView == null ? java.util.Optional.empty()
                    : fileView.ofJob(job).map(io.argus.schemas.avro.FileInfo::getFileUuid)));
            if (fileRoutes != null && settings.faces() != null) {
                // traces, identities and search by face: over the face views and the face index
                io.argus.edge.faces.FaceStage stage = new io.argus.edge.faces.FaceStage(topics, kafka, settings.files(),
                        settings.faces(), stored, fileView, fileRoutes::readable, faces, START_TIMEOUT);
                started.push(stage);
                routes.addAll(stage.routes());
                // a deleted job's faces and traces go with it (through the job API, its file, or the
                // retention): tombstones on argus.faces, its traces out of their identities
                jobDeleter.onDelete(stage::forgetJob);
            }
        }
        routes.add(new io.argus.edge.dashboard.DashboardRoutes(new io.argus.edge.dashboard.DashboardAssets(),
                new io.argus.edge.dashboard.StreamTokens(), view, topics,
                new io.argus.edge.traffic.JobRecords(kafka), settings.traffic()));
        // the server owns the routes, and so the job, control and extraction sinks
        server = new EdgeServer(new EdgeAuth(settings.keys(), settings.jwt(), signer), longestWait,
                EdgeServer.DEFAULT_BODY_TIMEOUT, routes);
        server.start(settings.httpHost(), settings.httpPort());
        started.push(server::stop);
    }

    /**
     * Opens the face search index (a view of {@code argus.faces} on disk beside the plate index, in
     * {@code face-index}) and starts its feed; not awaited: while a new index is rebuilt, searches
     * answer from what is indexed so far.
     */
    private io.argus.edge.faces.FaceIndex startFaceIndex() {
        io.argus.edge.faces.FaceIndex index;
        try {
            index = new io.argus.edge.faces.FaceIndex(settings.indexDir().resolveSibling("face-index"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot open the face index: " + e.getMessage(), e);
        }
        io.argus.edge.faces.FaceFeed feed = new io.argus.edge.faces.FaceFeed(index, topics, kafka);
        started.push(() -> {
            try {
                index.close();
            } catch (java.io.IOException e) {
                LOG.warn("Closing the face index", e);
            }
        });
        feed.start();
        started.push(feed);
        return index;
    }

    /**
     * @return the face search index (for the face routes), or null before {@link #start()} or
     *         without HTTP or a frame store
     */
    public synchronized io.argus.edge.faces.FaceIndex faces() {
        return faces;
    }

    private void awaitView() {
        try {
            view.caughtUp().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the edge", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("job view did not catch up: " + e, e);
        }
    }

    private static void awaitIndex(ExtractionIndex index) {
        try {
            if (!index.awaitRunning(START_TIMEOUT)) {
                throw new IllegalStateException("extraction index did not reach RUNNING");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the extraction index", e);
        }
    }

    /**
     * An HTTP server with {@code GET /metrics} and {@code /healthz} only, for a process that runs no
     * edge stage ({@code --metrics-port}); the caller starts and stops it.
     *
     * @param metrics the process's meters
     * @return the server, not started
     */
    public static EdgeServer metricsServer(PrometheusMeterRegistry metrics) {
        return new EdgeServer(ApiKeys.open(), Duration.ofSeconds(10), List.of(new MetricsRoutes(metrics)));
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /**
     * Validates and submits a job as {@code POST /v1/video/<videoId>} would.
     *
     * @param videoId the video id
     * @param body    the request body (JSON)
     * @return the accepted job request (its job id names the job)
     * @throws io.argus.edge.request.ApiException with the spec's code and message for a bad request
     * @throws io.argus.edge.submit.JobSinkException when the job cannot be written to Kafka
     * @throws IllegalStateException when the stage is not started
     */
    public JobRequest submit(String videoId, String body) {
        if (sink == null) {
            throw new IllegalStateException("the edge is not started");
        }
        JobRequest request = parser.parse(videoId, body);
        JobStatus waiting = WaitingStatus.of(request);
        sink.submit(waiting, request);
        view.applyLocal(waiting);
        return request;
    }

    /** @return the job view (statuses and op results read from Kafka) */
    public JobView view() {
        return view;
    }

    /** @return the bound HTTP port, or -1 without HTTP */
    public synchronized int httpPort() {
        return server == null ? -1 : server.port();
    }

    /** Stops every part, last started first; a part that fails to stop does not keep the others running. */
    @Override
    public synchronized void close() {
        started.close();
    }
}
