package io.argus.aggregator.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.argus.aggregator.rules.LabelSelector;
import io.argus.aggregator.rules.SegmentBuilder;
import io.argus.aggregator.rules.SegmentDraft;
import io.argus.aggregator.rules.SelectRule;
import io.argus.aggregator.rules.TerminateCounter;
import io.argus.aggregator.rules.TerminateRule;

/**
 * The working state of one op of one job, keyed by {@link StoreKeys#op(String, String)}: the op's
 * rules (from the job request), the next sequence number to process, the open segment (without its
 * frames, which are stored as cuts), how many segments closed, the video-level labels so far and the
 * terminate counts, and where its callbacks go. Deleted when the op is done. Mutable.
 *
 * <p>Fields added over time ({@code hookUrl}, {@code hookUrlSegment}, the segment windows) are optional in the stored
 * JSON, so state written by an older version stays readable.
 */
public final class OpState {

    private String op;
    private List<SelectRule> rules = List.of();
    private boolean ignoreEmptyLabels;
    private TerminateRule terminate;
    private long nextSeq;
    private SegmentDraft open;
    private int segmentsClosed;
    private LinkedHashMap<String, Float> videoLabels = new LinkedHashMap<>();
    private LinkedHashMap<String, Integer> terminateCounts = new LinkedHashMap<>();
    private String hookUrl;
    private String hookUrlSegment;
    private Long segmentIntervalMs;
    private Long segmentMaxMs;
    private Long segmentAnchorMs;

    private OpState() {
    }

    /**
     * A fresh op: nothing processed yet.
     *
     * @param op                op name
     * @param rules             label select rules ({@code ops[].params.labels})
     * @param ignoreEmptyLabels reject frames without labels
     * @param terminate         early terminate rule, or null
     */
    public OpState(String op, List<SelectRule> rules, boolean ignoreEmptyLabels, TerminateRule terminate) {
        this(op, rules, ignoreEmptyLabels, terminate, null, null);
    }

    /**
     * A fresh op with callbacks: nothing processed yet.
     *
     * @param op                op name
     * @param rules             label select rules ({@code ops[].params.labels})
     * @param ignoreEmptyLabels reject frames without labels
     * @param terminate         early terminate rule, or null
     * @param hookUrl           {@code ops[].hookURL}: where the op's result goes when it is done, or null
     * @param hookUrlSegment    {@code ops[].hookURL_segment}: where each segment goes as it closes, or null
     */
    public OpState(String op, List<SelectRule> rules, boolean ignoreEmptyLabels, TerminateRule terminate,
                   String hookUrl, String hookUrlSegment) {
        this.op = op;
        this.rules = List.copyOf(rules);
        this.ignoreEmptyLabels = ignoreEmptyLabels;
        this.terminate = terminate;
        this.hookUrl = hookUrl;
        this.hookUrlSegment = hookUrlSegment;
    }

    /** @return op name */
    public String op() {
        return op;
    }

    /** @return {@code ops[].hookURL} (CALLBACK /v1/video/op-result), or null when the op has none */
    public String hookUrl() {
        return hookUrl;
    }

    /** @return {@code ops[].hookURL_segment} (CALLBACK /v1/video/segment), or null when the op has none */
    public String hookUrlSegment() {
        return hookUrlSegment;
    }

    /** @return the selector for the op's label rules (DESIGN.md, Label selection) */
    public LabelSelector selector() {
        return new LabelSelector(rules, ignoreEmptyLabels);
    }

    /** @return a builder resumed from the open segment; save it back with {@link #save(SegmentBuilder)} */
    public SegmentBuilder segments() {
        return new SegmentBuilder(open, segmentsClosed,
                new SegmentBuilder.Windows(segmentIntervalMs, segmentMaxMs, segmentAnchorMs));
    }

    /**
     * Sets the op's segment time limits ({@code params.segment}); before any frame is processed.
     *
     * @param windows the limits (not yet anchored)
     * @return this
     */
    public OpState withSegmentWindows(SegmentBuilder.Windows windows) {
        segmentIntervalMs = windows.intervalMs();
        segmentMaxMs = windows.maxMs();
        segmentAnchorMs = windows.anchorMs();
        return this;
    }

    /** @param builder the builder returned by {@link #segments()}, after use */
    public void save(SegmentBuilder builder) {
        open = builder.open();
        segmentsClosed = builder.closedCount();
        segmentAnchorMs = builder.windows().anchorMs();
    }

    /** @return a counter that updates this state's terminate counts in place */
    public TerminateCounter counter() {
        return new TerminateCounter(terminate, terminateCounts);
    }

    /** @return sequence number of the next result to process; results below it are duplicates */
    public long nextSeq() {
        return nextSeq;
    }

    /** Moves past the result just processed. */
    public void advance() {
        nextSeq++;
    }

    /**
     * Adds a closed segment's labels to the video-level labels (union, each with its max score).
     *
     * @param labels the segment's labels, scores in [0, 1]
     */
    public void addVideoLabels(Map<String, Float> labels) {
        labels.forEach((name, score) -> videoLabels.merge(name, score, Math::max));
    }

    /** @return video-level labels so far: union over closed segments, each with its max score */
    public Map<String, Float> videoLabels() {
        return videoLabels;
    }
}
