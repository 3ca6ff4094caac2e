package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.endWithError;
import static io.argus.aggregator.topology.Fixtures.failed;
import static io.argus.aggregator.topology.Fixtures.frame;
import static io.argus.aggregator.topology.Fixtures.label;
import static io.argus.aggregator.topology.Fixtures.op;
import static io.argus.aggregator.topology.Fixtures.result;
import static io.argus.aggregator.topology.Fixtures.rule;
import static io.argus.aggregator.topology.Fixtures.source;
import static io.argus.aggregator.topology.Fixtures.terminate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.avro.VframeKind;

/** The rules of DESIGN.md "Argus semantics" end to end through the topology. */
class AggregatorTopologyTest {

    private static final String JOB = "job-1";
    private static final String OP = "detect";

    private final AggregatorDriver driver = new AggregatorDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private static Map<String, Float> scores(List<Label> labels) {
        Map<String, Float> m = new LinkedHashMap<>();
        labels.forEach(l -> m.put(l.getLabel(), l.getScore()));
        return m;
    }

    private static List<Long> cutOffsets(Segment s) {
        return s.getCuts().stream().map(Cut::getOffsetMs).toList();
    }

    private static JobStatus last(List<JobStatus> statuses) {
        assertThat(statuses).isNotEmpty();
        return statuses.get(statuses.size() - 1);
    }

    /** Runs one op over the given results in order, with BEGIN before and END after. */
    private OpResult runOp(OpSpec spec, FrameResult... results) {
        driver.pipe(begin(JOB, source(results.length), spec));
        for (FrameResult r : results) {
            driver.pipe(r);
        }
        driver.pipe(end(JOB, results.length));
        List<OpResult> ops = driver.opResults();
        assertThat(ops).hasSize(1);
        return ops.get(0);
    }

    @Test
    void segmentWindowsOfTheRequestSplitSegmentsWhoseLabelsNeverChange() {
        FrameEvent begin = begin(JOB, source(6), op(OP));
        begin.getJob().setSegment(new io.argus.schemas.avro.SegmentWindows(2000L, null));
        driver.pipe(begin);
        for (int i = 0; i < 6; i++) {
            driver.pipe(result(JOB, OP, i, label("person", 0.8f)));
        }
        driver.pipe(end(JOB, 6));
        // results are 1 s apart from offset 0: windows [0, 2000), [2000, 4000), [4000, 6000)
        List<Segment> segments = driver.segments();
        assertThat(segments).extracting(Segment::getOffsetBegin).containsExactly(0L, 2000L, 4000L);
        assertThat(segments).extracting(Segment::getOffsetEnd).containsExactly(1000L, 3000L, 5000L);
    }

    @Test
    void whitelistKeepsListedLabelsAtOrAboveTheirScoreAndDropsTheRest() {
        OpSpec spec = op(OP, List.of(rule("person", 2, 0.5f), rule("car", 2, 0.5f)), false, null);

        OpResult result = runOp(spec,
                result(JOB, OP, 0, label("person", 0.5f), label("dog", 0.9f), label("car", 0.4f)),
                result(JOB, OP, 1, label("person", 0.7f)),
                result(JOB, OP, 2, label("car", 0.45f), label("dog", 0.99f)),
                result(JOB, OP, 3, label("car", 0.6f)));

        List<Segment> segments = driver.segments();
        assertThat(segments).hasSize(2);
        assertThat(scores(segments.get(0).getLabels())).containsExactly(Map.entry("person", 0.7f));
        assertThat(cutOffsets(segments.get(0))).containsExactly(0L, 1000L);
        assertThat(scores(segments.get(1).getLabels())).containsExactly(Map.entry("car", 0.6f));
        assertThat(cutOffsets(segments.get(1))).containsExactly(3000L);
        assertThat(scores(result.getLabels())).containsOnlyKeys("person", "car");
        assertThat(result.getFrames()).isEqualTo(4);
        assertThat(result.getSegments()).isEqualTo(segments);
    }

