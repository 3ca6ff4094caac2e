package io.argus.aggregator.tracking;

import java.util.List;

/**
 * What one frame did to the tracks.
 *
 * @param offsetMs the frame's offset in ms
 * @param tracks   every track after the frame — tentative, confirmed, lost, and those removed on this
 *                 frame — by ascending id
 * @param ended    summaries of the tracks removed on this frame, by ascending id
 */
public record FrameTracks(long offsetMs, List<TrackedObject> tracks, List<TrackSummary> ended) {
}
