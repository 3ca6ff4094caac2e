package io.argus.aggregator.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import io.argus.aggregator.state.CutData;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.JsonSerde;
import io.argus.aggregator.state.OpState;
import io.argus.aggregator.state.ResultData;
import io.argus.aggregator.state.SegmentData;
import io.argus.schemas.topics.Topics;

/**
 * The aggregator topology: the frames topic (BEGIN / FRAME / END markers) and the frame-results
 * topic, co-partitioned by job id, feed one processor that applies DESIGN.md "Argus semantics"
 * (label select, segments, early terminate, job status) and writes to the segments, op-results and
 * job-status topics, all keyed by job id.
 *
 * <pre>
 *   frames ---------\                                  /--> segments    (Segment, as each closes)
 *                    +--> aggregate [5 stores] -------+---> op-results  (OpResult, when an op is done)
 *   frame-results --/                                  \--> job-status  (JobStatus, on each change)
 * </pre>
 *
 * <p>Stores: persistent RocksDB key-value stores with changelogs and caching; values are JSON
 * ({@link JsonSerde}); keys as in {@link io.argus.aggregator.state.StoreKeys}.
 */
public final class AggregatorTopology {

    /** Job id -&gt; {@link JobProgress}; queryable (interactive queries). */
    public static final String JOBS_STORE = "aggregator-jobs";
    /** Job id, op -&gt; {@link OpState}. */
    public static final String OPS_STORE = "aggregator-ops";
    /** Job id, op, seq -&gt; {@link ResultData}: results out of order or before BEGIN. */
    public static final String PENDING_STORE = "aggregator-pending";
    /** Job id, op, segment index, cut -&gt; {@link CutData}: frames of open segments. */
    public static final String CUTS_STORE = "aggregator-cuts";
    /** Job id, op, segment index -&gt; {@link SegmentData}: closed segments of ops not done. */
    public static final String SEGMENTS_STORE = "aggregator-segments";

    /** Source node of the frames topic. */
    public static final String FRAMES_SOURCE = "frames-source";
    /** Source node of the frame-results topic. */
    public static final String RESULTS_SOURCE = "frame-results-source";
    /** The processor node. */
    public static final String PROCESSOR = "aggregate";
    /** Sink node of the segments topic. */
    public static final String SEGMENTS_SINK = "segments-sink";
    /** Sink node of the op-results topic. */
    public static final String OP_RESULTS_SINK = "op-results-sink";
    /** Sink node of the job-status topic. */
    public static final String JOB_STATUS_SINK = "job-status-sink";

    /** How long a job is remembered after its last update: the retention of the input topics. */
    public static final Duration DEFAULT_JOB_RETENTION = Duration.ofDays(7);

    /** Changelog topic settings: values (a closed segment with its cuts) may be large. */
    private static final Map<String, String> CHANGELOG = Map.of("max.message.bytes", "16777216");

    private AggregatorTopology() {
    }

    /**
     * @param topics the topic registry (names and serdes)
     * @return the topology, jobs remembered for {@link #DEFAULT_JOB_RETENTION}
     */
    public static Topology build(Topics topics) {
        return build(topics, DEFAULT_JOB_RETENTION);
    }

    /**
     * @param topics       the topic registry (names and serdes)
     * @param jobRetention how long a job's state is kept after its last update (wall clock), finished
     *                     or not
     * @return the topology
     */
    public static Topology build(Topics topics, Duration jobRetention) {
        Topology topology = new Topology();
        topology.addSource(FRAMES_SOURCE, topics.frames().keySerde().deserializer(),
                topics.frames().valueSerde().deserializer(), topics.frames().name());
        topology.addSource(RESULTS_SOURCE, topics.frameResults().keySerde().deserializer(),
                topics.frameResults().valueSerde().deserializer(), topics.frameResults().name());
        topology.addProcessor(PROCESSOR, () -> new AggregatorProcessor(jobRetention), FRAMES_SOURCE, RESULTS_SOURCE);
        for (StoreBuilder<?> store : storeBuilders()) {
            topology.addStateStore(store, PROCESSOR);
        }
        topology.addSink(SEGMENTS_SINK, topics.segments().name(), topics.segments().keySerde().serializer(),
                topics.segments().valueSerde().serializer(), PROCESSOR);
        topology.addSink(OP_RESULTS_SINK, topics.opResults().name(), topics.opResults().keySerde().serializer(),
                topics.opResults().valueSerde().serializer(), PROCESSOR);
        topology.addSink(JOB_STATUS_SINK, topics.jobStatus().name(), topics.jobStatus().keySerde().serializer(),
                topics.jobStatus().valueSerde().serializer(), PROCESSOR);
        return topology;
    }

    /**
     * @return builders of the five stores: persistent (RocksDB), logged, cached
     */
    public static List<StoreBuilder<? extends KeyValueStore<String, ?>>> storeBuilders() {
        return List.of(
                store(JOBS_STORE, JobProgress.class),
                store(OPS_STORE, OpState.class),
                store(PENDING_STORE, ResultData.class),
                store(CUTS_STORE, CutData.class),
                store(SEGMENTS_STORE, SegmentData.class));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Class<V> type) {
        Serde<V> values = new JsonSerde<>(type);
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(CHANGELOG)
                .withCachingEnabled();
    }
}