    @Test
    void select1DropsAtOrBelowThresholdKeepsAboveAndKeepsUnlistedLabels() {
        OpSpec spec = op(OP, List.of(rule("person", 1, 0.5f), rule("cat", 1, 0.0f)), false, null);

        OpResult result = runOp(spec,
                result(JOB, OP, 0, label("person", 0.5f), label("dog", 0.3f), label("cat", 0.0f)),
                result(JOB, OP, 1, label("person", 0.51f), label("dog", 0.2f)),
                result(JOB, OP, 2, label("cat", 0.1f), label("person", 0.4f)),
                result(JOB, OP, 3, label("person", 0.5f)));

        assertThat(result.getSegments()).extracting(s -> scores(s.getLabels())).containsExactly(
                Map.of("dog", 0.3f),
                Map.of("person", 0.51f, "dog", 0.2f),
                Map.of("cat", 0.1f));
        assertThat(result.getSegments()).extracting(Segment::getOffsetBegin).containsExactly(0L, 1000L, 2000L);
        assertThat(scores(result.getLabels())).isEqualTo(Map.of("dog", 0.3f, "person", 0.51f, "cat", 0.1f));
        assertThat(result.getFrames()).isEqualTo(4);
    }

    @Test
    void emptyFramesFormTheirOwnSegmentsWhenNotIgnored() {
        OpResult result = runOp(op(OP),
                result(JOB, OP, 0),
                result(JOB, OP, 1),
                result(JOB, OP, 2, label("person", 0.8f)),
                result(JOB, OP, 3));

        List<Segment> segments = result.getSegments();
        assertThat(segments).hasSize(3);
        assertThat(segments.get(0).getLabels()).isEmpty();
        assertThat(cutOffsets(segments.get(0))).containsExactly(0L, 1000L);
        assertThat(segments.get(0).getOffsetEnd()).isEqualTo(1000L);
        assertThat(scores(segments.get(1).getLabels())).containsExactly(Map.entry("person", 0.8f));
        assertThat(segments.get(2).getLabels()).isEmpty();
        assertThat(cutOffsets(segments.get(2))).containsExactly(3000L);
        assertThat(scores(result.getLabels())).containsExactly(Map.entry("person", 0.8f));
    }

    @Test
    void emptyFramesAreRejectedAndCloseTheSegmentWhenIgnored() {
        OpResult result = runOp(op(OP, List.of(), true, null),
                result(JOB, OP, 0, label("person", 0.8f)),
                result(JOB, OP, 1),
                result(JOB, OP, 2, label("person", 0.6f)));

        assertThat(result.getSegments()).extracting(Segment::getOffsetBegin).containsExactly(0L, 2000L);
        assertThat(result.getSegments()).allSatisfy(s -> assertThat(s.getCuts()).hasSize(1));
        assertThat(result.getFrames()).isEqualTo(3);
    }

    @Test
    void aFailedFrameIsRejectedClosesTheSegmentAndIsCounted() {
        OpResult result = runOp(op(OP),
                result(JOB, OP, 0, label("person", 0.8f)),
                failed(JOB, OP, 1),
                result(JOB, OP, 2, label("person", 0.9f)));

        assertThat(result.getSegments()).hasSize(2);
        assertThat(result.getSegments()).extracting(Segment::getIndex).containsExactly(0, 1);
        assertThat(result.getSegments()).extracting(Segment::getOffsetBegin).containsExactly(0L, 2000L);
        assertThat(result.getFrames()).isEqualTo(3);
        assertThat(result.getFailedFrames()).isEqualTo(1);
    }

