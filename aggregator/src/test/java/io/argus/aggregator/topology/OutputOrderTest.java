package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.label;
import static io.argus.aggregator.topology.Fixtures.op;
import static io.argus.aggregator.topology.Fixtures.result;
import static io.argus.aggregator.topology.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.argus.schemas.metrics.DroppedRecords;

/**
 * The order of the processor's output across the sinks, which TopologyTestDriver does not keep:
 * segments before the op result that lists them, op results before FINISHED or CANCELLED, each
 * callback right after the record it reports, the job's RESULT callback after its final status, a
 * kept frame's CUT event after the segment it closed, the END event between the final status and
 * the RESULT callback.
 */
class OutputOrderTest {

    private static final String JOB = "job-1";

    @TempDir
    Path stateDir;

    private MockProcessorContext<String, SpecificRecord> context;
    private AggregatorProcessor processor;
    private final List<StateStore> stores = new ArrayList<>();

    @BeforeEach
    void init() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-order-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(1_000L);
        Topics topics = new Topics(new InMemorySchemaRegistry(), "argus.");
        for (StoreBuilder<?> builder : AggregatorTopology.storeBuilders(topics)) {
            StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        processor = new AggregatorProcessor(Duration.ofDays(1), DroppedRecords.unpublished("aggregator"));
        processor.init(context);
    }

    @AfterEach
    void close() {
        stores.forEach(StateStore::close);
    }

    private void process(SpecificRecord value) {
        processor.process(new Record<>(JOB, value, 0L));
    }

    /** @return "sink:detail" for each record forwarded since the last call */
    private List<String> forwarded() {
        List<String> out = context.forwarded().stream().map(f -> {
            String sink = f.childName().orElse("?");
            Object v = f.record().value();
            String detail = v instanceof Segment s ? s.getOp() + "#" + s.getIndex()
                    : v instanceof OpResult r ? r.getOp()
                    : v instanceof JobControl c ? c.getAction() + " " + c.getOp()
                    : v instanceof HookCall h ? h.getIdempotencyKey()
                    : v instanceof VframeEvent e ? e.getKind()
                            + (e.getOp() == null ? "" : " " + e.getOp() + "/" + e.getSeq())
                            + (e.getStatus() == null ? "" : " " + e.getStatus())
                    : ((JobStatus) v).getStatus() + "" + ((JobStatus) v).getOpsDone();
            return sink + ":" + detail;
        }).toList();
        context.resetForwards();
        return out;
    }

    @Test
    void segmentsThenOpResultsThenFinished() {
        process(begin(JOB, source(2), op("a"), op("b")));
        process(result(JOB, "a", 0, label("x", 1f)));
        process(result(JOB, "a", 1, label("y", 1f)));
        process(result(JOB, "b", 0, label("x", 1f)));
        process(result(JOB, "b", 1, label("x", 1f)));
        forwarded();

        process(end(JOB, 2));

        assertThat(forwarded()).containsExactly(
                AggregatorTopology.SEGMENTS_SINK + ":a#1",
                AggregatorTopology.OP_RESULTS_SINK + ":a",
                AggregatorTopology.SEGMENTS_SINK + ":b#0",
                AggregatorTopology.OP_RESULTS_SINK + ":b",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.FINISHED + "[a, b]",
                AggregatorTopology.VFRAMES_SINK + ":END FINISHED");
    }

    @Test
    void theLastResultEmitsItsSegmentOpResultThenFinished() {
        process(begin(JOB, source(2), op("a")));
        process(end(JOB, 2));
        process(result(JOB, "a", 1, label("y", 1f)));
        assertThat(forwarded()).as("seq 1 waits for seq 0").containsExactly(
                AggregatorTopology.VFRAMES_SINK + ":BEGIN",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.DOING + "[]",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.DOING + "[]");

        process(result(JOB, "a", 0, label("x", 1f)));

        assertThat(forwarded()).containsExactly(
                AggregatorTopology.VFRAMES_SINK + ":CUT a/0",
                AggregatorTopology.SEGMENTS_SINK + ":a#0",
                AggregatorTopology.VFRAMES_SINK + ":CUT a/1",
                AggregatorTopology.SEGMENTS_SINK + ":a#1",
                AggregatorTopology.OP_RESULTS_SINK + ":a",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.FINISHED + "[a]",
                AggregatorTopology.VFRAMES_SINK + ":END FINISHED");
    }

    @Test
    void killClosesSegmentsThenOpResultsThenCancelledThenTheResultCall() {
        OpSpec a = Fixtures.withHooks(op("a"), "http://h/a", "http://h/a/segment");
        process(begin(JOB, "http://h/result", source(9), a, op("b")));
        process(result(JOB, "a", 0, label("x", 1f)));
        process(result(JOB, "a", 1, label("y", 1f)));
        process(result(JOB, "b", 0, label("x", 1f)));
        forwarded();

        process(JobControl.newBuilder().setJobId(JOB).setVideoId(Fixtures.VIDEO).setAction(ControlAction.KILL)
                .setAtMs(0L).build());

        assertThat(forwarded()).containsExactly(
                AggregatorTopology.SEGMENTS_SINK + ":a#1",
                AggregatorTopology.HOOKS_SINK + ":job-1/segment/a/1",
                AggregatorTopology.OP_RESULTS_SINK + ":a",
                AggregatorTopology.HOOKS_SINK + ":job-1/op-result/a",
                AggregatorTopology.SEGMENTS_SINK + ":b#0",
                AggregatorTopology.OP_RESULTS_SINK + ":b",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.CANCELLED + "[a, b]",
                AggregatorTopology.VFRAMES_SINK + ":END CANCELLED",
                AggregatorTopology.HOOKS_SINK + ":job-1/result");
    }

    @Test
    void terminateEmitsTheOpResultThenStopOp() {
        OpSpec a = op("a", List.of(), false, Fixtures.terminate(1, Map.of("x", 1)));
        process(begin(JOB, source(9), a, op("b")));
        forwarded();

        process(result(JOB, "a", 0, label("x", 1f)));

        assertThat(forwarded()).containsExactly(
                AggregatorTopology.VFRAMES_SINK + ":CUT a/0",
                AggregatorTopology.SEGMENTS_SINK + ":a#0",
                AggregatorTopology.OP_RESULTS_SINK + ":a",
                AggregatorTopology.CONTROL_SINK + ":" + ControlAction.STOP_OP + " a",
                AggregatorTopology.JOB_STATUS_SINK + ":" + JobState.DOING + "[a]");
    }

    @Test
    void outputIsKeyedByJobIdAndAPurgeIsScheduled() {
        process(begin(JOB, source(1), op("a")));

        assertThat(context.forwarded()).allSatisfy(f -> assertThat(f.record().key()).isEqualTo(JOB));
        assertThat(context.scheduledPunctuators()).hasSize(1);
        assertThat(context.scheduledPunctuators().get(0).getInterval()).isEqualTo(AggregatorProcessor.PURGE_INTERVAL);
    }
}
