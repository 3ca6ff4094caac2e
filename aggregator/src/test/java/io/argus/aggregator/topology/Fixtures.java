package io.argus.aggregator.topology;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.LabelRule;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.avro.Terminate;
import io.argus.schemas.avro.Vframe;

/** Builders of the records ingest and analyzer write, for tests. Offsets are seq * 1000 ms. */
final class Fixtures {

    static final String VIDEO = "video-1";
    static final long CREATED_AT = 1_700_000_000_000L;

    private Fixtures() {
    }

    static Label label(String name, float score) {
        return new Label(name, score);
    }

    static LabelRule rule(String label, int select, float score) {
        return new LabelRule(label, select, score);
    }

    static Terminate terminate(int mode, Map<String, Integer> labels) {
        return new Terminate(mode, labels);
    }

    static OpSpec op(String name) {
        return op(name, List.of(), false, null);
    }

    static OpSpec op(String name, List<LabelRule> rules, boolean ignoreEmptyLabels, Terminate terminate) {
        return OpSpec.newBuilder().setOp(name).setLabels(rules).setIgnoreEmptyLabels(ignoreEmptyLabels)
                .setTerminate(terminate).build();
    }

    /** @return the op spec with callbacks: {@code hookURL} and {@code hookURL_segment} (null for none) */
    static OpSpec withHooks(OpSpec spec, String hookUrl, String hookUrlSegment) {
        return OpSpec.newBuilder(spec).setHookUrl(hookUrl).setHookUrlSegment(hookUrlSegment).build();
    }

    static String requestJson(String jobId) {
        return "{\"data\":{\"uri\":\"file:///videos/" + jobId + ".mp4\"}}";
    }

    static FrameEvent begin(String jobId, SourceInfo source, OpSpec... ops) {
        return begin(jobId, null, source, ops);
    }

    /** A BEGIN whose request has {@code params.hookURL} (null for none). */
    static FrameEvent begin(String jobId, String hookUrl, SourceInfo source, OpSpec... ops) {
        JobRequest request = JobRequest.newBuilder()
                .setJobId(jobId).setVideoId(VIDEO).setUri("file:///videos/" + jobId + ".mp4")
                .setVframe(new Vframe(0, 1.0, null, null))
                .setOps(Arrays.asList(ops))
                .setCreatedAt(CREATED_AT)
                .setRequestJson(requestJson(jobId))
                .setHookUrl(hookUrl)
                .build();
        return event(jobId, FrameKind.BEGIN, 0).setJob(request).setSource(source).build();
    }

    static SourceInfo source(long expectedFrames) {
        return new SourceInfo(768, 576, 10.0, 79_500L, "mpeg4", expectedFrames);
    }

    static FrameEvent frame(String jobId, long seq) {
        return event(jobId, FrameKind.FRAME, seq).setOffsetMs(seq * 1000).setUri(uri(jobId, seq)).setOps(List.of("x"))
                .build();
    }

    static FrameEvent end(String jobId, long frames) {
        return event(jobId, FrameKind.END, frames).build();
    }

    static FrameEvent endWithError(String jobId, int code, String message) {
        return event(jobId, FrameKind.END, 0).setError(new ErrorInfo(code, message)).build();
    }

    private static FrameEvent.Builder event(String jobId, FrameKind kind, long seq) {
        return FrameEvent.newBuilder().setJobId(jobId).setVideoId(VIDEO).setKind(kind).setSeq(seq).setOffsetMs(0);
    }

    static FrameResult result(String jobId, String op, long seq, Label... labels) {
        return FrameResult.newBuilder()
                .setJobId(jobId).setVideoId(VIDEO).setOp(op).setSeq(seq).setOffsetMs(seq * 1000)
                .setUri(uri(jobId, seq)).setLabels(Arrays.asList(labels))
                .setResultJson(resultJson(op, seq))
                .build();
    }

    static FrameResult failed(String jobId, String op, long seq) {
        return FrameResult.newBuilder(result(jobId, op, seq)).setError("op crashed").setResultJson("{}").build();
    }

    static String uri(String jobId, long seq) {
        return "file:///frames/" + jobId + "/" + seq + ".jpg";
    }

    static String resultJson(String op, long seq) {
        return "{\"op\":\"" + op + "\",\"seq\":" + seq + "}";
    }
}
