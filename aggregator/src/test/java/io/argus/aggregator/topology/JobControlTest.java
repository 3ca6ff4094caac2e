package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.endWithError;
import static io.argus.aggregator.topology.Fixtures.frame;
import static io.argus.aggregator.topology.Fixtures.label;
import static io.argus.aggregator.topology.Fixtures.op;
import static io.argus.aggregator.topology.Fixtures.result;
import static io.argus.aggregator.topology.Fixtures.source;
import static io.argus.aggregator.topology.Fixtures.terminate;
import static io.argus.aggregator.topology.Fixtures.withHooks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.avro.VframeKind;

/** The control topic: KILL (DESIGN.md "Argus semantics", Jobs) and STOP_OP on early terminate. */
class JobControlTest {

    private static final String JOB = "job-1";

    private final AggregatorDriver driver = new AggregatorDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private static List<String> labelNames(Segment s) {
        return s.getLabels().stream().map(Label::getLabel).toList();
    }

    private static List<Long> cutOffsets(Segment s) {
        return s.getCuts().stream().map(Cut::getOffsetMs).toList();
    }

    private void drain() {
        driver.segments();
        driver.opResults();
        driver.statuses();
        driver.hooks();
        driver.controls();
        driver.vframes();
    }

    @Test
    void killMidJobClosesOpenSegmentsEmitsTheResultsSoFarAndCancels() {
        driver.pipe(begin(JOB, source(10), op("a"), op("b")));
        driver.pipe(frame(JOB, 0));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("person", 0.8f)));
        driver.pipe(result(JOB, "a", 2, label("car", 0.7f)));
        driver.pipe(result(JOB, "b", 0, label("dog", 0.6f)));
        driver.pipe(result(JOB, "b", 2, label("dog", 0.6f)));
        assertThat(driver.segments()).as("a#0 closed by the car frame").extracting(Segment::getIndex)
                .containsExactly(0);
        drain();

        driver.kill(JOB);

        List<Segment> closed = driver.segments();
        assertThat(closed).extracting(Segment::getOp, Segment::getIndex)
                .containsExactly(tuple("a", 1), tuple("b", 0));
        assertThat(labelNames(closed.get(0))).containsExactly("car");
        assertThat(cutOffsets(closed.get(0))).containsExactly(2000L);
        assertThat(cutOffsets(closed.get(1))).as("b's buffered seq 2 is not processed").containsExactly(0L);

        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("a", "b");
        OpResult a = results.get(0);
        assertThat(a.getFrames()).isEqualTo(3);
        assertThat(a.getTerminated()).isFalse();
        assertThat(a.getSegments()).extracting(Segment::getIndex).containsExactly(0, 1);
        assertThat(a.getSegments().get(1)).isEqualTo(closed.get(0));
        assertThat(a.getLabels()).extracting(Label::getLabel).containsExactly("person", "car");
        OpResult b = results.get(1);
        assertThat(b.getFrames()).isEqualTo(1);
        assertThat(b.getSegments()).containsExactly(closed.get(1));

        List<JobStatus> statuses = driver.statuses();
        assertThat(statuses).hasSize(1);
        JobStatus cancelled = statuses.get(0);
        assertThat(cancelled.getStatus()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.getOpsDone()).containsExactly("a", "b");
        assertThat(cancelled.getFramesAnalyzed()).isEqualTo(1);
        assertThat(cancelled.getFramesSampled()).isEqualTo(1);
        assertThat(cancelled.getError()).isNull();
        assertThat(driver.controls()).as("kill is not terminate: nothing written to the control topic").isEmpty();
        assertThat(driver.hooks()).as("no callback URLs in the request").isEmpty();
        assertThat(driver.vframes()).as("kill processes no buffered result: no CUT, only END")
                .extracting(VframeEvent::getKind, VframeEvent::getStatus)
                .containsExactly(tuple(VframeKind.END, "CANCELLED"));
        assertThat(driver.job(JOB).phase()).isEqualTo(JobProgress.Phase.CANCELLED);
        assertThat(JobStatuses.of(driver.job(JOB))).isEqualTo(cancelled);
        for (String store : List.of(AggregatorTopology.OPS_STORE, AggregatorTopology.PENDING_STORE,
                AggregatorTopology.CUTS_STORE, AggregatorTopology.SEGMENTS_STORE,
                AggregatorTopology.OP_RESULTS_STORE)) {
            assertThat(driver.storeSize(store)).as(store).isZero();
        }

        driver.pipe(result(JOB, "a", 3, label("car", 0.9f)));
        driver.pipe(result(JOB, "b", 1, label("dog", 0.9f)));
        driver.pipe(frame(JOB, 1));
        driver.pipe(end(JOB, 4));
        driver.kill(JOB);

        assertThat(driver.nothingMore()).as("results, frames, END and a second KILL are ignored").isTrue();
        assertThat(driver.job(JOB).phase()).isEqualTo(JobProgress.Phase.CANCELLED);
    }

    @Test
    void killOfAnOpThatWasDoneKeepsItsResultAndFinishesOnlyTheOthers() {
        OpSpec early = op("a", List.of(), false, terminate(1, Map.of("person", 1)));
        driver.pipe(begin(JOB, source(10), early, op("b")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("person", 0.9f)));
        assertThat(driver.opResults()).extracting(OpResult::getOp).containsExactly("a");
        drain();

        driver.kill(JOB);

        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("b");
        assertThat(results.get(0).getFrames()).isEqualTo(1);
        assertThat(driver.segments()).extracting(Segment::getOp).containsExactly("b");
        JobStatus cancelled = driver.statuses().get(0);
        assertThat(cancelled.getStatus()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.getOpsDone()).containsExactly("a", "b");
        assertThat(driver.stopOps()).isEmpty();
    }

    @Test
    void killBeforeBeginCancelsDropsBufferedResultsAndIgnoresTheLaterBegin() {
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(frame(JOB, 0));
        assertThat(driver.nothingMore()).isTrue();

        driver.kill(JOB);

        List<JobStatus> statuses = driver.statuses();
        assertThat(statuses).hasSize(1);
        JobStatus cancelled = statuses.get(0);
        assertThat(cancelled.getStatus()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.getJobId()).isEqualTo(JOB);
        assertThat(cancelled.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(cancelled.getOps()).isEmpty();
        assertThat(cancelled.getRequestJson()).isEmpty();
        assertThat(driver.storeSize(AggregatorTopology.PENDING_STORE)).isZero();
        assertThat(driver.vframes()).as("never begun: END without BEGIN")
                .extracting(VframeEvent::getKind, VframeEvent::getStatus)
                .containsExactly(tuple(VframeKind.END, "CANCELLED"));

        OpSpec hooked = withHooks(op("a"), "http://hooks/a", "http://hooks/a/segment");
        driver.pipe(begin(JOB, "http://hooks/result", source(2), hooked));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("car", 0.9f)));
        driver.pipe(frame(JOB, 1));
        driver.pipe(end(JOB, 2));

        assertThat(driver.nothingMore()).as("BEGIN, results, frames, END after the kill: no output, no hooks")
                .isTrue();
        assertThat(driver.job(JOB).begun()).isFalse();
        assertThat(driver.storeSize(AggregatorTopology.OPS_STORE)).isZero();
    }

    @Test
    void killOfAnUnknownJobCancelsItWithTheVideoIdOfTheCommand() {
        driver.pipe(JobControl.newBuilder().setJobId("job-x").setVideoId("video-x").setAction(ControlAction.KILL)
                .setAtMs(1L).build());

        List<JobStatus> statuses = driver.statuses();
        assertThat(statuses).extracting(JobStatus::getJobId, JobStatus::getVideoId, JobStatus::getStatus)
                .containsExactly(tuple("job-x", "video-x", JobState.CANCELLED));
        assertThat(driver.hooks()).isEmpty();
        assertThat(driver.vframes()).extracting(VframeEvent::getJobId, VframeEvent::getVideoId, VframeEvent::getKind)
                .containsExactly(tuple("job-x", "video-x", VframeKind.END));

        driver.pipe(begin("job-x", source(1), op("a")));
        assertThat(driver.nothingMore()).isTrue();
    }

    @Test
    void killOfAFinishedOrFailedJobIsIgnored() {
        driver.pipe(begin(JOB, source(1), op("a")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(end(JOB, 1));
        assertThat(driver.statuses().get(2).getStatus()).isEqualTo(JobState.FINISHED);
        drain();

        driver.kill(JOB);

        assertThat(driver.nothingMore()).isTrue();
        assertThat(driver.job(JOB).phase()).isEqualTo(JobProgress.Phase.FINISHED);

        driver.pipe(begin("job-2", source(1), op("a")));
        driver.pipe(endWithError("job-2", 424, "cannot find the video"));
        drain();
        driver.kill("job-2");
        assertThat(driver.nothingMore()).isTrue();
        assertThat(driver.job("job-2").phase()).isEqualTo(JobProgress.Phase.FAILED);
    }

    @Test
    void terminateEmitsExactlyOneStopOpForTheTerminatedOpOnly() {
        OpSpec early = op("a", List.of(), false, terminate(1, Map.of("person", 2)));
        driver.advanceWallClock(Duration.ofSeconds(3));
        driver.pipe(begin(JOB, source(4), early, op("b")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        assertThat(driver.stopOps()).isEmpty();

        driver.pipe(result(JOB, "a", 1, label("person", 0.8f)));

        List<JobControl> stops = driver.stopOps();
        assertThat(stops).hasSize(1);
        JobControl stop = stops.get(0);
        assertThat(stop.getAction()).isEqualTo(ControlAction.STOP_OP);
        assertThat(stop.getJobId()).isEqualTo(JOB);
        assertThat(stop.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(stop.getOp()).isEqualTo("a");
        assertThat(stop.getReason()).isEqualTo("terminate");
        assertThat(stop.getAtMs()).isEqualTo(AggregatorDriver.START.toEpochMilli() + 3000);
        assertThat(driver.opResults()).extracting(OpResult::getOp, OpResult::getTerminated)
                .containsExactly(tuple("a", true));

        driver.pipe(result(JOB, "a", 2, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 3, label("person", 0.9f)));
        for (int seq = 0; seq < 4; seq++) {
            driver.pipe(result(JOB, "b", seq, label("person", 0.9f)));
        }
        driver.pipe(end(JOB, 4));

        assertThat(driver.opResults()).extracting(OpResult::getOp, OpResult::getTerminated)
                .containsExactly(tuple("b", false));
        assertThat(driver.stopOps()).as("b finished normally; a is not stopped twice").isEmpty();
        assertThat(driver.statuses()).last().extracting(JobStatus::getStatus).isEqualTo(JobState.FINISHED);
    }

    @Test
    void aStopOpReadBackOrFromElsewhereChangesNothing() {
        driver.pipe(begin(JOB, source(4), op("a")));
        drain();

        driver.pipe(JobControl.newBuilder().setJobId(JOB).setVideoId(Fixtures.VIDEO).setAction(ControlAction.STOP_OP)
                .setOp("a").setReason("terminate").setAtMs(1L).build());

        assertThat(driver.nothingMore()).isTrue();
        assertThat(driver.job(JOB).phase()).isEqualTo(JobProgress.Phase.DOING);
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        assertThat(driver.statuses()).extracting(JobStatus::getFramesAnalyzed).containsExactly(1L);
    }

    @Test
    void everyOpTerminatingEmitsOneStopOpEach() {
        OpSpec a = op("a", List.of(), false, terminate(1, Map.of("person", 1)));
        OpSpec b = op("b", List.of(), false, terminate(2, Map.of("car", 1)));
        driver.pipe(begin(JOB, source(-1), a, b));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("car", 0.9f)));
        assertThat(driver.stopOps()).extracting(JobControl::getOp).containsExactly("a");

        driver.pipe(result(JOB, "b", 1, label("dog", 0.9f)));

        assertThat(driver.stopOps()).extracting(JobControl::getOp).as("mode 2: the car segment closed")
                .containsExactly("b");
        assertThat(driver.statuses()).last().extracting(JobStatus::getStatus).isEqualTo(JobState.FINISHED);
        drain();
        driver.kill(JOB);
        assertThat(driver.nothingMore()).isTrue();
    }
}
