package io.argus.aggregator.tracking;

import java.util.List;
import java.util.Map;

/**
 * What one frame did to the tracks.
 *
 * @param offsetMs the frame's offset in ms
 * @param tracks   every track after the frame — tentative, confirmed, lost, and those removed on this
 *                 frame — by ascending id
 * @param ended    summaries of the tracks removed on this frame, by ascending id
 * @param matched  the detection matched to each track on this frame, by track id (empty on a close)
 */
public record FrameTracks(long offsetMs, List<TrackedObject> tracks, List<TrackSummary> ended,
                          Map<Long, ScoredBox> matched) {
}
