package io.argus.aggregator.topology;

import static io.argus.aggregator.topology.Fixtures.begin;
import static io.argus.aggregator.topology.Fixtures.end;
import static io.argus.aggregator.topology.Fixtures.failed;
import static io.argus.aggregator.topology.Fixtures.label;
import static io.argus.aggregator.topology.Fixtures.op;
import static io.argus.aggregator.topology.Fixtures.result;
import static io.argus.aggregator.topology.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.aggregator.state.JobProgress;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.avro.VframeKind;

/** An op that fails on every frame it processes fails its job once every op is done. */
class OpFailureTest {

    private static final String JOB = "job-1";

    private final AggregatorDriver driver = new AggregatorDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    private static FrameResult failedWith(String op, long seq, String error) {
        return FrameResult.newBuilder(failed(JOB, op, seq)).setError(error).build();
    }

    private static JobStatus last(List<JobStatus> statuses) {
        assertThat(statuses).isNotEmpty();
        return statuses.get(statuses.size() - 1);
    }

    @Test
    void anOpThatFailedOnEveryFrameFailsTheJobWithItsFirstErrorInSequenceOrder() {
        driver.pipe(begin(JOB, "http://hooks/result", source(3), op("a")));
        driver.pipe(failedWith("a", 1, "second error"));
        driver.pipe(failedWith("a", 0, "model not loaded"));
        driver.pipe(failedWith("a", 2, "third error"));
        driver.pipe(end(JOB, 3));

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getFrames()).isEqualTo(3);
        assertThat(results.get(0).getFailedFrames()).isEqualTo(3);
        assertThat(results.get(0).getSegments()).isEmpty();
        JobStatus status = last(driver.statuses());
        assertThat(status.getStatus()).isEqualTo(JobState.FAILED);
        assertThat(status.getError())
                .isEqualTo(new ErrorInfo(500, "op a failed on every frame: model not loaded"));
        assertThat(status.getOpsDone()).containsExactly("a");
        assertThat(status.getFramesAnalyzed()).isEqualTo(3);
        assertThat(driver.job(JOB).phase()).isEqualTo(JobProgress.Phase.FAILED);
        assertThat(JobStatuses.of(driver.job(JOB))).isEqualTo(status);

        List<HookCall> hooks = driver.hooks();
        assertThat(hooks).extracting(HookCall::getKind).containsExactly(HookKind.RESULT);
        assertThat(hooks.get(0).getStatus()).isEqualTo("FAILED");
        assertThat(hooks.get(0).getError()).isEqualTo(status.getError());
        assertThat(hooks.get(0).getResults()).containsExactly(results.get(0));
        assertThat(driver.vframes()).extracting(VframeEvent::getKind, VframeEvent::getStatus, VframeEvent::getError)
                .as("failed frames are not kept: no CUT")
                .containsExactly(tuple(VframeKind.BEGIN, null, null),
                        tuple(VframeKind.END, "FAILED", status.getError()));
    }

    @Test
    void oneGoodFrameLetsTheJobFinishWithTheFailedFramesCounted() {
        driver.pipe(begin(JOB, source(3), op("a")));
        driver.pipe(failedWith("a", 0, "timeout"));
        driver.pipe(result(JOB, "a", 1, label("person", 0.9f)));
        driver.pipe(failedWith("a", 2, "timeout"));
        driver.pipe(end(JOB, 3));

        List<OpResult> results = driver.opResults();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getFrames()).isEqualTo(3);
        assertThat(results.get(0).getFailedFrames()).isEqualTo(2);
        assertThat(results.get(0).getSegments()).extracting(Segment::getOffsetBegin).containsExactly(1000L);
        JobStatus status = last(driver.statuses());
        assertThat(status.getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(status.getError()).isNull();
        assertThat(driver.job(JOB).op("a").firstError()).isEqualTo("timeout");
    }

    @Test
    void twoOpsOneFailedOnEveryFrameFailsTheJobAndKeepsTheOtherOpsResult() {
        driver.pipe(begin(JOB, "http://hooks/result", source(2), op("a"), op("b")));
        driver.pipe(failedWith("a", 0, "cuda error"));
        driver.pipe(failedWith("a", 1, "cuda error"));
        driver.pipe(result(JOB, "b", 0, label("dog", 0.7f)));
        driver.pipe(end(JOB, 2));
        assertThat(driver.opResults()).extracting(OpResult::getOp).containsExactly("a");
        assertThat(last(driver.statuses()).getStatus()).as("b is not done yet").isEqualTo(JobState.DOING);

        driver.pipe(result(JOB, "b", 1, label("dog", 0.8f)));

        List<OpResult> results = driver.opResults();
        assertThat(results).extracting(OpResult::getOp).containsExactly("b");
        OpResult b = results.get(0);
        assertThat(b.getFailedFrames()).isZero();
        assertThat(b.getSegments()).hasSize(1);
        assertThat(b.getSegments().get(0).getCuts()).hasSize(2);
        List<JobStatus> statuses = driver.statuses();
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0).getStatus()).isEqualTo(JobState.FAILED);
        assertThat(statuses.get(0).getError()).isEqualTo(new ErrorInfo(500, "op a failed on every frame: cuda error"));
        assertThat(statuses.get(0).getOpsDone()).containsExactly("a", "b");
        HookCall result = driver.hooks().get(0);
        assertThat(result.getKind()).isEqualTo(HookKind.RESULT);
        assertThat(result.getStatus()).isEqualTo("FAILED");
        assertThat(result.getResults()).extracting(OpResult::getOp).containsExactly("a", "b");
        assertThat(result.getResults().get(1)).as("b's segments kept as written").isEqualTo(b);
    }

    @Test
    void twoOpsFailingOnEveryFrameNameTheFirstInRequestOrder() {
        driver.pipe(begin(JOB, source(1), op("b"), op("a")));
        driver.pipe(failedWith("a", 0, "a broke"));
        driver.pipe(failedWith("b", 0, "b broke"));
        driver.pipe(end(JOB, 1));

        assertThat(last(driver.statuses()).getError())
                .isEqualTo(new ErrorInfo(500, "op b failed on every frame: b broke"));
    }

    @Test
    void aKilledJobIsCancelledEvenWhenItsOpFailedOnEveryFrameSoFar() {
        driver.pipe(begin(JOB, source(5), op("a")));
        driver.pipe(failedWith("a", 0, "boom"));

        driver.kill(JOB);

        JobStatus status = last(driver.statuses());
        assertThat(status.getStatus()).isEqualTo(JobState.CANCELLED);
        assertThat(status.getError()).isNull();
    }

    @Test
    void anOpWithoutFramesDoesNotFailTheJob() {
        driver.pipe(begin(JOB, source(0), op("a")));
        driver.pipe(end(JOB, 0));

        JobStatus status = last(driver.statuses());
        assertThat(status.getStatus()).isEqualTo(JobState.FINISHED);
        assertThat(status.getError()).isNull();
    }
}
