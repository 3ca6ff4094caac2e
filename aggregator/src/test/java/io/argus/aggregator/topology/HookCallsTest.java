package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.endWithError;
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

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;

/** Callbacks (spec CALLBACK /v1/video/segment, /op-result, /result) as records on the hooks topic. */
class HookCallsTest {

    private static final String JOB = "job-1";
    private static final String RESULT_URL = "http://hooks.test/result";
    private static final String A_URL = "http://hooks.test/a";
    private static final String A_SEGMENT_URL = "http://hooks.test/a/segment";
    private static final String B_URL = "http://hooks.test/b";

    private final AggregatorDriver driver = new AggregatorDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private static long now() {
        return AggregatorDriver.START.toEpochMilli();
    }

    /** Op a: both callbacks; op b: op result only; op c: none. */
    private static OpSpec[] threeOps() {
        return new OpSpec[] {
            withHooks(op("a"), A_URL, A_SEGMENT_URL),
            withHooks(op("b"), B_URL, null),
            op("c")};
    }

    @Test
    void segmentOpResultAndResultCallsCarryKeysUrlsAndBodiesInOrder() {
        driver.pipe(begin(JOB, RESULT_URL, source(3), threeOps()));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("car", 0.8f)));

        List<Segment> firstSegment = driver.segments();
        List<HookCall> first = driver.hooks();
        assertThat(first).hasSize(1);
        HookCall segmentCall = first.get(0);
        assertThat(segmentCall.getKind()).isEqualTo(HookKind.SEGMENT);
        assertThat(segmentCall.getJobId()).isEqualTo(JOB);
        assertThat(segmentCall.getVideoId()).isEqualTo(Fixtures.VIDEO);
        assertThat(segmentCall.getUrl()).isEqualTo(A_SEGMENT_URL);
        assertThat(segmentCall.getIdempotencyKey()).isEqualTo("job-1/segment/a/0");
        assertThat(segmentCall.getOp()).isEqualTo("a");
        assertThat(segmentCall.getSegment()).isEqualTo(firstSegment.get(0));
        assertThat(segmentCall.getResults()).isEmpty();
        assertThat(segmentCall.getStatus()).isNull();
        assertThat(segmentCall.getError()).isNull();
        assertThat(segmentCall.getCreatedAtMs()).isEqualTo(now());
        assertThat(segmentCall.getAttempts()).isZero();
        assertThat(segmentCall.getLastError()).isNull();

        driver.advanceWallClock(Duration.ofSeconds(2));
        driver.pipe(result(JOB, "a", 2, label("car", 0.7f)));
        for (String op : List.of("b", "c")) {
            for (int seq = 0; seq < 3; seq++) {
                driver.pipe(result(JOB, op, seq, label("dog", 0.5f)));
            }
        }
        driver.pipe(end(JOB, 3));

        List<Segment> segments = driver.segments();
        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("a", "b", "c");
        List<HookCall> calls = driver.hooks();
        assertThat(calls).extracting(HookCall::getKind, HookCall::getIdempotencyKey, HookCall::getUrl)
                .containsExactly(
                        tuple(HookKind.SEGMENT, "job-1/segment/a/1", A_SEGMENT_URL),
                        tuple(HookKind.OP_RESULT, "job-1/op-result/a", A_URL),
                        tuple(HookKind.OP_RESULT, "job-1/op-result/b", B_URL),
                        tuple(HookKind.RESULT, "job-1/result", RESULT_URL));
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.getJobId()).isEqualTo(JOB);
            assertThat(c.getVideoId()).isEqualTo(Fixtures.VIDEO);
            assertThat(c.getCreatedAtMs()).isEqualTo(now() + 2000);
        });
        assertThat(calls.get(0).getSegment()).isEqualTo(segments.get(0));
        assertThat(calls.get(0).getSegment().getOp()).isEqualTo("a");
        assertThat(calls.get(1).getOp()).isEqualTo("a");
        assertThat(calls.get(1).getResults()).containsExactly(results.get(0));
        assertThat(calls.get(1).getResults().get(0).getSegments()).hasSize(2);
        assertThat(calls.get(2).getOp()).isEqualTo("b");
        assertThat(calls.get(2).getResults()).containsExactly(results.get(1));
        assertThat(calls.get(2).getSegment()).isNull();
        HookCall result = calls.get(3);
        assertThat(result.getOp()).isNull();
        assertThat(result.getSegment()).isNull();
        assertThat(result.getResults()).containsExactlyElementsOf(results);
        assertThat(result.getStatus()).isEqualTo("FINISHED");
        assertThat(result.getError()).isNull();
        assertThat(driver.storeSize(AggregatorTopology.OP_RESULTS_STORE)).as("kept results deleted").isZero();
    }

    @Test
    void theResultCallListsOpResultsInRequestOrderNotFinishOrder() {
        OpSpec a = op("a");
        OpSpec b = op("b", List.of(), false, terminate(1, Map.of("person", 1)));
        driver.pipe(begin(JOB, RESULT_URL, source(2), a, b));
        driver.pipe(result(JOB, "b", 0, label("person", 0.9f)));
        assertThat(driver.storeSize(AggregatorTopology.OP_RESULTS_STORE)).as("b's result kept").isEqualTo(1);
        assertThat(driver.hooks()).as("no op callbacks; RESULT waits for a").isEmpty();
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "a", 1, label("person", 0.9f)));

        driver.pipe(end(JOB, 2));

        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("b", "a");
        List<HookCall> calls = driver.hooks();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getResults()).extracting(OpResult::getOp).containsExactly("a", "b");
        assertThat(calls.get(0).getResults()).containsExactly(results.get(1), results.get(0));
        assertThat(calls.get(0).getResults().get(1).getTerminated()).isTrue();
    }

    @Test
    void killMakesTheOpResultCallsOfOpsNotDoneAndACancelledResultCallOnce() {
        OpSpec a = withHooks(op("a", List.of(), false, terminate(1, Map.of("person", 1))), A_URL, null);
        OpSpec b = withHooks(op("b"), B_URL, A_SEGMENT_URL);
        driver.pipe(begin(JOB, RESULT_URL, source(10), a, b));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 1, label("person", 0.8f)));
        assertThat(driver.hooks()).extracting(HookCall::getIdempotencyKey).containsExactly("job-1/op-result/a");
        driver.opResults();

        driver.kill(JOB);

        List<OpResult> killed = driver.opResults();
        assertThat(killed).extracting(OpResult::getOp).containsExactly("b");
        List<HookCall> calls = driver.hooks();
        assertThat(calls).extracting(HookCall::getIdempotencyKey)
                .containsExactly("job-1/segment/b/0", "job-1/op-result/b", "job-1/result");
        assertThat(calls.get(1).getResults()).containsExactly(killed.get(0));
        assertThat(calls.get(1).getResults().get(0).getFrames()).isEqualTo(2);
        HookCall result = calls.get(2);
        assertThat(result.getKind()).isEqualTo(HookKind.RESULT);
        assertThat(result.getStatus()).isEqualTo("CANCELLED");
        assertThat(result.getError()).isNull();
        assertThat(result.getResults()).extracting(OpResult::getOp, OpResult::getFrames, OpResult::getTerminated)
                .containsExactly(
                        tuple("a", 1L, true),
                        tuple("b", 2L, false));

        driver.kill(JOB);
        driver.pipe(result(JOB, "b", 2, label("person", 0.8f)));
        driver.pipe(end(JOB, 3));
        assertThat(driver.hooks()).as("each call once").isEmpty();
        assertThat(driver.storeSize(AggregatorTopology.OP_RESULTS_STORE)).isZero();
    }

    @Test
    void failedJobMakesAResultCallWithTheErrorAndTheResultsOfOpsDone() {
        OpSpec a = op("a", List.of(), false, terminate(1, Map.of("person", 1)));
        driver.pipe(begin(JOB, RESULT_URL, source(10), a, withHooks(op("b"), B_URL, null)));
        driver.pipe(result(JOB, "a", 0, label("person", 0.9f)));
        driver.pipe(result(JOB, "b", 0, label("person", 0.9f)));
        List<OpResult> done = driver.opResults();
        assertThat(driver.hooks()).isEmpty();

        driver.pipe(endWithError(JOB, 424, "cannot find the video"));

        List<HookCall> calls = driver.hooks();
        assertThat(calls).hasSize(1);
        HookCall result = calls.get(0);
        assertThat(result.getKind()).isEqualTo(HookKind.RESULT);
        assertThat(result.getIdempotencyKey()).isEqualTo("job-1/result");
        assertThat(result.getUrl()).isEqualTo(RESULT_URL);
        assertThat(result.getStatus()).isEqualTo("FAILED");
        assertThat(result.getError()).isEqualTo(new ErrorInfo(424, "cannot find the video"));
        assertThat(result.getResults()).as("b failed unfinished: no result, no op callback").isEqualTo(done);
        assertThat(driver.opResults()).isEmpty();
        assertThat(driver.storeSize(AggregatorTopology.OP_RESULTS_STORE)).isZero();
    }

    @Test
    void failedBeforeAnyOpFinishedMakesAResultCallWithoutResults() {
        driver.pipe(begin(JOB, RESULT_URL, null, op("a")));
        driver.pipe(endWithError(JOB, 400, "cannot open the file"));

        List<HookCall> calls = driver.hooks();
        assertThat(calls).extracting(HookCall::getStatus).containsExactly("FAILED");
        assertThat(calls.get(0).getResults()).isEmpty();
    }

    @Test
    void noCallsWhenTheRequestHasNoUrls() {
        OpSpec a = op("a", List.of(), false, terminate(1, Map.of("person", 2)));
        OpSpec blank = withHooks(op("b"), "", " ");
        driver.pipe(begin(JOB, "", source(3), a, blank));
        for (String op : List.of("a", "b")) {
            driver.pipe(result(JOB, op, 0, label("person", 0.9f)));
            driver.pipe(result(JOB, op, 1, label("car", 0.9f)));
            driver.pipe(result(JOB, op, 2, label("person", 0.9f)));
        }
        driver.pipe(end(JOB, 3));
        driver.pipe(begin("job-2", source(3), op("a")));
        driver.pipe(result("job-2", "a", 0, label("x", 1f)));
        driver.kill("job-2");

        assertThat(driver.segments()).hasSizeGreaterThan(3);
        assertThat(driver.opResults()).hasSize(3);
        assertThat(driver.hooks()).isEmpty();
        assertThat(driver.storeSize(AggregatorTopology.OP_RESULTS_STORE)).isZero();
    }
}
