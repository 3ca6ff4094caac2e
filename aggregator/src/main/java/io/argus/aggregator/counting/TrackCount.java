package io.argus.aggregator.counting;

import java.util.List;

/**
 * What {@link TrackCounter} remembers of one live track, as stored in a {@link CounterSnapshot}.
 *
 * @param trackId   the track's id
 * @param confirmed whether the track has been confirmed (only confirmed tracks count)
 * @param firstX    normalised x of the first anchor seen
 * @param firstY    normalised y of the first anchor seen
 * @param lastX     normalised x of the last anchor seen
 * @param lastY     normalised y of the last anchor seen
 * @param label     the class the track is counted as since its first count, or null before
 * @param passed    whether its pass was counted
 * @param counted   {@code line + "\n" + direction} of each crossing counted
 * @param pending   crossings waiting for the dwell time, oldest first
 */
public record TrackCount(long trackId, boolean confirmed, double firstX, double firstY, double lastX, double lastY,
                         String label, boolean passed, List<String> counted, List<PendingCrossing> pending) {
}
