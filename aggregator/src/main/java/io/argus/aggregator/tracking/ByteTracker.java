package io.argus.aggregator.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ByteTrack multi-object tracking for one job: Zhang, Sun, Jiang, Yu, Weng, Yuan, Luo, Liu, Wang,
 * "ByteTrack: Multi-Object Tracking by Associating Every Detection Box", ECCV 2022
 * (arXiv:2110.06864), after the reference implementation {@code ifzhang/ByteTrack},
 * {@code yolox/tracker/byte_tracker.py}, whose defaults {@link TrackerConfig#defaults()} carries.
 *
 * <p>Each {@link #update(long, List)} takes one frame's detections, in frame order, and:
 * <ol>
 *   <li>predicts every track to the frame's time with {@link KalmanBoxFilter} (time elapsed over
 *       {@link TrackerConfig#nominalFrameMs()} steps; lost tracks with no height velocity, as the
 *       reference);</li>
 *   <li>matches the high-score detections ({@code score >= highScore}) to the confirmed and lost
 *       tracks by IoU distance fused with the score, {@code 1 - IoU·score}, with
 *       {@link LinearAssignment#match} under {@code matchCost}; a lost track matched is found again
 *       with its old id;</li>
 *   <li>matches the low-score detections ({@code lowScore < score < highScore}) to the confirmed
 *       tracks still unmatched by plain IoU distance under {@code lowMatchCost} — the "BYTE" step that
 *       keeps occluded, low-confidence objects on their tracks; confirmed tracks still unmatched
 *       become lost;</li>
 *   <li>matches the tentative tracks to the high detections left under {@code tentativeMatchCost};
 *       a tentative track matched on {@code minHits} consecutive frames is confirmed, one that misses
 *       a frame is removed;</li>
 *   <li>starts a track (a new id) from each high detection still unmatched scoring at least
 *       {@code newTrackScore}; tentative, or confirmed at once on the job's first frame (as the
 *       reference) or when {@code minHits} is 1;</li>
 *   <li>removes lost tracks not matched for more than {@code lostTtlMs}, and of a confirmed and a lost
 *       track overlapping within {@code duplicateCost} the one seen for less time.</li>
 * </ol>
 * Association is class-agnostic, as in the reference; each track's class is the score-weighted
 * majority of its detections' classes ({@link TrackedObject#label()}). Detections of zero area are
 * ignored. The reference's output filter on box area and aspect ({@code min_box_area}, vertical
 * boxes) is left to the caller. Unlike the reference, tentative tracks are predicted too (frames
 * can be far apart).
 *
 * <p>Ids are longs from 1, given at birth (tentative tracks included, so confirmed ids may have
 * gaps), never reused. The whole state is {@link #snapshot()}; {@link #restore(TrackerSnapshot)}
 * resumes it exactly: the same inputs then give the same ids and boxes. Not thread-safe.
 */
public final class ByteTracker {

    private final TrackerConfig config;
    private final List<Track> tracks;
    private long nextId;
    private long frames;
    private long lastOffsetMs;

    /** @param config the tracker's parameters */
    public ByteTracker(TrackerConfig config) {
        this.config = config;
        this.tracks = new ArrayList<>();
        this.nextId = 1;
    }

    private ByteTracker(TrackerSnapshot snapshot) {
        this.config = snapshot.config();
        this.tracks = new ArrayList<>();
        for (TrackData data : snapshot.tracks()) {
            tracks.add(new Track(data));
        }
        this.nextId = snapshot.nextId();
        this.frames = snapshot.frames();
        this.lastOffsetMs = snapshot.lastOffsetMs();
    }

    /**
     * Resumes a tracker.
     *
     * @param snapshot a state returned by {@link #snapshot()}
     * @return a tracker in that state
     * @throws IllegalArgumentException when a track's arrays have the wrong size
     */
    public static ByteTracker restore(TrackerSnapshot snapshot) {
        for (TrackData data : snapshot.tracks()) {
            if (data.mean().length != 8 || data.covariance().length != 64) {
                throw new IllegalArgumentException("track " + data.id() + " has a malformed Kalman state");
            }
        }
        return new ByteTracker(snapshot);
    }

    /** @return the whole state, a deep copy */
    public TrackerSnapshot snapshot() {
        List<TrackData> data = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            data.add(t.data());
        }
        return new TrackerSnapshot(config, nextId, frames, lastOffsetMs, data);
    }

    /** @return the tracker's parameters */
    public TrackerConfig config() {
        return config;
    }

    /** @return summaries of the live tracks (not removed), by ascending id; e.g. at the end of a job */
    public List<TrackSummary> summaries() {
        return summaries(matches -> true);
    }

    /**
     * @param matches which match counts to summarise (only those tracks are copied, e.g. on every frame)
     * @return summaries of the live tracks whose number of matched frames passes the test, by ascending id
     */
    public List<TrackSummary> summaries(java.util.function.IntPredicate matches) {
        List<TrackSummary> out = new ArrayList<>();
        for (Track t : tracks) {
            if (matches.test(t.matches)) {
                out.add(t.summary());
            }
        }
        return out;
    }

    /**
     * Tracks one frame.
     *
     * @param offsetMs   the frame's offset in ms; not before the previous frame's
     * @param detections the frame's detections, boxes in px of the frame
     * @return every track after the frame, and summaries of those removed on it
     * @throws IllegalArgumentException when the offset goes back in time
     */
    public FrameTracks update(long offsetMs, List<ScoredBox> detections) {
        if (frames > 0 && offsetMs < lastOffsetMs) {
            throw new IllegalArgumentException("frame at " + offsetMs + " ms comes after one at " + lastOffsetMs + " ms");
        }
        boolean firstFrame = frames == 0;
        double dt = firstFrame ? 0 : (offsetMs - lastOffsetMs) / config.nominalFrameMs();
        frames++;
        lastOffsetMs = offsetMs;

        List<ScoredBox> high = new ArrayList<>();
        List<ScoredBox> low = new ArrayList<>();
        for (ScoredBox d : detections) {
            if (d.box().area() <= 0) {
                continue;
            }
            if (d.score() >= config.highScore()) {
                high.add(d);
            } else if (d.score() > config.lowScore()) {
                low.add(d);
            }
        }

        List<Track> pool = new ArrayList<>();
        List<Track> tentative = new ArrayList<>();
        for (Track t : tracks) {
            t.matchedNow = false;
            t.matchedBox = null;
            if (t.state == TrackState.LOST) {
                t.mean[7] = 0;
            }
            KalmanBoxFilter.predict(t.mean, t.covariance, dt);
            (t.state == TrackState.TENTATIVE ? tentative : pool).add(t);
        }

        // First association: high detections against confirmed and lost tracks.
        boolean[] highUsed = new boolean[high.size()];
        List<Track> poolLeft = new ArrayList<>();
        LinearAssignment.Matches first = LinearAssignment.match(cost(pool, high, config.fuseScore(), config.appearanceCost()), config.matchCost());
        for (int[] pair : first.pairs()) {
            Track t = pool.get(pair[0]);
            t.match(high.get(pair[1]), offsetMs, config.pathLength());
            t.state = TrackState.CONFIRMED;
            highUsed[pair[1]] = true;
        }
        for (int r : first.unmatchedRows()) {
            poolLeft.add(pool.get(r));
        }

        // Second association: low detections against confirmed tracks still unmatched.
        List<Track> tracked = new ArrayList<>();
        for (Track t : poolLeft) {
            if (t.state == TrackState.CONFIRMED) {
                tracked.add(t);
            }
        }
        LinearAssignment.Matches second = LinearAssignment.match(cost(tracked, low, false, 0), config.lowMatchCost());
        for (int[] pair : second.pairs()) {
            tracked.get(pair[0]).match(low.get(pair[1]), offsetMs, config.pathLength());
        }
        for (int r : second.unmatchedRows()) {
            tracked.get(r).state = TrackState.LOST;
        }

        // Tentative tracks against the high detections left.
        List<ScoredBox> highLeft = new ArrayList<>();
        for (int j = 0; j < high.size(); j++) {
            if (!highUsed[j]) {
                highLeft.add(high.get(j));
            }
        }
        boolean[] leftUsed = new boolean[highLeft.size()];
        LinearAssignment.Matches third = LinearAssignment.match(cost(tentative, highLeft, config.fuseScore(), config.appearanceCost()),
                config.tentativeMatchCost());
        for (int[] pair : third.pairs()) {
            Track t = tentative.get(pair[0]);
            t.match(highLeft.get(pair[1]), offsetMs, config.pathLength());
            if (t.matches >= config.minHits()) {
                t.state = TrackState.CONFIRMED;
                t.confirmed = true;
            }
            leftUsed[pair[1]] = true;
        }
        for (int r : third.unmatchedRows()) {
            tentative.get(r).state = TrackState.REMOVED;
        }

        // New tracks.
        for (int j = 0; j < highLeft.size(); j++) {
            ScoredBox d = highLeft.get(j);
            if (!leftUsed[j] && d.score() >= config.newTrackScore()) {
                boolean confirm = firstFrame && config.confirmOnFirstFrame() || config.minHits() <= 1;
                tracks.add(new Track(nextId++, d, offsetMs, confirm ? TrackState.CONFIRMED : TrackState.TENTATIVE,
                        config.pathLength()));
            }
        }

        for (Track t : tracks) {
            if (t.state == TrackState.LOST && offsetMs - t.lastSeenMs > config.lostTtlMs()) {
                t.state = TrackState.REMOVED;
            }
        }
        removeDuplicates();

        List<TrackedObject> views = new ArrayList<>(tracks.size());
        List<TrackSummary> ended = new ArrayList<>();
        Map<Long, ScoredBox> matched = new TreeMap<>();
        for (Track t : tracks) {
            views.add(t.view());
            if (t.state == TrackState.REMOVED) {
                ended.add(t.summary());
            }
            if (t.matchedNow && t.matchedBox != null) {
                matched.put(t.id, t.matchedBox);
            }
        }
        tracks.removeIf(t -> t.state == TrackState.REMOVED);
        return new FrameTracks(offsetMs, views, ended, matched);
    }

    /**
     * Ends the job's tracking: every live track is removed, as if lost for good, without a frame.
     *
     * @return every track that was live, in state REMOVED and not matched, with its last (predicted)
     *         box, and their summaries, by ascending id, at the last frame's offset; the tracker is then
     *         empty (its next id is kept)
     */
    public FrameTracks close() {
        List<TrackedObject> views = new ArrayList<>(tracks.size());
        List<TrackSummary> ended = new ArrayList<>(tracks.size());
        for (Track t : tracks) {
            t.state = TrackState.REMOVED;
            t.matchedNow = false;
            views.add(t.view());
            ended.add(t.summary());
        }
        tracks.clear();
        return new FrameTracks(lastOffsetMs, views, ended, Map.of());
    }

    /** Reference {@code remove_duplicate_stracks}: of a tracked and a lost track on the same spot, the younger goes. */
    private void removeDuplicates() {
        List<Track> tracked = new ArrayList<>();
        List<Track> lost = new ArrayList<>();
        for (Track t : tracks) {
            if (t.state == TrackState.CONFIRMED || t.state == TrackState.TENTATIVE) {
                tracked.add(t);
            } else if (t.state == TrackState.LOST) {
                lost.add(t);
            }
        }
        for (Track p : tracked) {
            for (Track q : lost) {
                if (1 - p.box().iou(q.box()) < config.duplicateCost()) {
                    long ageP = p.lastSeenMs - p.firstSeenMs;
                    long ageQ = q.lastSeenMs - q.firstSeenMs;
                    (ageP > ageQ ? q : p).state = TrackState.REMOVED;
                }
            }
        }
    }

    /**
     * IoU distance {@code 1 - IoU}, or {@code 1 - IoU·score} when fused, tracks by detections; with an
     * appearance limit above 0, the smaller of that and the appearance cost where it applies
     * ({@link TrackerConfig#appearanceCost()}).
     */
    private static double[][] cost(List<Track> rows, List<ScoredBox> cols, boolean fuse, double appearance) {
        double[][] cost = new double[rows.size()][cols.size()];
        for (int i = 0; i < rows.size(); i++) {
            Track t = rows.get(i);
            Box box = t.box();
            for (int j = 0; j < cols.size(); j++) {
                ScoredBox d = cols.get(j);
                double iou = box.iou(d.box());
                cost[i][j] = 1 - (fuse ? iou * d.score() : iou);
                if (appearance > 0) {
                    cost[i][j] = withAppearance(t, box, d, iou, cost[i][j], appearance);
                }
            }
        }
        return cost;
    }

    /**
     * The cost of a track and a detection that both have embeddings ({@link TrackerConfig#appearanceCost()}):
     * appearance cost {@code a = (1 - cos) / 2};
     * <ul>
     *   <li>{@code a} under the limit and the boxes near (IoU ≥ {@value #PROXIMITY_IOU}), BoT-SORT's
     *       rule: the smaller of the box cost and {@code a};</li>
     *   <li>{@code a} under half the limit (very alike) and the detection's centre within
     *       {@value #REID_REACH} track widths of the track's predicted centre, or the track lost: the
     *       smaller of the two too (a face that stopped or turned back, or came back after an
     *       occlusion, is found by its look where its motion model misses it);</li>
     *   <li>{@code a} over {@value #FORBID_COST} (cosine under 0.3: another person): no match,
     *       DeepSORT's gate (Wojke, Bewley, Paulus, "Simple Online and Realtime Tracking with a Deep
     *       Association Metric", ICIP 2017, the gated cost matrix);</li>
     *   <li>else the box cost.</li>
     * </ul>
     */
    private static double withAppearance(Track t, Box box, ScoredBox d, double iou, double boxCost, double limit) {
        double a = t.appearanceCost(d.embedding());
        if (Double.isNaN(a)) {
            return boxCost;
        }
        if (a > FORBID_COST) {
            return 1;
        }
        boolean near = iou >= PROXIMITY_IOU;
        double reach = REID_REACH * Math.max(1, box.width());
        boolean close = Math.hypot(d.box().centreX() - box.centreX(), d.box().centreY() - box.centreY()) <= reach;
        if ((a < limit && near) || (a < limit / 2 && (close || t.state == TrackState.LOST))) {
            return Math.min(boxCost, a);
        }
        return boxCost;
    }

    /** Appearance cost above which a track and a detection are never matched: a cosine under 0.3. */
    static final double FORBID_COST = 0.35;
    /** How far from its predicted centre, in track widths, a very alike detection may take a track. */
    static final double REID_REACH = 1.5;

    /** BoT-SORT's {@code proximity_thresh} 0.5 as an IoU: appearance counts only for boxes this near. */
    static final double PROXIMITY_IOU = 0.5;
}
