package io.argus.aggregator.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

/** The aggregator topology in a TopologyTestDriver, with the real topic names and Avro serdes. */
final class AggregatorDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, FrameEvent> frames;
    private final TestInputTopic<String, FrameResult> results;
    private final TestOutputTopic<String, Segment> segments;
    private final TestOutputTopic<String, OpResult> opResults;
    private final TestOutputTopic<String, JobStatus> statuses;
    private final TestInputTopic<String, JobControl> controlIn;
    private final TestOutputTopic<String, JobControl> controlOut;
    private final TestOutputTopic<String, HookCall> hooks;
    private final TestOutputTopic<String, VframeEvent> vframes;

    AggregatorDriver() {
        this(AggregatorTopology.DEFAULT_JOB_RETENTION);
    }

    private java.nio.file.Path stateDir;

    AggregatorDriver(Duration retention) {
        Topics topics = new Topics(new InMemorySchemaRegistry(), "argus.");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            stateDir = Files.createTempDirectory("aggregator-test");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(AggregatorTopology.build(topics, retention), props, START);
        frames = driver.createInputTopic(topics.frames().name(), topics.frames().keySerde().serializer(),
                topics.frames().valueSerde().serializer());
        results = driver.createInputTopic(topics.frameResults().name(), topics.frameResults().keySerde().serializer(),
                topics.frameResults().valueSerde().serializer());
        segments = driver.createOutputTopic(topics.segments().name(), topics.segments().keySerde().deserializer(),
                topics.segments().valueSerde().deserializer());
        opResults = driver.createOutputTopic(topics.opResults().name(), topics.opResults().keySerde().deserializer(),
                topics.opResults().valueSerde().deserializer());
        statuses = driver.createOutputTopic(topics.jobStatus().name(), topics.jobStatus().keySerde().deserializer(),
                topics.jobStatus().valueSerde().deserializer());
        controlIn = driver.createInputTopic(topics.control().name(), topics.control().keySerde().serializer(),
                topics.control().valueSerde().serializer());
        controlOut = driver.createOutputTopic(topics.control().name(), topics.control().keySerde().deserializer(),
                topics.control().valueSerde().deserializer());
        hooks = driver.createOutputTopic(topics.hooks().name(), topics.hooks().keySerde().deserializer(),
                topics.hooks().valueSerde().deserializer());
        vframes = driver.createOutputTopic(topics.vframes().name(), topics.vframes().keySerde().deserializer(),
                topics.vframes().valueSerde().deserializer());
    }

    void pipe(FrameEvent event) {
        frames.pipeInput(event.getJobId(), event);
    }

    void pipe(FrameResult result) {
        results.pipeInput(result.getJobId(), result);
    }

    void pipeResults(List<FrameResult> list) {
        list.forEach(this::pipe);
    }

    void pipe(JobControl control) {
        controlIn.pipeInput(control.getJobId(), control);
    }

    /** Pipes a KILL for the job, as api-edge writes it (video id {@link Fixtures#VIDEO}). */
    void kill(String jobId) {
        pipe(JobControl.newBuilder().setJobId(jobId).setVideoId(Fixtures.VIDEO).setAction(ControlAction.KILL)
                .setReason("killed by test").setAtMs(START.toEpochMilli()).build());
    }

    /** @return segments emitted since the last call */
    List<Segment> segments() {
        return segments.readValuesToList();
    }

    /** @return op results emitted since the last call */
    List<OpResult> opResults() {
        return opResults.readValuesToList();
    }

    /** @return job statuses emitted since the last call */
    List<JobStatus> statuses() {
        return statuses.readValuesToList();
    }

    /** @return records the topology wrote to the control topic since the last call (not those piped in) */
    List<JobControl> controls() {
        return controlOut.readValuesToList();
    }

    /** @return STOP_OP records the topology wrote since the last call */
    List<JobControl> stopOps() {
        return controls().stream().filter(c -> c.getAction() == ControlAction.STOP_OP).toList();
    }

    /** @return hook calls emitted since the last call */
    List<HookCall> hooks() {
        return hooks.readValuesToList();
    }

    /** @return frame-cutting events emitted since the last call */
    List<VframeEvent> vframes() {
        return vframes.readValuesToList();
    }

    /** @return frame-cutting events emitted since the last call, with their keys */
    List<KeyValue<String, VframeEvent>> vframeRecords() {
        return vframes.readKeyValuesToList();
    }

    /** @return true when every output topic was read to its end */
    boolean nothingMore() {
        return segments.isEmpty() && opResults.isEmpty() && statuses.isEmpty() && hooks.isEmpty()
                && controlOut.isEmpty() && vframes.isEmpty();
    }

    /** @return keys of the output records of the job-status topic, drained */
    List<String> statusKeys() {
        return statuses.readKeyValuesToList().stream().map(kv -> kv.key).toList();
    }

    JobProgress job(String jobId) {
        KeyValueStore<String, JobProgress> store = driver.getKeyValueStore(AggregatorTopology.JOBS_STORE);
        return store.get(jobId);
    }

    /** @return number of entries in one of the aggregator's stores */
    long storeSize(String storeName) {
        KeyValueStore<String, Object> store = driver.getKeyValueStore(storeName);
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    @Override
    public void close() {
        driver.close();
        try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
