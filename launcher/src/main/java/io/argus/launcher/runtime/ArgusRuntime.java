package io.argus.launcher.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.AggregatorApp;
import io.argus.analyzer.AnalyzerWorker;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.edge.extract.ExtractionIndex;
import io.argus.edge.extract.ExtractionRequestParser;
import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.extract.ExtractionRoutes;
import io.argus.edge.extract.KafkaExtractionSink;
import io.argus.edge.hooks.HookDispatcher;
import io.argus.edge.http.EdgeServer;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.request.WaitingStatus;
import io.argus.edge.submit.ControlSink;
import io.argus.edge.submit.JobSink;
import io.argus.edge.submit.KafkaControlSink;
import io.argus.edge.submit.KafkaJobSink;
import io.argus.edge.view.JobView;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.worker.FlowWorker;
import io.argus.extractor.store.FrameStores;
import io.argus.ingest.IngestWorker;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.registry.SchemaRegistry;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;

/**
 * Every Argus stage in one JVM: the embedded broker (unless a cluster is configured), the schema
 * registry, topic creation, the local frame store, ingest, analyzer, aggregator, the edge's job
 * view and, when a port is configured, the HTTP edge. Stages talk only through Kafka, exactly as
 * when they run as separate processes.
 *
 * <p>{@link #close()} stops the stages in reverse order of start.
 */
