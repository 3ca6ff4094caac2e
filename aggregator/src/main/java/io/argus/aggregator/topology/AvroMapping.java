package io.argus.aggregator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.argus.aggregator.rules.ScoredLabel;
import io.argus.aggregator.rules.SegmentBuilder;
import io.argus.aggregator.rules.SelectRule;
import io.argus.aggregator.rules.TerminateRule;
import io.argus.aggregator.state.CutData;
import io.argus.aggregator.state.ErrorData;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.OpState;
import io.argus.aggregator.state.OpTally;
import io.argus.aggregator.state.ResultData;
import io.argus.aggregator.state.SegmentData;
import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.LabelRule;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.SegmentWindows;
import io.argus.schemas.avro.Terminate;

/** Conversions between the Avro records on the topics and the aggregator's state objects. */
final class AvroMapping {

    private AvroMapping() {
    }

    static ResultData result(FrameResult r) {
        List<ScoredLabel> labels = new ArrayList<>(r.getLabels().size());
        for (Label l : r.getLabels()) {
            labels.add(new ScoredLabel(l.getLabel(), l.getScore()));
        }
        return new ResultData(r.getOp(), r.getSeq(), r.getOffsetMs(), r.getUri(), labels,
                r.getResultJson(), r.getError());
    }

    /** Longest segment of a live job whose request sets none, ms. */
    static final long LIVE_MAX_SEGMENT_MS = 300_000;

    /**
     * @param request the job request
     * @param live    true for a live source (RTMP/RTSP)
     * @return the segment time limits of {@code params.segment}; a live job without
     *         {@code max_duration} gets {@value #LIVE_MAX_SEGMENT_MS} ms, so its segments close
     */
    static SegmentBuilder.Windows segmentWindows(JobRequest request, boolean live) {
        SegmentWindows w = request.getSegment();
        Long interval = w == null ? null : w.getIntervalMs();
        Long max = w == null ? null : w.getMaxMs();
        if (max == null && live) {
            max = LIVE_MAX_SEGMENT_MS;
        }
        return new SegmentBuilder.Windows(interval, max, null);
    }

    static OpState opState(OpSpec spec) {
        List<SelectRule> rules = new ArrayList<>();
        for (LabelRule r : spec.getLabels()) {
            rules.add(new SelectRule(r.getLabel(), r.getSelect(), r.getScore()));
        }
        Terminate t = spec.getTerminate();
        TerminateRule terminate = t == null ? null : new TerminateRule(t.getMode(), t.getLabels());
        return new OpState(spec.getOp(), rules, spec.getIgnoreEmptyLabels(), terminate,
                url(spec.getHookUrl()), url(spec.getHookUrlSegment()));
    }

    /**
     * @param url a callback URL from the request, or null
     * @return the URL, or null when absent or blank (no callback)
     */
    static String url(String url) {
        return url == null || url.isBlank() ? null : url;
    }

    static ErrorData error(ErrorInfo e) {
        return new ErrorData(e.getCode(), e.getMessage());
    }

    static List<Label> labels(Map<String, Float> labels) {
        List<Label> out = new ArrayList<>(labels.size());
        labels.forEach((name, score) -> out.add(new Label(name, score)));
        return out;
    }

    static Segment segment(JobProgress job, String op, SegmentData s) {
        List<Cut> cuts = new ArrayList<>(s.cuts().size());
        for (CutData c : s.cuts()) {
            cuts.add(new Cut(c.offsetMs(), c.uri(), c.resultJson()));
        }
        return Segment.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setOp(op)
                .setIndex(s.index())
                .setOffsetBegin(s.offsetBegin())
                .setOffsetEnd(s.offsetEnd())
                .setLabels(labels(s.labels()))
                .setCuts(cuts)
                .build();
    }

    static OpResult opResult(JobProgress job, OpState state, OpTally tally, List<SegmentData> segments) {
        List<Segment> out = new ArrayList<>(segments.size());
        for (SegmentData s : segments) {
            out.add(segment(job, state.op(), s));
        }
        return OpResult.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setOp(state.op())
                .setLabels(labels(state.videoLabels()))
                .setSegments(out)
                .setFrames(tally.processed())
                .setFailedFrames(tally.failed())
                .setTerminated(tally.terminated())
                .build();
    }
}
