package io.argus.aggregator.tracking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** A live track inside {@link ByteTracker}; mutable, not thread-safe. */
final class Track {

    final long id;
    TrackState state;
    final double[] mean;
    final double[] covariance;
    double score;
    int matches;
    final long firstSeenMs;
    long lastSeenMs;
    boolean confirmed;
    final LinkedHashMap<String, Double> classVotes;
    final ArrayDeque<PathPoint> path;
    boolean matchedNow;
    /** Smoothed appearance embedding, unit length, or null. */
    float[] feature;
    /** The detection matched on the current frame, or null. */
    ScoredBox matchedBox;

    /** Weight of the old feature in the smoothing, BoT-SORT's {@code alpha} ({@code tracker/bot_sort.py}). */
    static final float FEATURE_MOMENTUM = 0.9f;

    Track(long id, ScoredBox detection, long offsetMs, TrackState state, int pathLength) {
        double[][] kalman = KalmanBoxFilter.initiate(detection.box().toXyah());
        this.id = id;
        this.state = state;
        this.mean = kalman[0];
        this.covariance = kalman[1];
        this.score = detection.score();
        this.matches = 1;
        this.firstSeenMs = offsetMs;
        this.lastSeenMs = offsetMs;
        this.confirmed = state == TrackState.CONFIRMED;
        this.classVotes = new LinkedHashMap<>();
        this.classVotes.put(detection.label(), detection.score());
        this.path = new ArrayDeque<>();
        this.matchedNow = true;
        this.matchedBox = detection;
        this.feature = detection.embedding() == null ? null : detection.embedding().clone();
        addPoint(offsetMs, pathLength);
    }

    Track(TrackData data) {
        this.id = data.id();
        this.state = data.state();
        this.mean = data.mean().clone();
        this.covariance = data.covariance().clone();
        this.score = data.score();
        this.matches = data.matches();
        this.firstSeenMs = data.firstSeenMs();
        this.lastSeenMs = data.lastSeenMs();
        this.confirmed = data.confirmed();
        this.classVotes = new LinkedHashMap<>(data.classVotes());
        this.path = new ArrayDeque<>(data.path());
        this.feature = data.feature() == null ? null : data.feature().clone();
    }

    /** Kalman correction with a matched detection; the state is set by the caller. */
    void match(ScoredBox detection, long offsetMs, int pathLength) {
        KalmanBoxFilter.update(mean, covariance, detection.box().toXyah());
        score = detection.score();
        matches++;
        lastSeenMs = offsetMs;
        classVotes.merge(detection.label(), detection.score(), Double::sum);
        matchedNow = true;
        matchedBox = detection;
        smooth(detection.embedding());
        addPoint(offsetMs, pathLength);
    }

    /** Exponential smoothing of the appearance feature, then back to unit length (BoT-SORT {@code update_features}). */
    private void smooth(float[] embedding) {
        if (embedding == null) {
            return;
        }
        if (feature == null || feature.length != embedding.length) {
            feature = embedding.clone();
            return;
        }
        double norm = 0;
        for (int i = 0; i < feature.length; i++) {
            feature[i] = FEATURE_MOMENTUM * feature[i] + (1 - FEATURE_MOMENTUM) * embedding[i];
            norm += feature[i] * feature[i];
        }
        float inv = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
        for (int i = 0; i < feature.length; i++) {
            feature[i] *= inv;
        }
    }

    /**
     * @param embedding a detection's embedding
     * @return BoT-SORT's appearance cost {@code (1 - cos) / 2} in [0, 1], or NaN when either has none
     *         or the dimensions differ
     */
    double appearanceCost(float[] embedding) {
        if (feature == null || embedding == null || embedding.length != feature.length) {
            return Double.NaN;
        }
        double dot = 0;
        for (int i = 0; i < feature.length; i++) {
            dot += feature[i] * embedding[i];
        }
        return (1 - Math.max(-1, Math.min(1, dot))) / 2;
    }

    private void addPoint(long offsetMs, int pathLength) {
        path.addLast(new PathPoint(offsetMs, mean[0], mean[1] + Math.max(0, mean[3]) / 2));
        while (path.size() > pathLength) {
            path.removeFirst();
        }
    }

    Box box() {
        return KalmanBoxFilter.box(mean);
    }

    /** @return the class with the largest summed score; on a tie, the one seen first */
    String label() {
        String best = null;
        double bestVotes = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Double> vote : classVotes.entrySet()) {
            if (vote.getValue() > bestVotes) {
                best = vote.getKey();
                bestVotes = vote.getValue();
            }
        }
        return best;
    }

    TrackedObject view() {
        return new TrackedObject(id, label(), box(), score, state, matchedNow);
    }

    TrackSummary summary() {
        return new TrackSummary(id, label(), firstSeenMs, lastSeenMs, confirmed, matches,
                new LinkedHashMap<>(classVotes), new ArrayList<>(path), feature == null ? null : feature.clone());
    }

    TrackData data() {
        return new TrackData(id, state, mean.clone(), covariance.clone(), score, matches, firstSeenMs, lastSeenMs,
                confirmed, new LinkedHashMap<>(classVotes), new ArrayList<>(path),
                feature == null ? null : feature.clone());
    }
}
