package io.argus.aggregator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import io.argus.aggregator.rules.ScoredLabel;
import io.argus.aggregator.rules.SegmentBuilder;
import io.argus.aggregator.rules.SelectRule;
import io.argus.aggregator.rules.TerminateRule;

class JsonSerdeTest {

    @Test
    void opStateRoundTripsWithItsOpenSegmentCountsAndLabels() {
        OpState state = new OpState("detect", List.of(new SelectRule("person", 2, 0.5f)), true,
                new TerminateRule(1, Map.of("person", 3)));
        SegmentBuilder segments = state.segments();
        segments.add(Map.of("person", 0.7f), 0);
        segments.close();
        segments.add(Map.of("person", 0.6f, "car", 0.9f), 1000);
        state.save(segments);
        state.counter().onKeptFrame(java.util.Set.of("person"));
        state.addVideoLabels(Map.of("person", 0.7f));
        state.advance();
        state.advance();
        JsonSerde<OpState> serde = new JsonSerde<>(OpState.class);

        OpState back = serde.read(serde.write(state));

        assertThat(back.op()).isEqualTo("detect");
        assertThat(back.nextSeq()).isEqualTo(2);
        assertThat(back.segments().open()).isEqualTo(state.segments().open());
        assertThat(back.segments().closedCount()).isEqualTo(1);
        assertThat(back.counter().counts()).isEqualTo(Map.of("person", 1));
        assertThat(back.videoLabels()).isEqualTo(Map.of("person", 0.7f));
        assertThat(back.selector().survives("car", 0.9f)).as("whitelist rules survive the round trip").isFalse();
        assertThat(back.selector().select(List.of()).kept()).as("ignore_empty_labels survives").isFalse();
    }

    @Test
    void jobProgressRoundTripsWithTalliesInRequestOrder() {
        JobProgress job = new JobProgress("job-1", null, 5);
        job.begin("video-1", "{}", 1000, List.of("b", "a"), 42);
        job.op("a").countProcessed(true);
        job.op("a").markDone(true);
        job.sampled(7);
        job.end(9);
        job.touch(2000);
        JsonSerde<JobProgress> serde = new JsonSerde<>(JobProgress.class);

        JobProgress back = serde.read(serde.write(job));

        assertThat(back.opNames()).containsExactly("b", "a");
        assertThat(back.opsDone()).containsExactly("a");
        assertThat(back.op("a").failed()).isEqualTo(1);
        assertThat(back.op("a").terminated()).isTrue();
        assertThat(back.begun()).isTrue();
        assertThat(back.framesSampled()).isEqualTo(9);
        assertThat(back.endSeq()).isEqualTo(9);
        assertThat(back.framesExpected()).isEqualTo(42);
        assertThat(back.updatedAt()).isEqualTo(2000);
        assertThat(back.phase()).isEqualTo(JobProgress.Phase.DOING);
    }

    @Test
    void theFirstErrorOfAnOpRoundTripsAndLaterErrorsDoNotReplaceIt() {
        JobProgress job = new JobProgress("job-1", "video-1", 5);
        job.begin("video-1", "{}", 1000, List.of("a", "b"), -1);
        job.op("a").countProcessed("first");
        job.op("a").countProcessed("second");
        job.op("b").countProcessed((String) null);
        JsonSerde<JobProgress> serde = new JsonSerde<>(JobProgress.class);

        JobProgress back = serde.read(serde.write(job));

        assertThat(back.op("a").firstError()).isEqualTo("first");
        assertThat(back.op("a").failedOnEveryFrame()).isTrue();
        assertThat(back.op("b").firstError()).isNull();
        assertThat(back.op("b").failedOnEveryFrame()).isFalse();
        assertThat(back.opFailure()).isEqualTo(new ErrorData(500, "op a failed on every frame: first"));
    }

