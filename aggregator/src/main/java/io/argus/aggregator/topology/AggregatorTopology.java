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
import io.argus.aggregator.state.TrackInput;
import io.argus.aggregator.state.TrackingJob;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;

/**
 * The aggregator topology: the frames topic (BEGIN / FRAME / END markers), the frame-results topic
 * and the control topic, co-partitioned by job id, feed one processor that applies DESIGN.md "Argus
 * semantics" (label select, segments, early terminate, kill, job status) and writes to the segments,
 * op-results, job-status, control, hooks and vframes topics, all keyed by job id, in the
 * application's exactly-once transactions.
 *
 * <pre>
 *   frames ---------\                               /--> segments    (Segment, as each closes)
 *                    \                             +---> op-results  (OpResult, when an op is done)
 *   frame-results ----+--> aggregate [6 stores] --+----> job-status  (JobStatus, on each change)
 *                    /                             +---> control     (JobControl STOP_OP: op terminated)
 *   control --------/                              +---> hooks       (HookCall SEGMENT, OP_RESULT, RESULT)
 *   (JobControl KILL; STOP_OP                       \--> vframes     (VframeEvent BEGIN, CUT, END)
 *    read back and ignored)
 *
 *   frames, frame-results, control --> track [2 stores] --+--> tracks           (TrackFrame per frame, end record)
 *   (jobs with params.tracking)                            +--> track-summaries  (TrackSummary per finished track)
 *                                                          \--> counts           (TrafficCount EVENT, FRAME, INTERVAL, TOTAL)
 * </pre>
 *
 * <p>The second processor, {@link TrackingProcessor}, tracks and counts the objects of the jobs whose
 * request has {@code params.tracking}; it reads the same inputs and keeps its own two stores.
 *
 * <p>The aggregator reads back its own STOP_OP records from the control topic and ignores them;
 * ingest reads them to stop sending frames to that op.
 *
 * <p>Stores: persistent RocksDB key-value stores with changelogs and caching; values are JSON
 * ({@link JsonSerde}) except the kept op results (Avro, the op-results topic's serde); keys as in
 * {@link io.argus.aggregator.state.StoreKeys}.
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
    /**
     * Job id, op -&gt; {@link OpResult}: results of done ops, kept until the job is final for its
     * RESULT callback; only for jobs whose request has {@code params.hookURL}.
     */
    public static final String OP_RESULTS_STORE = "aggregator-results";

    /** Job id -&gt; {@link TrackingJob}: face tracing's state of each job ({@link FaceTraceProcessor}). */
    public static final String FACE_TRACES_STORE = "aggregator-face-traces";
    /** Job id, op, seq -&gt; {@link TrackInput}: face_embed results waiting for their turn. */
    public static final String FACE_TRACES_PENDING_STORE = "aggregator-face-traces-pending";
    /** Identity uuid -&gt; {@link io.argus.aggregator.identities.IdentityState}. */
    public static final String IDENTITIES_STORE = "aggregator-identities";
    /** Trace key job/trace -&gt; {@link io.argus.aggregator.identities.TraceState}. */
    public static final String IDENTITY_TRACES_STORE = "aggregator-identity-traces";
    /** "unassigned" -&gt; {@link io.argus.aggregator.identities.Unassigned}. */
    public static final String IDENTITY_UNASSIGNED_STORE = "aggregator-identity-unassigned";
    static final String FACE_TRACER = "face-tracer";
    static final String FACES_SINK = "faces-sink";
    static final String IDENTITY_LOG_SINK = "identity-log-sink";
    static final String IDENTITY_LOG_SOURCE = "identity-log-source";
    static final String IDENTITY_STAGE = "identities";
    static final String IDENTITIES_SINK = "identities-sink";

    /** Job id -&gt; {@link TrackingJob}: tracking's state of each job (tracker and counter snapshots). */
    public static final String TRACKING_STORE = "aggregator-tracking";
    /** Job id, op, seq -&gt; {@link TrackInput}: tracked results out of order or before BEGIN. */
    public static final String TRACKING_PENDING_STORE = "aggregator-tracking-pending";

    /** Source node of the frames topic. */
    public static final String FRAMES_SOURCE = "frames-source";
    /** Source node of the frame-results topic. */
    public static final String RESULTS_SOURCE = "frame-results-source";
    /** Source node of the control topic (KILL; STOP_OP read back and ignored). */
    public static final String CONTROL_SOURCE = "control-source";
    /** The processor node. */
    public static final String PROCESSOR = "aggregate";
    /** The tracking processor node ({@link TrackingProcessor}). */
    public static final String TRACKER = "track";
    /** Sink node of the tracks topic. */
    public static final String TRACKS_SINK = "tracks-sink";
    /** Sink of the tracking processor's plate events (argus.plates). */
    public static final String PLATES_SINK = "plates-sink";
    /** Sink node of the track-summaries topic. */
    public static final String TRACK_SUMMARIES_SINK = "track-summaries-sink";
    /** Sink node of the counts topic. */
    public static final String COUNTS_SINK = "counts-sink";
    /** Sink node of the segments topic. */
    public static final String SEGMENTS_SINK = "segments-sink";
    /** Sink node of the op-results topic. */
    public static final String OP_RESULTS_SINK = "op-results-sink";
    /** Sink node of the job-status topic. */
    public static final String JOB_STATUS_SINK = "job-status-sink";
    /** Sink node of the control topic (STOP_OP). */
    public static final String CONTROL_SINK = "control-sink";
    /** Sink node of the hooks topic (callbacks). */
    public static final String HOOKS_SINK = "hooks-sink";
    /** Sink node of the vframes topic (frame-cutting events, spec Argus-Vframe). */
    public static final String VFRAMES_SINK = "vframes-sink";

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
     * @param jobRetention how long a job's state is kept after its last update (wall clock)
     * @return the topology, its dropped records counted where nothing publishes them (tests)
     */
    public static Topology build(Topics topics, Duration jobRetention) {
        return build(topics, jobRetention, DroppedRecords.unpublished("aggregator"));
    }

    /**
     * @param topics       the topic registry (names and serdes)
     * @param jobRetention how long a job's state is kept after its last update (wall clock), finished
     *                     or not
     * @param drops        counts the records the processor drops (unknown op, after the job's end, …)
     * @return the topology
     */
    public static Topology build(Topics topics, Duration jobRetention, DroppedRecords drops) {
        Topology topology = new Topology();
        topology.addSource(FRAMES_SOURCE, topics.frames().keySerde().deserializer(),
                topics.frames().valueSerde().deserializer(), topics.frames().name());
        topology.addSource(RESULTS_SOURCE, topics.frameResults().keySerde().deserializer(),
                topics.frameResults().valueSerde().deserializer(), topics.frameResults().name());
        topology.addSource(CONTROL_SOURCE, topics.control().keySerde().deserializer(),
                topics.control().valueSerde().deserializer(), topics.control().name());
        topology.addProcessor(PROCESSOR, () -> new AggregatorProcessor(jobRetention, drops), FRAMES_SOURCE, RESULTS_SOURCE,
                CONTROL_SOURCE);
        for (StoreBuilder<?> store : storeBuilders(topics)) {
            topology.addStateStore(store, PROCESSOR);
        }
        topology.addSink(SEGMENTS_SINK, topics.segments().name(), topics.segments().keySerde().serializer(),
                topics.segments().valueSerde().serializer(), PROCESSOR);
        topology.addSink(OP_RESULTS_SINK, topics.opResults().name(), topics.opResults().keySerde().serializer(),
                topics.opResults().valueSerde().serializer(), PROCESSOR);
        topology.addSink(JOB_STATUS_SINK, topics.jobStatus().name(), topics.jobStatus().keySerde().serializer(),
                topics.jobStatus().valueSerde().serializer(), PROCESSOR);
        topology.addSink(CONTROL_SINK, topics.control().name(), topics.control().keySerde().serializer(),
                topics.control().valueSerde().serializer(), PROCESSOR);
        topology.addSink(HOOKS_SINK, topics.hooks().name(), topics.hooks().keySerde().serializer(),
                topics.hooks().valueSerde().serializer(), PROCESSOR);
        topology.addSink(VFRAMES_SINK, topics.vframes().name(), topics.vframes().keySerde().serializer(),
                topics.vframes().valueSerde().serializer(), PROCESSOR);
        topology.addProcessor(TRACKER, () -> new TrackingProcessor(jobRetention, drops), FRAMES_SOURCE, RESULTS_SOURCE,
                CONTROL_SOURCE);
        topology.addStateStore(store(TRACKING_STORE, new JsonSerde<>(TrackingJob.class)), TRACKER);
        topology.addStateStore(store(TRACKING_PENDING_STORE, new JsonSerde<>(TrackInput.class)), TRACKER);
        topology.addSink(TRACKS_SINK, topics.tracks().name(), topics.tracks().keySerde().serializer(),
                topics.tracks().valueSerde().serializer(), TRACKER);
        topology.addSink(TRACK_SUMMARIES_SINK, topics.trackSummaries().name(),
                topics.trackSummaries().keySerde().serializer(), topics.trackSummaries().valueSerde().serializer(),
                TRACKER);
        topology.addSink(COUNTS_SINK, topics.counts().name(), topics.counts().keySerde().serializer(),
                topics.counts().valueSerde().serializer(), TRACKER);
        topology.addSink(PLATES_SINK, topics.plates().name(), topics.plates().keySerde().serializer(),
                topics.plates().valueSerde().serializer(), TRACKER);
        topology.addProcessor(FACE_TRACER, () -> new FaceTraceProcessor(jobRetention, drops), FRAMES_SOURCE,
                RESULTS_SOURCE, CONTROL_SOURCE);
        topology.addStateStore(store(FACE_TRACES_STORE, new JsonSerde<>(TrackingJob.class)), FACE_TRACER);
        topology.addStateStore(store(FACE_TRACES_PENDING_STORE, new JsonSerde<>(TrackInput.class)), FACE_TRACER);
        topology.addSink(FACES_SINK, topics.faces().name(), topics.faces().keySerde().serializer(),
                topics.faces().valueSerde().serializer(), FACE_TRACER);
        topology.addSink(IDENTITY_LOG_SINK, topics.identityLog().name(), topics.identityLog().keySerde().serializer(),
                topics.identityLog().valueSerde().serializer(), FACE_TRACER);
        topology.addSource(IDENTITY_LOG_SOURCE, topics.identityLog().keySerde().deserializer(),
                topics.identityLog().valueSerde().deserializer(), topics.identityLog().name());
        topology.addProcessor(IDENTITY_STAGE, () -> new IdentityProcessor(drops), IDENTITY_LOG_SOURCE);
        topology.addStateStore(store(IDENTITIES_STORE,
                new JsonSerde<>(io.argus.aggregator.identities.IdentityState.class)), IDENTITY_STAGE);
        topology.addStateStore(store(IDENTITY_TRACES_STORE,
                new JsonSerde<>(io.argus.aggregator.identities.TraceState.class)), IDENTITY_STAGE);
        topology.addStateStore(store(IDENTITY_UNASSIGNED_STORE,
                new JsonSerde<>(io.argus.aggregator.identities.Unassigned.class)), IDENTITY_STAGE);
        topology.addSink(IDENTITIES_SINK, topics.identities().name(), topics.identities().keySerde().serializer(),
                topics.identities().valueSerde().serializer(), IDENTITY_STAGE);
        return topology;
    }

    /**
     * @param topics the topic registry: the kept op results use the op-results topic's value serde
     * @return builders of the six stores: persistent (RocksDB), logged, cached
     */
    public static List<StoreBuilder<? extends KeyValueStore<String, ?>>> storeBuilders(Topics topics) {
        return List.of(
                store(JOBS_STORE, new JsonSerde<>(JobProgress.class)),
                store(OPS_STORE, new JsonSerde<>(OpState.class)),
                store(PENDING_STORE, new JsonSerde<>(ResultData.class)),
                store(CUTS_STORE, new JsonSerde<>(CutData.class)),
                store(SEGMENTS_STORE, new JsonSerde<>(SegmentData.class)),
                store(OP_RESULTS_STORE, topics.opResults().valueSerde()));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withLoggingEnabled(CHANGELOG)
                .withCachingEnabled();
    }
}
