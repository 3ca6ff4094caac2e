package io.argus.edge.extract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.RestartBudget;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The edge's extraction index: a Kafka Streams application made only of two GlobalKTables,
 * materialized in RocksDB under the state directory:
 * <ul>
 *   <li>{@value #ITEMS_STORE}: argus.extracted, index key -&gt; {@link ExtractedItem} (the index);</li>
 *   <li>{@value #REQUESTS_STORE}: argus.extraction-status, request id -&gt; {@link ExtractionStatus}.</li>
 * </ul>
 * Global tables read every partition, so every edge instance holds the whole index and answers
 * every GET locally ({@link #catalog()}); tombstones remove entries. There is no consumer group and
 * no internal topic: the application id {@code argus-extraction-index-<instance>} is per instance
 * (it names the state directory). On restart the stores resume from their checkpoint.
 *
 * <p>Both topics must exist before {@link #start()} (the launcher creates every topic of
 * {@link Topics#all()}). Undecodable records are logged and skipped: by the deserialization
 * handler while the index follows the topics, and by {@link ExtractionCatalog} for the ones a
 * start-up restore copied into the stores as raw bytes.
 *
 * <p>Life cycle: constructor (nothing connects), {@link #start()}, {@link #awaitRunning} (RUNNING
 * once both global stores caught up), {@link #close()}. Queries before RUNNING throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} (the routes answer 503).
 */
public final class ExtractionIndex implements AutoCloseable, MeterBinder {

    /** Name of the index store (argus.extracted). */
    public static final String ITEMS_STORE = "argus-extraction-items";
    /** Name of the request store (argus.extraction-status). */
    public static final String REQUESTS_STORE = "argus-extraction-requests";
    /** Prefix of the application id; the instance id follows. */
    public static final String APPLICATION_ID_PREFIX = "argus-extraction-index-";
    /** Longest {@link #close()} waits. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionIndex.class);
    private static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private final KafkaStreams streams;
    private final ExtractionCatalog catalog;
    private volatile KafkaStreamsMetrics streamsMetrics;

    /**
     * Creates the application; nothing connects before {@link #start()}.
     *
     * @param settings   bootstrap servers
     * @param topics     topic registry (names and serdes of extracted and extraction-status)
     * @param stateDir   directory of the RocksDB stores, kept across restarts; one per instance
     * @param instanceId stable id of this edge instance ({@code [A-Za-z0-9._-]})
     */
    public ExtractionIndex(KafkaSettings settings, Topics topics, Path stateDir, String instanceId) {
        this.streams = new KafkaStreams(topology(topics), streamsConfig(settings, stateDir, instanceId));
        RestartBudget restarts = RestartBudget.standard();
        // a thread lost to a transient fault (a broker gone mid-commit) is replaced and its tasks go on
        // from their committed state; a fault that keeps coming back shuts the client down
        this.streams.setUncaughtExceptionHandler(e -> {
            if (restarts.tryReplace()) {
                LOG.warn("Extraction index stream thread failed; replacing it", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("Extraction index stream threads failed too often; shutting down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.catalog = new ExtractionCatalog(
                () -> store(ITEMS_STORE),
                () -> store(REQUESTS_STORE));
    }

    /**
     * The topology: two global tables, {@link #ITEMS_STORE} and {@link #REQUESTS_STORE}, with the
     * topics' serdes, in persistent (RocksDB) stores. Usable with {@code TopologyTestDriver}.
     *
     * @param topics topic registry
     * @return the topology
     */
    public static Topology topology(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        global(builder, topics.extracted(), ITEMS_STORE);
        global(builder, topics.extractionStatus(), REQUESTS_STORE);
        return builder.build();
    }

    private static <V> void global(StreamsBuilder builder, Topic<String, V> topic, String store) {
        builder.globalTable(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()),
                Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store)
                        .withKeySerde(topic.keySerde())
                        .withValueSerde(topic.valueSerde()));
    }

    /**
     * @param settings   bootstrap servers
     * @param stateDir   state directory
     * @param instanceId instance id
     * @return the configuration: application id {@code argus-extraction-index-<instanceId>}, records
     *         up to 16 MiB, undecodable records logged and skipped
     */
    public static Properties streamsConfig(KafkaSettings settings, Path stateDir, String instanceId) {
        Objects.requireNonNull(instanceId, "instanceId");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID_PREFIX + instanceId);
        p.put(StreamsConfig.CLIENT_ID_CONFIG, APPLICATION_ID_PREFIX + instanceId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        p.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_RECORD_BYTES);
        return p;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    /** @return the queries over this instance's stores (one catalogue per index) */
    public ExtractionCatalog catalog() {
        return catalog;
    }

    /** Starts the global thread; returns at once (see {@link #awaitRunning}). */
    public void start() {
        streams.start();
    }

    /** @return the Kafka Streams state (CREATED, REBALANCING, RUNNING, ERROR, ...) */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** @return true when RUNNING: both stores caught up and queryable */
    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Waits until the index is RUNNING.
     *
     * @param timeout longest wait
     * @return true when running; false on timeout or when it stopped or failed
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isRunning()) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                    || s == KafkaStreams.State.PENDING_SHUTDOWN || s == KafkaStreams.State.PENDING_ERROR
                    || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Publishes the index's Kafka Streams client meters ({@code kafka.stream.*}); removed on close.
     *
     * @param registry where the meters go
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        KafkaStreamsMetrics m = new KafkaStreamsMetrics(streams);
        m.bindTo(registry);
        streamsMetrics = m;
    }

    /** Stops the global thread and closes the stores, waiting at most {@link #CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        KafkaStreamsMetrics m = streamsMetrics;
        if (m != null) {
            m.close();
        }
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Extraction index did not stop within {}", CLOSE_TIMEOUT);
        }
    }
}