    @Test
    void hookUrlsAndTheCancelledPhaseRoundTrip() {
        JobProgress job = new JobProgress("job-1", "video-1", 5);
        job.begin("video-1", "{}", 1000, List.of("a"), -1, "http://hooks/result");
        job.cancel();
        OpState op = new OpState("a", List.of(), false, null, "http://hooks/a", "http://hooks/a/segment");

        JobProgress jobBack = new JsonSerde<>(JobProgress.class).read(new JsonSerde<>(JobProgress.class).write(job));
        OpState opBack = new JsonSerde<>(OpState.class).read(new JsonSerde<>(OpState.class).write(op));

        assertThat(jobBack.hookUrl()).isEqualTo("http://hooks/result");
        assertThat(jobBack.phase()).isEqualTo(JobProgress.Phase.CANCELLED);
        assertThat(jobBack.isFinal()).isTrue();
        assertThat(opBack.hookUrl()).isEqualTo("http://hooks/a");
        assertThat(opBack.hookUrlSegment()).isEqualTo("http://hooks/a/segment");
    }

    @Test
    void stateWrittenBeforeHookUrlsExistedIsReadWithoutThem() {
        String oldJob = "{\"jobId\":\"job-1\",\"videoId\":\"video-1\",\"phase\":\"DOING\",\"begun\":true,"
                + "\"requestJson\":\"{}\",\"createdAt\":1,\"updatedAt\":2,"
                + "\"ops\":{\"a\":{\"processed\":3,\"failed\":0,\"done\":false,\"terminated\":false}},"
                + "\"framesSampled\":3,\"framesExpected\":-1,\"endSeq\":-1}";
        String oldOp = "{\"op\":\"a\",\"rules\":[],\"ignoreEmptyLabels\":false,\"nextSeq\":3,"
                + "\"segmentsClosed\":1,\"videoLabels\":{\"person\":0.5},\"terminateCounts\":{}}";

        JobProgress job = new JsonSerde<>(JobProgress.class).read(oldJob.getBytes(StandardCharsets.UTF_8));
        OpState op = new JsonSerde<>(OpState.class).read(oldOp.getBytes(StandardCharsets.UTF_8));

        assertThat(job.hookUrl()).isNull();
        assertThat(job.op("a").processed()).isEqualTo(3);
        assertThat(job.op("a").firstError()).as("older tallies have no first error").isNull();
        assertThat(job.phase()).isEqualTo(JobProgress.Phase.DOING);
        assertThat(op.hookUrl()).isNull();
        assertThat(op.hookUrlSegment()).isNull();
        assertThat(op.nextSeq()).isEqualTo(3);
        assertThat(op.videoLabels()).isEqualTo(Map.of("person", 0.5f));
    }

    @Test
    void recordsRoundTripAndUnknownFieldsAreIgnored() {
        JsonSerde<ResultData> serde = new JsonSerde<>(ResultData.class);
        ResultData r = new ResultData("op", 3, 3000, null, List.of(new ScoredLabel("a", 0.5f)), "{\"x\":1}", "boom");

        assertThat(serde.read(serde.write(r))).isEqualTo(r);
        assertThat(new JsonSerde<>(ErrorData.class).read(
                "{\"code\":424,\"message\":\"cannot find the video\",\"extra\":true}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new ErrorData(424, "cannot find the video"));
    }

    @Test
    void garbageIsASerializationException() {
        JsonSerde<CutData> serde = new JsonSerde<>(CutData.class);

        assertThatThrownBy(() -> serde.read("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void storeKeysSortNumericallyAndNestUnderTheJobPrefix() {
        assertThat(StoreKeys.pending("j", "op", 9).compareTo(StoreKeys.pending("j", "op", 10))).isNegative();
        assertThat(StoreKeys.cut("j", "op", 2, 0)).startsWith(StoreKeys.segment("j", "op", 2));
        assertThat(StoreKeys.op("j", "op")).startsWith(StoreKeys.job("j"));
        assertThat(StoreKeys.op("jx", "op")).doesNotStartWith(StoreKeys.job("j"));
    }
}
