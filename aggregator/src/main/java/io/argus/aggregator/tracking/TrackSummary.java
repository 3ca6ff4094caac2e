package io.argus.aggregator.tracking;

import java.util.List;
import java.util.Map;

/**
 * What a track did over its life, so far.
 *
 * @param id          the track's id
 * @param label       majority class (see {@link TrackedObject#label()})
 * @param firstSeenMs offset in ms of the frame that started it
 * @param lastSeenMs  offset in ms of the last frame where it was matched
 * @param confirmed   whether it was ever confirmed (tentative tracks that died are noise)
 * @param matches     frames on which a detection was matched to it
 * @param classVotes  class to the sum of the matched detections' scores, first-seen order
 * @param path        anchors (bottom centres) of its filtered boxes on matched frames, oldest first, the last
 *                    {@link TrackerConfig#pathLength()} at most
 * @param feature     the track's smoothed appearance embedding (unit length), or null when its
 *                    detections had none
 */
public record TrackSummary(long id, String label, long firstSeenMs, long lastSeenMs, boolean confirmed, int matches,
                           Map<String, Double> classVotes, List<PathPoint> path, float[] feature) {
}
