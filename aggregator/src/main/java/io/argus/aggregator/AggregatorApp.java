package io.argus.aggregator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.topology.AggregatorTopology;
import io.argus.aggregator.topology.JobStatuses;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.RestartBudget;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The aggregator stage: a Kafka Streams application running {@link AggregatorTopology}
 * (application.id {@value #APPLICATION_ID}, exactly_once_v2, commit every 100 ms, RocksDB stores
 * with changelogs under the state directory).
 *
 * <p>Static membership: each instance joins with group.instance.id
 * {@code argus-aggregator-<instanceId>} and {@link #close()} leaves the group, so a restart neither
 * waits out the session timeout nor triggers two rebalances (DESIGN.md, Kafka facts). Give every
 * instance a distinct, stable instance id and state directory.
 *
 * <p>Thread-safe.
 */
public final class AggregatorApp implements AutoCloseable {

    /** Kafka Streams application id: consumer group and prefix of the internal topics. */
    public static final String APPLICATION_ID = "argus-aggregator";

    /** Longest {@link #close()} waits for the stream threads to stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(AggregatorApp.class);
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    /**
     * Creates the application; nothing connects before {@link #start()}.
     *
     * @param settings   bootstrap servers and replication of the internal topics (changelogs)
     * @param topics     the topic registry; the input and output topics must exist
     * @param stateDir   directory of the RocksDB stores (kept across restarts: restores are faster)
     * @param instanceId stable id of this instance, unique in the cluster (static membership)
     * @param threads    stream threads, at least 1; a thread runs one or more partitions' tasks
     * @param metrics    where the Kafka Streams client's meters ({@code kafka.stream.*}) and the
     *                   dropped records ({@value ArgusMeters#RECORDS_DROPPED}, stage aggregator) go
     */
    public AggregatorApp(KafkaSettings settings, Topics topics, Path stateDir, String instanceId, int threads,
                         MeterRegistry metrics) {
        this.streams = new KafkaStreams(AggregatorTopology.build(topics, AggregatorTopology.DEFAULT_JOB_RETENTION,
                new DroppedRecords(metrics, "aggregator")), streamsConfig(settings, stateDir, instanceId, threads));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        this.streamsMetrics.bindTo(metrics);
        RestartBudget restarts = RestartBudget.standard();
        // a thread lost to a transient fault (a broker gone mid-commit) is replaced and its tasks go on
        // from their committed state; a fault that keeps coming back shuts the client down
        this.streams.setUncaughtExceptionHandler(e -> {
            if (restarts.tryReplace()) {
                LOG.warn("Aggregator stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("Aggregator stream threads failed too often; shutting down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * The Kafka Streams configuration of an instance.
     *
     * @param settings   bootstrap servers and replication factor
     * @param stateDir   state directory
     * @param instanceId stable instance id
     * @param threads    stream threads
     * @return the properties: exactly_once_v2, commit.interval.ms 100, static membership, records up
     *         to 16 MiB, undecodable input records logged and skipped
     */
    public static Properties streamsConfig(KafkaSettings settings, Path stateDir, String instanceId, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, APPLICATION_ID + "-" + instanceId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
        if (settings.replicationFactor() >= 3) {
            // changelogs and repartition topics: as TopicAdmin does for Argus's own topics
            p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), 2);
        }
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), APPLICATION_ID + "-" + instanceId);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_RECORD_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_RECORD_BYTES);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return p;
    }

    /** Starts the stream threads; returns at once (see {@link #isRunning()}). */
    public void start() {
        streams.start();
    }

    /** @return true when the application is RUNNING (not while starting, rebalancing or stopped) */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** @return the Kafka Streams state (CREATED, REBALANCING, RUNNING, ERROR, ...) */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Waits until the application is RUNNING.
     *
     * @param timeout longest wait
     * @return true when running, false on timeout or when it stopped
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isRunning()) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_SHUTDOWN || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * The job's latest status as held by this instance's job store (interactive query): the last
     * job-status record the aggregator emitted for it.
     *
     * @param jobId job id
     * @return the status; empty when this instance does not host the job's partition, the job has
     *         not begun (or is unknown), or the store is not queryable yet (starting, rebalancing)
     */
    public Optional<JobStatus> job(String jobId) {
        try {
            ReadOnlyKeyValueStore<String, JobProgress> store = streams.store(StoreQueryParameters.fromNameAndType(
                    AggregatorTopology.JOBS_STORE, QueryableStoreTypes.keyValueStore()));
            JobProgress job = store.get(jobId);
            if (job == null || !(job.begun() || job.isFinal())) {
                return Optional.empty();
            }
            return Optional.of(JobStatuses.of(job));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the stream threads, leaving the consumer group (static members otherwise keep their
     * partitions until the session timeout), waiting at most {@link #CLOSE_TIMEOUT}.
     */
    @Override
    public void close() {
        streamsMetrics.close();
        boolean stopped = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        if (!stopped) {
            LOG.warn("Aggregator did not stop within {}", CLOSE_TIMEOUT);
        }
    }
}
