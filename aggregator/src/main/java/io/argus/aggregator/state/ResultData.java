package io.argus.aggregator.state;

import java.util.List;

import io.argus.aggregator.rules.ScoredLabel;

/**
 * The parts of one FrameResult (one op on one frame) that aggregation uses; kept in the pending
 * store while it waits for a missing sequence number or for the job's BEGIN marker.
 *
 * @param op         op name
 * @param seq        0-based frame sequence number
 * @param offsetMs   frame offset in ms from the source start
 * @param uri        frame-store URI, or null
 * @param labels     labels before selection, scores in [0, 1]
 * @param resultJson the op's raw result as JSON
 * @param error      why the op failed on the frame, or null
 */
public record ResultData(String op, long seq, long offsetMs, String uri, List<ScoredLabel> labels,
                         String resultJson, String error) {

    /** @return true when the op failed on the frame */
    public boolean failed() {
        return error != null;
    }
}