public final class ArgusRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArgusRuntime.class);
    /** How long a synchronous POST /v1/video waits for its job. */
    public static final Duration SYNC_TIMEOUT = Duration.ofMinutes(30);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final RuntimeConfig config;
    private KafkaSettings kafka;
    private Topics topics;
    private FrameStore frames;
    private OpRegistry ops;
    private JobView view;
    private JobSink sink;
    private ControlSink control;
    private JobRequestParser parser;
    private AggregatorApp aggregator;
    private int httpPort = -1;

    private ArgusRuntime(RuntimeConfig config) {
        this.config = config;
    }

    /**
     * Starts every stage and waits until the aggregator runs and the job view has read the
     * existing job statuses.
     *
     * @param config what to run
     * @return the running runtime
     * @throws IOException when the data directory cannot be used
     * @throws IllegalStateException when a stage fails to start
     */
    public static ArgusRuntime start(RuntimeConfig config) throws IOException {
        ArgusRuntime rt = new ArgusRuntime(config);
        try {
            rt.startAll();
        } catch (IOException | RuntimeException e) {
            rt.close();
            throw e;
        }
        return rt;
    }

    private void startAll() throws IOException {
        Path data = config.dataDir().toAbsolutePath();
        String bootstrap = config.bootstrapServers();
        if (config.embeddedKafka()) {
            EmbeddedKafka broker = new EmbeddedKafka(data.resolve("kafka"), 0).start();
            started.push(broker);
            bootstrap = broker.bootstrapServers();
        }
        kafka = new KafkaSettings(bootstrap, config.partitions(), config.replication());
        SchemaRegistry registry = config.registryUrl() == null || config.registryUrl().isBlank()
                ? new InMemorySchemaRegistry(data.resolve("registry.json"))
                : new RestSchemaRegistry(config.registryUrl(), Duration.ofSeconds(10), config.security().registryKey());
        topics = new Topics(registry, Topics.DEFAULT_PREFIX);
        TopicAdmin.ensure(kafka.admin(), topics.all(), config.partitions(), config.replication());
        frames = FrameStores.open(config.frameStore(), data.resolve("frames"));
        started.push(frames);
        SourceOpener.setUrlGuard(config.security().urls());
        SourceOpener.setFileRoots(config.security().files());
        if (config.runs(Stage.ANALYZER) || config.runs(Stage.EDGE)) {
            ops = OpRegistry.builtin(data.resolve("models"));
        }

        if (config.runs(Stage.AGGREGATOR)) {
            aggregator = new AggregatorApp(kafka, topics, data.resolve("streams"), config.instanceId(), 1);
            aggregator.start();
            started.push(aggregator);
        }
        if (config.runs(Stage.ANALYZER)) {
            AnalyzerWorker analyzer = new AnalyzerWorker(kafka, topics, ops, frames, config.analyzerThreads(),
                    config.instanceId());
            analyzer.start();
            started.push(analyzer);
        }
        if (config.runs(Stage.FLOW)) {
            // As many flow threads as analyzer threads: idle when no flow request runs.
            FlowWorker flow = new FlowWorker(kafka, topics, frames, config.analyzerThreads(), config.instanceId());
            flow.start();
            started.push(flow);
        }
        if (config.runs(Stage.INGEST)) {
            IngestWorker ingest = new IngestWorker(kafka, topics, frames, config.ingestSlots(), config.liveSlots(),
                    config.instanceId());
            ingest.start();
            started.push(ingest);
        }
        if (config.runs(Stage.EDGE)) {
            startEdge(data, registry);
        }
        try {
            if (view != null) {
                view.caughtUp().get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            if (aggregator != null && !aggregator.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("aggregator did not reach RUNNING: " + aggregator.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("job view did not catch up: " + e, e);
        }
        LOG.info("Argus running stages {}: Kafka {}, ops {}, HTTP {}", config.stages(), bootstrap,
                ops == null ? "-" : ops.names(), httpPort >= 0 ? config.httpHost() + ":" + httpPort : "off");
    }

    /** The job view, hook delivery, job and control sinks and, when a port is set, the HTTP API. */
    private void startEdge(Path data, SchemaRegistry registry) throws IOException {
        view = new JobView(topics, kafka);
        view.start();
        started.push(view);
        HookDispatcher hooks = new HookDispatcher(topics, kafka, config.hooks(), config.security().urls());
        hooks.start();
        started.push(hooks);
        sink = new KafkaJobSink(topics, kafka);
        control = new KafkaControlSink(topics, kafka);
        parser = new JobRequestParser(ops.names(), config.security().urls());
        if (config.httpPort() >= 0) {
            // The edge shares this runtime's sinks and parser, and closes the sinks when it stops.
            EdgeServer edge = new EdgeServer(sink, control, parser, view, SYNC_TIMEOUT, EdgeServer.DEFAULT_KILL_WAIT,
                    registry instanceof InMemorySchemaRegistry mem ? mem : null);
            edge.setOpLabels(ops.all().stream()
                    .collect(java.util.stream.Collectors.toMap(OpProvider::name, OpProvider::labels)));
            ExtractionIndex index = new ExtractionIndex(kafka, topics, data.resolve("index"), config.instanceId());
            index.start();
            started.push(index);
            awaitIndex(index);
            ExtractionRoutes routes = new ExtractionRoutes(new ExtractionRequestParser(config.security().urls()),
                    new KafkaExtractionSink(topics, kafka), index.catalog(), frames::deletePrefix);
            edge.setExtractionRoutes(routes);
            ExtractionRetention retention = new ExtractionRetention(index.catalog(), routes.deleter(),
                    config.extractionRetention(), ExtractionRetention.DEFAULT_PERIOD, System::currentTimeMillis);
            retention.start();
            started.push(retention);
            edge.setApiKeys(config.security().keys());
            if (config.security().keys().isOpen() && !isLoopback(config.httpHost())) {
                LOG.warn("HTTP API on {} without API keys: anyone who reaches it can run and kill jobs "
                        + "(set --api-keys-file or ARGUS_API_KEYS)", config.httpHost());
            }
            httpPort = edge.start(config.httpHost(), config.httpPort());
            started.push(edge::stop);
        } else {
            started.push(sink);
            started.push(control);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static void awaitIndex(ExtractionIndex index) {
        try {
            if (!index.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("extraction index did not reach RUNNING");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the extraction index", e);
        }
    }

    /**
     * Validates and submits a job as {@code POST /v1/video/<videoId>} would.
     *
     * @param videoId the video id
     * @param body    the request body (JSON)
     * @return the accepted job request (its job id names the job)
     * @throws io.argus.edge.request.ApiException with the spec's code and message for a bad request
     */
    public JobRequest submit(String videoId, String body) {
        if (parser == null) {
            throw new IllegalStateException("this process does not run the edge stage");
        }
        JobRequest request = parser.parse(videoId, body);
        var waiting = WaitingStatus.of(request);
        sink.submit(waiting, request);
        view.applyLocal(waiting);
        return request;
    }

    /** @return the Kafka settings in use */
    public KafkaSettings kafka() {
        return kafka;
    }

    /** @return the topic registry */
    public Topics topics() {
        return topics;
    }

    /** @return the frame store */
    public FrameStore frames() {
        return frames;
    }

    /** @return the ops the analyzer runs */
    public OpRegistry ops() {
        return ops;
    }

    /** @return the job view (statuses and op results read from Kafka) */
    public JobView view() {
        return view;
    }

    /** @return the aggregator (interactive queries of its job store) */
    public AggregatorApp aggregator() {
        return aggregator;
    }

    /** @return the configuration this runtime started with */
    public RuntimeConfig config() {
        return config;
    }

    /** @return the stages this process runs */
    public java.util.Set<Stage> stages() {
        return config.stages();
    }

    /** @return the bound HTTP port, or -1 without HTTP */
    public int httpPort() {
        return httpPort;
    }

    /** Stops every stage, last started first. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", c, e.getMessage());
            }
        }
    }
}
