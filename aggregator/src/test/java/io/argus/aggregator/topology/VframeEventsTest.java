package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.failed;
import static io.argus.aggregator.topology.Fixtures.frame;
import static io.argus.aggregator.topology.Fixtures.label;
import static io.argus.aggregator.topology.Fixtures.op;
import static io.argus.aggregator.topology.Fixtures.result;
import static io.argus.aggregator.topology.Fixtures.rule;
import static io.argus.aggregator.topology.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.avro.VframeKind;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topic;
import io.argus.schemas.topics.Topics;

/** The vframes topic: BEGIN, one CUT per kept frame, END (spec Argus-Vframe), once each per job. */
class VframeEventsTest {

    private static final String JOB = "job-1";

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

    private static List<VframeEvent> cuts(List<VframeEvent> events, String op) {
        return events.stream().filter(e -> e.getKind() == VframeKind.CUT && op.equals(e.getOp())).toList();
    }

    private static List<Long> offsets(List<VframeEvent> cuts) {
        return cuts.stream().map(e -> e.getCut().getOffsetMs()).toList();
    }

    @Test
    void aJobGivesBeginThenOneCutPerKeptFrameInOffsetOrderPerOpThenEnd() {
        OpSpec a = op("a", List.of(rule("car", 1, 0.5f)), false, null);
        OpSpec b = op("b", List.of(), true, null);
        driver.advanceWallClock(Duration.ofSeconds(2));
        driver.pipe(begin(JOB, source(4), a, b));
        driver.pipe(result(JOB, "b", 1, label("dog", 0.6f)));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 2, label("person", 0.8f), label("car", 0.7f)));
        driver.pipe(result(JOB, "a", 1, label("car", 0.3f)));
        driver.pipe(result(JOB, "b", 0));
        driver.pipe(failed(JOB, "b", 3));
        driver.pipe(result(JOB, "b", 2, label("dog", 0.7f)));
        driver.pipe(result(JOB, "a", 3));
        driver.pipe(end(JOB, 4));

        List<KeyValue<String, VframeEvent>> records = driver.vframeRecords();
        assertThat(records).extracting(kv -> kv.key).as("keyed by job id").containsOnly(JOB);
        List<VframeEvent> events = records.stream().map(kv -> kv.value).toList();
        assertThat(events).hasSize(7);

        VframeEvent first = events.get(0);
        assertThat(first.getKind()).isEqualTo(VframeKind.BEGIN);
        assertThat(first.getJobId()).isEqualTo(JOB);
        assertThat(first.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(first.getOps()).containsExactly("a", "b");
        assertThat(first.getAtMs()).isEqualTo(AggregatorDriver.START.toEpochMilli() + 2000);
        VframeEvent last = events.get(6);
        assertThat(last.getKind()).isEqualTo(VframeKind.END);
        assertThat(last.getStatus()).isEqualTo(JobState.FINISHED.name());
        assertThat(last.getError()).isNull();
        assertThat(events.subList(1, 6)).extracting(VframeEvent::getKind).containsOnly(VframeKind.CUT);

        List<VframeEvent> cutsA = cuts(events, "a");
        assertThat(offsets(cutsA)).as("seq 1 selected out (car <= 0.5); empty seq 3 kept")
                .containsExactly(0L, 2000L, 3000L);
        assertThat(cutsA).extracting(VframeEvent::getSeq, VframeEvent::getSegmentIndex)
                .containsExactly(tuple(0L, 0), tuple(2L, 1), tuple(3L, 2));
        assertThat(scores(cutsA.get(0).getLabels())).containsExactly(Map.entry("person", 0.9f));
        assertThat(scores(cutsA.get(1).getLabels()))
                .as("labels after select, with their scores")
                .containsExactly(Map.entry("person", 0.8f), Map.entry("car", 0.7f));
        assertThat(cutsA.get(2).getLabels()).isEmpty();
        assertThat(cutsA.get(1).getCut().getUri()).isEqualTo(Fixtures.uri(JOB, 2));
        assertThat(cutsA.get(1).getCut().getResultJson()).isEqualTo(Fixtures.resultJson("a", 2));
        assertThat(cutsA).allSatisfy(e -> assertThat(e.getStatus()).isNull());

        List<VframeEvent> cutsB = cuts(events, "b");
        assertThat(offsets(cutsB)).as("empty seq 0 ignored, failed seq 3 rejected").containsExactly(1000L, 2000L);
        assertThat(cutsB).extracting(VframeEvent::getSegmentIndex).containsExactly(0, 0);
        assertThat(scores(cutsB.get(1).getLabels())).containsExactly(Map.entry("dog", 0.7f));

        List<Segment> segments = driver.segments();
        List<Tuple> segmentCuts = new ArrayList<>();
        for (Segment seg : segments) {
            for (Cut c : seg.getCuts()) {
                segmentCuts.add(tuple(seg.getOp(), seg.getIndex(), c));
            }
        }
        assertThat(events.subList(1, 6)).as("the CUTs are exactly the segments' cuts")
                .extracting(VframeEvent::getOp, VframeEvent::getSegmentIndex, VframeEvent::getCut)
                .containsExactlyInAnyOrderElementsOf(segmentCuts);
        assertThat(driver.statuses()).last().extracting(JobStatus::getStatus).isEqualTo(JobState.FINISHED);
    }

    @Test
    void resultsBufferedBeforeBeginGiveTheirCutsAfterBegin() {
        driver.pipe(result(JOB, "a", 1, label("person", 0.8f)));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        assertThat(driver.vframes()).as("nothing before BEGIN").isEmpty();

        driver.pipe(begin(JOB, source(3), op("a")));

        assertThat(driver.vframes()).extracting(VframeEvent::getKind, VframeEvent::getSeq)
                .containsExactly(tuple(VframeKind.BEGIN, null), tuple(VframeKind.CUT, 0L), tuple(VframeKind.CUT, 1L));
    }

    @Test
    void redeliveredResultsMarkersAndCommandsGiveNoSecondEvent() {
        driver.pipe(begin(JOB, source(4), op("a")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("person", 0.9f)));
        assertThat(driver.vframes()).extracting(VframeEvent::getKind, VframeEvent::getSeq)
                .containsExactly(tuple(VframeKind.BEGIN, null), tuple(VframeKind.CUT, 0L), tuple(VframeKind.CUT, 1L));

        driver.pipe(result(JOB, "a", 1, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 0, label("car", 0.9f)));
        driver.pipe(begin(JOB, source(4), op("a")));
        driver.pipe(frame(JOB, 1));
        assertThat(driver.vframes()).as("redelivered results and BEGIN").isEmpty();

        driver.pipe(result(JOB, "a", 3, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 3, label("person", 0.9f)));
        assertThat(driver.vframes()).as("seq 3 waits for seq 2").isEmpty();
        driver.pipe(result(JOB, "a", 2, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 2, label("person", 0.9f)));
        assertThat(driver.vframes()).as("a buffered duplicate is one CUT").extracting(VframeEvent::getSeq)
                .containsExactly(2L, 3L);

        driver.pipe(end(JOB, 4));
        assertThat(driver.vframes()).extracting(VframeEvent::getKind, VframeEvent::getStatus)
                .containsExactly(tuple(VframeKind.END, "FINISHED"));
        driver.pipe(end(JOB, 4));
        driver.pipe(result(JOB, "a", 3, label("person", 0.9f)));
        driver.kill(JOB);
        assertThat(driver.vframes()).as("records after the job is final").isEmpty();
        assertThat(driver.opResults()).extracting(OpResult::getOp).containsExactly("a");
    }

    @Test
    void aKilledJobEndsWithEndCancelledAndNoCutAfterIt() {
        driver.pipe(begin(JOB, source(10), op("a"), op("b")));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("car", 0.9f)));
        driver.pipe(result(JOB, "b", 2, label("dog", 0.9f)));
        driver.advanceWallClock(Duration.ofSeconds(5));

        driver.kill(JOB);

        List<VframeEvent> events = driver.vframes();
        assertThat(events).extracting(VframeEvent::getKind, VframeEvent::getOp, VframeEvent::getSeq)
                .as("b's buffered seq 2 is never processed")
                .containsExactly(tuple(VframeKind.BEGIN, null, null), tuple(VframeKind.CUT, "a", 0L),
                        tuple(VframeKind.CUT, "a", 1L), tuple(VframeKind.END, null, null));
        VframeEvent end = events.get(3);
        assertThat(end.getStatus()).isEqualTo(JobState.CANCELLED.name());
        assertThat(end.getError()).isNull();
        assertThat(end.getAtMs()).isEqualTo(AggregatorDriver.START.toEpochMilli() + 5000);
        assertThat(driver.statuses()).last().extracting(JobStatus::getStatus).isEqualTo(JobState.CANCELLED);

        driver.pipe(result(JOB, "a", 2, label("car", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("dog", 0.9f)));
        assertThat(driver.vframes()).isEmpty();
    }

    @Test
    void theVframesTopicIsRegisteredForCreationWithTheSegmentsTopicsSettings() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), "argus.");

        Topic<String, VframeEvent> vframes = topics.vframes();

        assertThat(vframes.name()).isEqualTo("argus.vframes");
        assertThat(vframes.configs()).isEqualTo(topics.segments().configs());
        assertThat(topics.all()).extracting(Topic::name).containsOnlyOnce("argus.vframes");
    }
}
