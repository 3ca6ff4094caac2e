package io.argus.aggregator.tracking;

import java.util.List;
import java.util.Map;

/**
 * One live track as stored in a {@link TrackerSnapshot}.
 *
 * @param id          the track's id
 * @param state       TENTATIVE, CONFIRMED or LOST
 * @param mean        Kalman state mean, {@code double[8]} (see {@link KalmanBoxFilter})
 * @param covariance  Kalman state covariance, {@code double[64]} row-major
 * @param score       score of the last matched detection, [0, 1]
 * @param matches     frames on which it was matched
 * @param firstSeenMs offset in ms of its first frame
 * @param lastSeenMs  offset in ms of its last matched frame
 * @param confirmed   whether it was ever confirmed
 * @param classVotes  class to summed detection score, first-seen order
 * @param path        recent centres, oldest first
 * @param feature     smoothed appearance embedding (unit length), or null (no embedded detection yet)
 */
public record TrackData(long id, TrackState state, double[] mean, double[] covariance, double score, int matches,
                        long firstSeenMs, long lastSeenMs, boolean confirmed, Map<String, Double> classVotes,
                        List<PathPoint> path, float[] feature) {
}
