package io.argus.aggregator.tracking;

/**
 * ByteTrack's parameters. {@link #defaults()} gives the reference implementation's values
 * ({@code ifzhang/ByteTrack}, {@code tools/demo_track.py} arguments and {@code byte_tracker.py}):
 *
 * @param highScore          detections scoring at least this are "high" and take part in the first
 *                           association (reference {@code track_thresh} 0.5)
 * @param lowScore           detections scoring above this and below {@code highScore} take part in the
 *                           second association only; lower ones are dropped (reference 0.1)
 * @param newTrackScore      an unmatched high detection starts a track only when scoring at least this
 *                           (reference {@code det_thresh = track_thresh + 0.1} = 0.6)
 * @param matchCost          cost limit of the first association, IoU distance fused with the detection
 *                           score (reference {@code match_thresh} 0.8)
 * @param lowMatchCost       cost limit of the second association, plain IoU distance (reference 0.5)
 * @param tentativeMatchCost cost limit for tentative tracks against the high detections left over
 *                           (reference 0.7)
 * @param fuseScore          fuse the detection score into the IoU cost, {@code 1 - IoU·score} (reference
 *                           does unless {@code --mot20})
 * @param minHits            consecutive matched frames (the birth frame included) after which a track is
 *                           confirmed; the reference confirms on the second, so 2
 * @param confirmOnFirstFrame tracks born on the job's first frame are confirmed at once, as the reference
 *                           does ({@code frame_id == 1})
 * @param lostTtlMs          how long a lost track is kept, ms since it was last matched; sized in time
 *                           because Argus samples frames at an interval. The reference keeps
 *                           {@code track_buffer} 30 frames scaled by {@code frame_rate / 30}: 1000 ms
 * @param nominalFrameMs     the time step of the Kalman filter's velocities and noise (reference: one
 *                           frame of a 30 fps video, 1000/30 ms); see {@link KalmanBoxFilter}
 * @param pathLength         points of path kept per track (the most recent)
 * @param duplicateCost      a confirmed and a lost track closer than this IoU distance are duplicates and
 *                           the younger goes (reference {@code remove_duplicate_stracks}, 0.15)
 * @param appearanceCost     0: association by boxes only (ByteTrack). Above 0: the limit of the
 *                           appearance cost {@code (1 - cos) / 2} under which detections and tracks that
 *                           both have embeddings may be matched by their look, BoT-SORT's rule (Aharon,
 *                           Orfaig, Bobrovsky, "BoT-SORT: Robust Associations Multi-Pedestrian
 *                           Tracking", arXiv:2206.14651, {@code tracker/bot_sort.py}; its limit is 0.25)
 *                           with a re-identification reach and DeepSORT's gate, as ByteTracker's
 *                           {@code withAppearance} documents
 */
public record TrackerConfig(double highScore, double lowScore, double newTrackScore, double matchCost,
                            double lowMatchCost, double tentativeMatchCost, boolean fuseScore, int minHits,
                            boolean confirmOnFirstFrame, long lostTtlMs, double nominalFrameMs, int pathLength,
                            double duplicateCost, double appearanceCost) {

    /**
     * @throws IllegalArgumentException when a threshold is outside [0, 1], {@code lowScore > highScore},
     *                                  {@code minHits < 1}, {@code lostTtlMs < 0},
     *                                  {@code nominalFrameMs <= 0} or {@code pathLength < 1}
     */
    public TrackerConfig {
        for (double t : new double[] {highScore, lowScore, newTrackScore, matchCost, lowMatchCost, tentativeMatchCost,
                duplicateCost, appearanceCost}) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("tracker thresholds must be in [0, 1]: " + t);
            }
        }
        if (lowScore > highScore) {
            throw new IllegalArgumentException("lowScore " + lowScore + " is above highScore " + highScore);
        }
        if (minHits < 1) {
            throw new IllegalArgumentException("minHits must be at least 1: " + minHits);
        }
        if (lostTtlMs < 0) {
            throw new IllegalArgumentException("lostTtlMs must be >= 0: " + lostTtlMs);
        }
        if (!(nominalFrameMs > 0) || Double.isInfinite(nominalFrameMs)) {
            throw new IllegalArgumentException("nominalFrameMs must be > 0: " + nominalFrameMs);
        }
        if (pathLength < 1) {
            throw new IllegalArgumentException("pathLength must be at least 1: " + pathLength);
        }
    }

    /** @return the reference implementation's values, listed on the class */
    public static TrackerConfig defaults() {
        return new TrackerConfig(0.5, 0.1, 0.6, 0.8, 0.5, 0.7, true, 2, true, 1000, 1000.0 / 30, 256, 0.15, 0);
    }

    /**
     * @param ms how long a lost track is kept, ms
     * @return this configuration with that time
     */
    public TrackerConfig withLostTtlMs(long ms) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, matchCost, lowMatchCost, tentativeMatchCost,
                fuseScore, minHits, confirmOnFirstFrame, ms, nominalFrameMs, pathLength, duplicateCost, appearanceCost);
    }

    /**
     * @param hits consecutive matched frames to confirm a track
     * @return this configuration with that count
     */
    public TrackerConfig withMinHits(int hits) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, matchCost, lowMatchCost, tentativeMatchCost,
                fuseScore, hits, confirmOnFirstFrame, lostTtlMs, nominalFrameMs, pathLength, duplicateCost, appearanceCost);
    }

    /**
     * @param cost the appearance cost limit, {@code (1 - cos) / 2} in [0, 1]; 0 turns appearance off
     * @return this configuration with that limit
     */
    public TrackerConfig withAppearanceCost(double cost) {
        return new TrackerConfig(highScore, lowScore, newTrackScore, matchCost, lowMatchCost, tentativeMatchCost,
                fuseScore, minHits, confirmOnFirstFrame, lostTtlMs, nominalFrameMs, pathLength, duplicateCost, cost);
    }
}
