package io.argus.edge.hooks;

import java.util.List;

import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

/** Hook calls for the tests. */
final class Calls {

    private Calls() {
    }

    static Segment segment(String jobId, String op, int index) {
        return Segment.newBuilder().setJobId(jobId).setVideoId("vid-" + jobId).setOp(op).setIndex(index)
                .setOffsetBegin(1000L * index).setOffsetEnd(1000L * index + 500)
                .setLabels(List.of(Label.newBuilder().setLabel("2").setScore(0.75f).build()))
                .setCuts(List.of(
                        Cut.newBuilder().setOffsetMs(1000L * index).setUri("file:///f/" + index + ".jpg")
                                .setResultJson("{\"label\":2,\"score\":0.75}").build(),
                        Cut.newBuilder().setOffsetMs(1000L * index + 500).setUri(null).setResultJson("not json").build()))
                .build();
    }

    static OpResult opResult(String jobId, String op, boolean terminated) {
        return OpResult.newBuilder().setJobId(jobId).setVideoId("vid-" + jobId).setOp(op)
                .setLabels(List.of(Label.newBuilder().setLabel("2").setScore(0.75f).build()))
                .setSegments(List.of(segment(jobId, op, 0))).setFrames(2).setTerminated(terminated).build();
    }

    static HookCall segmentCall(String jobId, int index, String url) {
        return HookCall.newBuilder().setJobId(jobId).setVideoId("vid-" + jobId).setKind(HookKind.SEGMENT)
                .setUrl(url).setIdempotencyKey(jobId + ":segment:pulp:" + index).setOp("pulp")
                .setSegment(segment(jobId, "pulp", index)).setResults(List.of()).setCreatedAtMs(1_700_000_000_000L)
                .build();
    }

    static HookCall opResultCall(String jobId, String url, boolean terminated) {
        return HookCall.newBuilder().setJobId(jobId).setVideoId("vid-" + jobId).setKind(HookKind.OP_RESULT)
                .setUrl(url).setIdempotencyKey(jobId + ":op-result:pulp").setOp("pulp")
                .setResults(List.of(opResult(jobId, "pulp", terminated))).setCreatedAtMs(1_700_000_000_000L).build();
    }

    static HookCall resultCall(String jobId, String url, String status, ErrorInfo error) {
        return HookCall.newBuilder().setJobId(jobId).setVideoId("vid-" + jobId).setKind(HookKind.RESULT)
                .setUrl(url).setIdempotencyKey(jobId + ":result")
                .setResults(List.of(opResult(jobId, "terror", false), opResult(jobId, "pulp", true)))
                .setStatus(status).setError(error).setCreatedAtMs(1_700_000_000_000L).build();
    }
}