    @Test
    void segmentsCarryMaxScoresAndVideoLabelsTheMaxOverSegments() {
        OpResult result = runOp(op(OP),
                result(JOB, OP, 0, label("person", 0.3f), label("person", 0.8f)),
                result(JOB, OP, 1, label("person", 0.6f)),
                result(JOB, OP, 2, label("car", 0.7f)),
                result(JOB, OP, 3, label("person", 0.95f)));

        assertThat(result.getSegments()).extracting(s -> scores(s.getLabels())).containsExactly(
                Map.of("person", 0.8f), Map.of("car", 0.7f), Map.of("person", 0.95f));
        assertThat(scores(result.getLabels())).containsExactly(Map.entry("person", 0.95f), Map.entry("car", 0.7f));
        Segment first = result.getSegments().get(0);
        assertThat(first.getJobId()).isEqualTo(JOB);
        assertThat(first.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(first.getOp()).isEqualTo(OP);
        assertThat(first.getOffsetBegin()).isZero();
        assertThat(first.getOffsetEnd()).isEqualTo(1000L);
        assertThat(first.getCuts()).containsExactly(
                new Cut(0L, Fixtures.uri(JOB, 0), Fixtures.resultJson(OP, 0)),
                new Cut(1000L, Fixtures.uri(JOB, 1), Fixtures.resultJson(OP, 1)));
    }

    @Test
    void aChangeOfLabelSetOpensANewSegmentWhileScoresAreIgnored() {
        OpResult result = runOp(op(OP),
                result(JOB, OP, 0, label("a", 0.9f)),
                result(JOB, OP, 1, label("a", 0.5f), label("b", 0.5f)),
                result(JOB, OP, 2, label("b", 0.6f), label("a", 0.1f)),
                result(JOB, OP, 3, label("b", 0.9f)));

        assertThat(result.getSegments()).extracting(s -> scores(s.getLabels()).keySet())
                .containsExactly(java.util.Set.of("a"), java.util.Set.of("a", "b"), java.util.Set.of("b"));
        assertThat(cutOffsets(result.getSegments().get(1))).containsExactly(1000L, 2000L);
        assertThat(scores(result.getSegments().get(1).getLabels())).isEqualTo(Map.of("a", 0.5f, "b", 0.6f));
    }

    @Test
    void segmentsAreEmittedAsTheyCloseBeforeTheOpIsDone() {
        driver.pipe(begin(JOB, source(-1), op(OP)));
        driver.pipe(result(JOB, OP, 0, label("a", 0.9f)));
        assertThat(driver.segments()).isEmpty();

        driver.pipe(result(JOB, OP, 1, label("b", 0.9f)));

        List<Segment> closed = driver.segments();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).getIndex()).isZero();
        assertThat(scores(closed.get(0).getLabels())).containsOnlyKeys("a");
        assertThat(driver.opResults()).isEmpty();
    }

    @Test
    void terminateMode1StopsAfterTheThirdKeptFrameAndIgnoresLaterResults() {
        OpSpec spec = op(OP, List.of(), false, terminate(1, Map.of("person", 3)));
        driver.pipe(begin(JOB, source(6), spec));
        driver.pipe(result(JOB, OP, 0, label("person", 0.9f)));
        driver.pipe(result(JOB, OP, 1));
        driver.pipe(result(JOB, OP, 2, label("person", 0.8f)));
        assertThat(driver.opResults()).isEmpty();

        driver.pipe(result(JOB, OP, 3, label("person", 0.7f)));

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        OpResult r = results.get(0);
        assertThat(r.getTerminated()).isTrue();
        assertThat(r.getFrames()).isEqualTo(4);
        assertThat(r.getSegments()).extracting(s -> s.getCuts().size()).containsExactly(1, 1, 2);
        assertThat(r.getSegments().get(1).getLabels()).as("the empty frame is kept, not counted").isEmpty();
        assertThat(last(driver.statuses()).getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(driver.segments()).hasSize(3);
        assertThat(driver.stopOps()).as("ingest told to stop the op").extracting(c -> c.getOp()).containsExactly(OP);
        assertThat(driver.vframes()).as("a CUT per kept frame up to the terminate, then END")
                .extracting(VframeEvent::getKind, VframeEvent::getSeq)
                .containsExactly(tuple(VframeKind.BEGIN, null), tuple(VframeKind.CUT, 0L), tuple(VframeKind.CUT, 1L),
                        tuple(VframeKind.CUT, 2L), tuple(VframeKind.CUT, 3L), tuple(VframeKind.END, null));

        driver.pipe(result(JOB, OP, 4, label("person", 0.9f)));
        driver.pipe(result(JOB, OP, 5, label("car", 0.9f)));
        driver.pipe(frame(JOB, 5));
        driver.pipe(end(JOB, 6));

        assertThat(driver.nothingMore()).isTrue();
    }

    @Test
    void terminateMode1StopsAfterThreeFramesOfOneSegment() {
        OpSpec spec = op(OP, List.of(), false, terminate(1, Map.of("person", 3)));
        driver.pipe(begin(JOB, source(5), spec));
        for (int seq = 0; seq < 5; seq++) {
            driver.pipe(result(JOB, OP, seq, label("person", 0.9f), label("car", 0.5f)));
        }

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getFrames()).isEqualTo(3);
        assertThat(results.get(0).getSegments()).hasSize(1);
        assertThat(cutOffsets(results.get(0).getSegments().get(0))).containsExactly(0L, 1000L, 2000L);
        assertThat(driver.segments()).hasSize(1);
    }

    @Test
    void terminateMode2CountsClosedSegments() {
        OpSpec spec = op(OP, List.of(), false, terminate(2, Map.of("person", 2)));
        driver.pipe(begin(JOB, source(6), spec));
        driver.pipe(result(JOB, OP, 0, label("person", 0.9f)));
        driver.pipe(result(JOB, OP, 1, label("person", 0.8f)));
        driver.pipe(result(JOB, OP, 2, label("car", 0.9f)));
        driver.pipe(result(JOB, OP, 3, label("person", 0.7f)));
        assertThat(driver.opResults()).as("one person segment closed so far").isEmpty();

        driver.pipe(result(JOB, OP, 4, label("car", 0.6f)));
        driver.pipe(result(JOB, OP, 5, label("person", 0.6f)));

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        OpResult r = results.get(0);
        assertThat(r.getTerminated()).isTrue();
        assertThat(r.getFrames()).isEqualTo(5);
        assertThat(r.getSegments()).extracting(s -> scores(s.getLabels()).keySet().iterator().next())
                .containsExactly("person", "car", "person", "car");
        assertThat(r.getSegments().get(3).getOffsetBegin()).isEqualTo(4000L);
    }

    /** In-order results of one op, for the robustness tests. */
    private static List<FrameResult> sixResults() {
        return List.of(
                result(JOB, OP, 0, label("person", 0.6f)),
                result(JOB, OP, 1, label("person", 0.9f)),
                result(JOB, OP, 2),
                failed(JOB, OP, 3),
                result(JOB, OP, 4, label("car", 0.4f), label("person", 0.5f)),
                result(JOB, OP, 5, label("car", 0.8f)));
    }

    private static OpSpec robustSpec() {
        return op(OP, List.of(rule("person", 1, 0.55f)), false, null);
    }

    private record Output(List<Segment> segments, List<OpResult> opResults, JobStatus finalStatus) {
    }

    private static Output run(List<FrameResult> resultsBeforeBegin, List<FrameResult> resultsAfterBegin) {
        try (AggregatorDriver d = new AggregatorDriver()) {
            d.pipeResults(resultsBeforeBegin);
            d.pipe(begin(JOB, source(6), robustSpec()));
            for (int seq = 0; seq < 6; seq++) {
                d.pipe(frame(JOB, seq));
            }
            d.pipeResults(resultsAfterBegin);
            d.pipe(end(JOB, 6));
            return new Output(d.segments(), d.opResults(), last(d.statuses()));
        }
    }

    @Test
    void duplicateAndOutOfOrderResultsGiveTheSameOutputAsInOrder() {
        List<FrameResult> in = sixResults();
        Output expected = run(List.of(), in);
        List<FrameResult> shuffled = new ArrayList<>(List.of(
                in.get(2), in.get(0), in.get(0), in.get(4),
                // a different result for seq 4, already buffered: the first one wins
                result(JOB, OP, 4, label("dog", 0.99f)),
                in.get(1), in.get(3), in.get(2),
                // a different result for seq 1, already processed: dropped
                result(JOB, OP, 1, label("dog", 0.99f)),
                in.get(5), in.get(5)));

        Output actual = run(List.of(), shuffled);

        assertThat(expected.opResults()).hasSize(1);
        assertThat(expected.segments()).extracting(s -> scores(s.getLabels()))
                .containsExactly(Map.of("person", 0.9f), Map.of(), Map.of("car", 0.8f));
        assertThat(actual.segments()).isEqualTo(expected.segments());
        assertThat(actual.opResults()).isEqualTo(expected.opResults());
        assertThat(actual.opResults().get(0).getFrames()).isEqualTo(6);
        assertThat(actual.opResults().get(0).getFailedFrames()).isEqualTo(1);
        assertThat(actual.finalStatus().getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(actual.finalStatus().getFramesAnalyzed()).isEqualTo(6);
    }

    @Test
    void resultsBeforeBeginAreBufferedUntilBeginGivesTheSpec() {
        List<FrameResult> in = sixResults();
        Output expected = run(List.of(), in);

        try (AggregatorDriver d = new AggregatorDriver()) {
            d.pipeResults(in.subList(0, 4));
            d.pipe(result(JOB, "unknown-op", 0, label("x", 1f)));
            assertThat(d.nothingMore()).as("nothing is emitted before BEGIN").isTrue();

            d.pipe(begin(JOB, source(6), robustSpec()));
            List<JobStatus> atBegin = d.statuses();
            assertThat(atBegin).hasSize(1);
            assertThat(atBegin.get(0).getStatus()).isEqualTo(JobState.DOING);
            assertThat(atBegin.get(0).getFramesAnalyzed()).as("buffered results processed at BEGIN").isEqualTo(4);
            assertThat(d.storeSize(AggregatorTopology.PENDING_STORE)).as("unknown op's result dropped").isZero();

            d.pipeResults(in.subList(4, 6));
            d.pipe(end(JOB, 6));
            assertThat(d.segments()).isEqualTo(expected.segments());
            assertThat(d.opResults()).isEqualTo(expected.opResults());
        }
    }

    @Test
    void endWithAnErrorFailsTheJobWithoutOpResults() {
        driver.pipe(begin(JOB, null, op("a"), op("b")));
        List<JobStatus> begun = driver.statuses();
        assertThat(begun).hasSize(1);
        assertThat(begun.get(0).getFramesExpected()).isEqualTo(-1);

        driver.pipe(endWithError(JOB, 424, "cannot find the video"));

        List<JobStatus> statuses = driver.statuses();
        assertThat(statuses).hasSize(1);
        JobStatus failed = statuses.get(0);
        assertThat(failed.getStatus()).isEqualTo(JobState.FAILED);
        assertThat(failed.getError().getCode()).isEqualTo(424);
        assertThat(failed.getError().getMessage()).isEqualTo("cannot find the video");
        assertThat(failed.getOpsDone()).isEmpty();
        assertThat(driver.opResults()).isEmpty();
        List<VframeEvent> vframes = driver.vframes();
        assertThat(vframes).extracting(VframeEvent::getKind).containsExactly(VframeKind.BEGIN, VframeKind.END);
        assertThat(vframes.get(1).getStatus()).isEqualTo("FAILED");
        assertThat(vframes.get(1).getError()).isEqualTo(failed.getError());

        driver.pipe(result(JOB, "a", 0, label("person", 1f)));
        driver.pipe(end(JOB, 1));
        assertThat(driver.nothingMore()).isTrue();
        assertThat(driver.storeSize(AggregatorTopology.OPS_STORE)).isZero();
    }

    @Test
    void endWithAnErrorAfterSomeResultsStillFailsWithoutClosingOpenSegments() {
        driver.pipe(begin(JOB, source(10), op(OP)));
        driver.pipe(result(JOB, OP, 0, label("a", 1f)));
        driver.pipe(result(JOB, OP, 1, label("b", 1f)));
        assertThat(driver.segments()).hasSize(1);

        driver.pipe(endWithError(JOB, 400, "cannot open the file"));

        assertThat(last(driver.statuses()).getStatus()).isEqualTo(JobState.FAILED);
        assertThat(driver.segments()).isEmpty();
        assertThat(driver.opResults()).isEmpty();
        assertThat(driver.storeSize(AggregatorTopology.CUTS_STORE)).isZero();
    }

    @Test
    void jobFinishesOnlyAfterEveryOpIsDone() {
        driver.pipe(begin(JOB, source(2), op("a"), op("b")));
        driver.pipe(result(JOB, "a", 0, label("x", 1f)));
        driver.pipe(result(JOB, "a", 1, label("x", 1f)));
        driver.pipe(end(JOB, 2));

        List<OpResult> afterEnd = driver.opResults();
        assertThat(afterEnd).extracting(OpResult::getOp).containsExactly("a");
        JobStatus doing = last(driver.statuses());
        assertThat(doing.getStatus()).isEqualTo(JobState.DOING);
        assertThat(doing.getOpsDone()).containsExactly("a");

        driver.pipe(result(JOB, "b", 0));
        List<JobStatus> progress = driver.statuses();
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).getStatus()).isEqualTo(JobState.DOING);
        assertThat(driver.opResults()).isEmpty();

        driver.pipe(result(JOB, "b", 1));

        assertThat(driver.opResults()).extracting(OpResult::getOp).containsExactly("b");
        List<JobStatus> finished = driver.statuses();
        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(finished.get(0).getOpsDone()).containsExactly("a", "b");
        assertThat(finished.get(0).getFramesAnalyzed()).isEqualTo(2);
        assertThat(driver.storeSize(AggregatorTopology.OPS_STORE)).isZero();
        assertThat(driver.storeSize(AggregatorTopology.SEGMENTS_STORE)).isZero();
    }

    @Test
    void twoOpsFinishIndependentlyAndTerminatedOpsLeaveFramesAnalyzed() {
        OpSpec early = op("a", List.of(), false, terminate(1, Map.of("person", 1)));
        driver.pipe(begin(JOB, source(3), early, op("b")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));

        List<OpResult> first = driver.opResults();
        assertThat(first).extracting(OpResult::getOp).containsExactly("a");
        assertThat(first.get(0).getTerminated()).isTrue();
        JobStatus afterA = last(driver.statuses());
        assertThat(afterA.getOpsDone()).containsExactly("a");
        assertThat(afterA.getFramesAnalyzed()).as("terminated op a is left out of the min").isZero();

        driver.pipe(result(JOB, "b", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 1, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("person", 0.9f)));
        assertThat(last(driver.statuses()).getFramesAnalyzed()).isEqualTo(2);
        driver.pipe(result(JOB, "b", 2, label("person", 0.9f)));
        assertThat(driver.opResults()).as("b waits for END").isEmpty();

        driver.pipe(end(JOB, 3));

        List<OpResult> second = driver.opResults();
        assertThat(second).extracting(OpResult::getOp).containsExactly("b");
        assertThat(second.get(0).getTerminated()).isFalse();
        assertThat(second.get(0).getFrames()).isEqualTo(3);
        JobStatus finished = last(driver.statuses());
        assertThat(finished.getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(finished.getFramesAnalyzed()).isEqualTo(3);
    }

    @Test
    void everyOpTerminatedFinishesTheJobBeforeEnd() {
        OpSpec a = op("a", List.of(), false, terminate(1, Map.of("person", 1)));
        OpSpec b = op("b", List.of(), false, terminate(1, Map.of("car", 2)));
        driver.pipe(begin(JOB, source(-1), a, b));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("car", 0.9f)));
        driver.pipe(result(JOB, "b", 1, label("car", 0.9f)));

        assertThat(driver.opResults()).extracting(OpResult::getOp).containsExactly("a", "b");
        JobStatus finished = last(driver.statuses());
        assertThat(finished.getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(finished.getFramesAnalyzed()).as("all terminated: min over all ops").isEqualTo(1);
    }

    @Test
    void jobStatusReportsRequestProgressAndCounts() {
        driver.pipe(begin(JOB, source(12), op("a"), op("b")));
        JobStatus begun = last(driver.statuses());
        assertThat(begun.getStatus()).isEqualTo(JobState.DOING);
        assertThat(begun.getJobId()).isEqualTo(JOB);
        assertThat(begun.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(begun.getOps()).containsExactly("a", "b");
        assertThat(begun.getOpsDone()).isEmpty();
        assertThat(begun.getFramesExpected()).isEqualTo(12);
        assertThat(begun.getCreatedAt()).isEqualTo(Fixtures.CREATED_AT);
        assertThat(begun.getUpdatedAt()).isEqualTo(AggregatorDriver.START.toEpochMilli());
        assertThat(begun.getRequestJson()).isEqualTo(Fixtures.requestJson(JOB));
        assertThat(begun.getError()).isNull();

        driver.pipe(frame(JOB, 0));
        driver.pipe(frame(JOB, 1));
        driver.pipe(frame(JOB, 1));
        assertThat(driver.statuses()).extracting(JobStatus::getFramesSampled).containsExactly(1L, 2L, 2L);

        driver.advanceWallClock(Duration.ofSeconds(5));
        driver.pipe(result(JOB, "a", 0));
        driver.pipe(result(JOB, "b", 0));
        driver.pipe(result(JOB, "b", 1));
        List<JobStatus> progress = driver.statuses();
        assertThat(progress).extracting(JobStatus::getFramesAnalyzed).containsExactly(0L, 1L, 1L);
        assertThat(progress.get(0).getUpdatedAt()).isEqualTo(AggregatorDriver.START.toEpochMilli() + 5000);

        driver.pipe(result(JOB, "b", 1));
        assertThat(driver.statuses()).as("a duplicate changes nothing").isEmpty();
    }

    @Test
    void jobStatusRecordsAreKeyedByJobId() {
        driver.pipe(begin("job-x", source(1), op(OP)));
        driver.pipe(begin("job-y", source(1), op(OP)));

        assertThat(driver.statusKeys()).containsExactly("job-x", "job-y");
    }

    @Test
    void endWithNoFramesFinishesWithEmptyOpResults() {
        driver.pipe(begin(JOB, source(0), op("a"), op("b")));
        driver.pipe(end(JOB, 0));

        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("a", "b");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.getSegments()).isEmpty();
            assertThat(r.getLabels()).isEmpty();
            assertThat(r.getFrames()).isZero();
        });
        assertThat(last(driver.statuses()).getStatus()).isEqualTo(JobState.FINISHED);
    }

    @Test
    void endBeforeTheLastResultsWaitsForThem() {
        driver.pipe(begin(JOB, source(3), op(OP)));
        driver.pipe(result(JOB, OP, 0, label("a", 1f)));
        driver.pipe(end(JOB, 3));
        driver.pipe(result(JOB, OP, 2, label("a", 1f)));
        assertThat(driver.opResults()).isEmpty();

        driver.pipe(result(JOB, OP, 1, label("a", 1f)));

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        assertThat(cutOffsets(results.get(0).getSegments().get(0))).containsExactly(0L, 1000L, 2000L);
        assertThat(last(driver.statuses()).getStatus()).isEqualTo(JobState.FINISHED);
    }

    @Test
    void jobStoreHoldsTheLastStatusEmitted() {
        driver.pipe(begin(JOB, source(2), op(OP)));
        driver.pipe(result(JOB, OP, 0, label("a", 1f)));
        driver.pipe(end(JOB, 1));

        JobStatus emitted = last(driver.statuses());
        assertThat(JobStatuses.of(driver.job(JOB))).isEqualTo(emitted);
    }

    @Test
    void jobsAreForgottenAfterTheRetention() {
        try (AggregatorDriver d = new AggregatorDriver(Duration.ofHours(1))) {
            d.pipe(begin("old", source(1), op(OP)));
            d.pipe(result("old", OP, 0, label("a", 1f)));
            d.advanceWallClock(Duration.ofMinutes(50));
            d.pipe(begin("young", source(1), op(OP)));
            assertThat(d.job("old")).isNotNull();

            d.advanceWallClock(Duration.ofMinutes(20));

            assertThat(d.job("old")).isNull();
            assertThat(d.job("young")).isNotNull();
            assertThat(d.storeSize(AggregatorTopology.OPS_STORE)).as("only young's op state is left").isEqualTo(1);
            assertThat(d.storeSize(AggregatorTopology.CUTS_STORE)).isZero();
        }
    }
}
