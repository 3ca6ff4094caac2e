package io.argus.launcher.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.AggregatorApp;
import io.argus.analyzer.AnalyzerWorker;
import io.argus.analyzer.op.OpRegistry;
import io.argus.edge.EdgeApp;
import io.argus.edge.request.OpCatalog;
import io.argus.edge.request.OpDescription;
import io.argus.edge.view.JobView;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.FrameStores;
import io.argus.extractor.store.StoreUsage;
import io.argus.extractor.worker.FlowWorker;
import io.argus.ingest.IngestWorker;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.lifecycle.StartedParts;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.registry.SchemaRegistry;
import io.argus.schemas.topics.TopicAdmin;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.kafka.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

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

    private final StartedParts started = new StartedParts();
    private final RuntimeConfig config;
    private KafkaSettings kafka;
    private Topics topics;
    private FrameStore frames;
    private OpRegistry ops;
    private AggregatorApp aggregator;
    private EdgeApp edge;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private int metricsPort = -1;

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
     * @throws IllegalArgumentException when the edge would serve the API without keys on a
     *         non-loopback address without {@code --allow-anonymous} ({@link RuntimeConfig#checkExposure}),
     *         before anything starts
     */
    public static ArgusRuntime start(RuntimeConfig config) throws IOException {
        config.checkExposure(); // an open API allowed on a network address is logged by the edge itself
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
        ArgusMeters.bindJvm(metrics).forEach(started::push);
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
        new StoreUsage(frames).bindTo(metrics);
        if (config.runs(Stage.ANALYZER) || config.runs(Stage.EDGE)) {
            ops = OpRegistry.builtin(data.resolve("models"));
        }
        if (config.runs(Stage.AGGREGATOR)) {
            aggregator = new AggregatorApp(kafka, topics, data.resolve("streams"), config.instanceId(), 1, metrics);
            aggregator.start();
            started.push(aggregator);
        }
        if (config.runs(Stage.ANALYZER)) {
            AnalyzerWorker analyzer = new AnalyzerWorker(kafka, topics, ops, frames, config.analyzerThreads(),
                    config.instanceId(), metrics);
            analyzer.start();
            started.push(analyzer);
        }
        if (config.runs(Stage.FLOW)) {
            // As many flow threads as analyzer threads: idle when no flow request runs.
            FlowWorker flow = new FlowWorker(kafka, topics, frames, config.analyzerThreads(), config.instanceId(),
                    metrics);
            flow.start();
            started.push(flow);
        }
        if (config.runs(Stage.INGEST)) {
            SourceOpener opener = new SourceOpener(config.security().urls(), config.security().files());
            IngestWorker ingest = new IngestWorker(kafka, topics, frames, opener, config.ingestSlots(),
                    config.liveSlots(), config.instanceId(), metrics);
            ingest.start();
            started.push(ingest);
        }
        if (config.runs(Stage.EDGE)) {
            edge = new EdgeApp(kafka, topics, edgeSettings(data, registry));
            started.push(edge);
            edge.start();
        } else if (config.metricsPort() >= 0) {
            // a process without the edge serves its meters alone
            var server = EdgeApp.metricsServer(metrics);
            metricsPort = server.start(config.httpHost(), config.metricsPort());
            started.push(server::stop);
        }
        try {
            if (aggregator != null && !aggregator.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("aggregator did not reach RUNNING: " + aggregator.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
        LOG.info("Argus running stages {}: Kafka {}, ops {}, HTTP {}", config.stages(), bootstrap,
                ops == null ? "-" : ops.names(), httpPort() >= 0 ? config.httpHost() + ":" + httpPort() : "off");
    }

    /**
     * @return the traffic API's backend over the frame store; uploads up to the system property
     *         {@code argus.upload.maxBytes} (default {@link io.argus.media.upload.VideoUploads#DEFAULT_MAX_BYTES}, 2 GiB)
     */
    private io.argus.launcher.traffic.TrafficMedia traffic(Path data) {
        long max = Long.getLong("argus.upload.maxBytes", io.argus.media.upload.VideoUploads.DEFAULT_MAX_BYTES);
        try {
            return new io.argus.launcher.traffic.TrafficMedia(frames, data.resolve("traffic"), max);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + data.resolve("traffic"), e);
        }
    }

    /**
     * @return the media API's file backend over the frame store; uploads up to the system property
     *         {@code argus.upload.maxBytes} (default {@link io.argus.media.upload.VideoUploads#DEFAULT_MAX_BYTES}, 2 GiB)
     */
    private io.argus.launcher.files.FileMedia files(Path data) {
        long max = Long.getLong("argus.upload.maxBytes", io.argus.media.upload.VideoUploads.DEFAULT_MAX_BYTES);
        try {
            return new io.argus.launcher.files.FileMedia(frames, data.resolve("files"), max,
                    new io.argus.launcher.files.UriImport(config.security().urls(), config.security().files()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + data.resolve("files"), e);
        }
    }

    private EdgeApp.Settings edgeSettings(Path data, SchemaRegistry registry) {
        OpCatalog catalog = new OpCatalog(ops.all().stream()
                .map(p -> new OpDescription(p.name(), p.labels(), p.params(), p.acceptsOtherParams()))
                .toList(), ops.unavailable());
        return new EdgeApp.Settings(config.instanceId(), data.resolve("index"), catalog, config.hooks(),
                config.security().urls(), config.security().keys(), SYNC_TIMEOUT, config.extractionRetention(),
                config.jobRetention(),
                new EdgeFrameStore(frames), registry instanceof InMemorySchemaRegistry mem ? mem : null,
                config.httpHost(), config.httpPort(), metrics, traffic(data), files(data), config.security().jwt(),
                urlSigner(data), new io.argus.launcher.files.FaceTools(data.resolve("models")));
    }

    /** @return the configured URL signer, else the one whose secret is kept in {@code <data>/url-signing.key} */
    private io.argus.edge.security.UrlSigner urlSigner(Path data) {
        if (config.security().urlSigner() != null) {
            return config.security().urlSigner();
        }
        try {
            return io.argus.edge.security.UrlSigner.inDirectory(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the URL signing secret in " + data, e);
        }
    }

    /**
     * Validates and submits a job as {@code POST /v1/video/<videoId>} would.
     *
     * @param videoId the video id
     * @param body    the request body (JSON)
     * @return the accepted job request (its job id names the job)
     * @throws io.argus.edge.request.ApiException with the spec's code and message for a bad request
     * @throws IllegalStateException when this process does not run the edge stage
     */
    public JobRequest submit(String videoId, String body) {
        if (edge == null) {
            throw new IllegalStateException("this process does not run the edge stage");
        }
        return edge.submit(videoId, body);
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

    /** @return the job view (statuses and op results read from Kafka), or null without the edge stage */
    public JobView view() {
        return edge == null ? null : edge.view();
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

    /** @return the meters of every stage in this process (served at {@code GET /metrics}) */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * @return the port {@code /metrics} is served on: the HTTP port with the edge, the bound
     *         {@code --metrics-port} without it, or -1
     */
    public int metricsPort() {
        return edge != null ? edge.httpPort() : metricsPort;
    }

    /** @return the bound HTTP port, or -1 without HTTP */
    public int httpPort() {
        return edge == null ? -1 : edge.httpPort();
    }

    /** Stops every stage, last started first. */
    @Override
    public void close() {
        started.close();
    }
}
