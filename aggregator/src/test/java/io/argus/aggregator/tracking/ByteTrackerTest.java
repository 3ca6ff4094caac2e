package io.argus.aggregator.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.argus.aggregator.state.JsonSerde;

class ByteTrackerTest {

    private static final TrackerConfig CONFIG = TrackerConfig.defaults();

    static ScoredBox det(double cx, double cy, double w, double h, double score, String label) {
        return new ScoredBox(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), score, label);
    }

    /** Ids of the tracks matched on the frame, by the order of the detections (closest centre). */
    static List<Long> idsOf(FrameTracks frame, List<ScoredBox> detections) {
        List<Long> ids = new ArrayList<>();
        for (ScoredBox d : detections) {
            TrackedObject best = null;
            double bestDist = Double.POSITIVE_INFINITY;
            for (TrackedObject t : frame.tracks()) {
                double dist = Math.hypot(t.box().centreX() - d.box().centreX(), t.box().centreY() - d.box().centreY());
                if (t.matched() && dist < bestDist) {
                    best = t;
                    bestDist = dist;
                }
            }
            ids.add(best == null ? null : best.id());
        }
        return ids;
    }

    static TrackedObject track(FrameTracks frame, long id) {
        return frame.tracks().stream().filter(t -> t.id() == id).findFirst().orElse(null);
    }

    @Test
    void twoPeopleCrossingPathsKeepTheirIds() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        for (int f = 0; f <= 40; f++) {
            ScoredBox a = det(100 + 10 * f, 200, 40, 100, 0.9, "person");   // walks right
            ScoredBox b = det(500 - 10 * f, 215, 40, 100, 0.85, "person");  // walks left, crosses a at f = 20
            FrameTracks frame = tracker.update(f * 100L, List.of(a, b));
            assertThat(idsOf(frame, List.of(a, b))).as("frame %d", f).containsExactly(1L, 2L);
            assertThat(frame.tracks()).extracting(TrackedObject::state)
                    .containsOnly(TrackState.CONFIRMED);
        }
        assertThat(tracker.summaries()).extracting(TrackSummary::id).containsExactly(1L, 2L);
        assertThat(tracker.summaries().get(0).path().get(40).x()).isGreaterThan(490);
    }

    @Test
    void anObjectOccludedForAFewFramesComesBackWithItsId() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        for (int f = 0; f <= 30; f++) {
            boolean hidden = f >= 10 && f < 14; // 400 ms behind something, lostTtlMs 1000
            List<ScoredBox> dets = hidden ? List.of() : List.of(det(100 + 8 * f, 300, 60, 40, 0.8, "car"));
            FrameTracks frame = tracker.update(f * 100L, dets);
            assertThat(frame.tracks()).as("frame %d", f).hasSize(1);
            TrackedObject t = frame.tracks().get(0);
            assertThat(t.id()).isEqualTo(1);
            assertThat(t.state()).isEqualTo(hidden ? TrackState.LOST : TrackState.CONFIRMED);
            if (hidden) {
                assertThat(t.box().centreX()).as("predicted along its motion").isCloseTo(100 + 8 * f, org.assertj.core.api.Assertions.within(4.0));
            }
        }
    }

    @Test
    void anObjectHiddenLongerThanTheLostBufferComesBackWithANewId() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        List<Long> removedAt = new ArrayList<>();
        Map<Integer, List<TrackedObject>> byFrame = new LinkedHashMap<>();
        for (int f = 0; f <= 40; f++) {
            boolean hidden = f >= 10 && f < 25; // 1500 ms
            List<ScoredBox> dets = hidden ? List.of() : List.of(det(100 + 8 * f, 300, 60, 40, 0.8, "car"));
            FrameTracks frame = tracker.update(f * 100L, dets);
            frame.ended().forEach(s -> removedAt.add(frame.offsetMs()));
            byFrame.put(f, frame.tracks());
        }
        // Last matched at 900 ms; removed on the first frame more than 1000 ms later.
        assertThat(removedAt).containsExactly(2000L);
        assertThat(byFrame.get(20)).extracting(TrackedObject::id, TrackedObject::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, TrackState.REMOVED));
        assertThat(byFrame.get(21)).isEmpty();
        assertThat(byFrame.get(25)).extracting(TrackedObject::id, TrackedObject::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, TrackState.TENTATIVE));
        assertThat(byFrame.get(26)).extracting(TrackedObject::id, TrackedObject::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, TrackState.CONFIRMED));
    }

    @Test
    void aLongerLostBufferBridgesTheSameGap() {
        ByteTracker tracker = new ByteTracker(CONFIG.withLostTtlMs(2000));
        FrameTracks last = null;
        for (int f = 0; f <= 40; f++) {
            boolean hidden = f >= 10 && f < 25;
            last = tracker.update(f * 100L, hidden ? List.of() : List.of(det(100 + 8 * f, 300, 60, 40, 0.8, "car")));
        }
        assertThat(last.tracks()).extracting(TrackedObject::id).containsExactly(1L);
    }

    /** Object A walks right at 20 px/s, B walks left at 15 px/s below it; seconds as a double. */
    private static List<ScoredBox> slowPair(double t) {
        return List.of(det(100 + 20 * t, 200, 60, 120, 0.9, "person"), det(500 - 15 * t, 400, 60, 120, 0.8, "person"));
    }

    @Test
    void sparseAndDenseSamplingGiveTheSameIds() {
        TrackerConfig config = CONFIG.withLostTtlMs(3000);
        ByteTracker dense = new ByteTracker(config);
        ByteTracker sparse = new ByteTracker(config);
        for (int f = 0; f <= 100; f++) {
            long ms = f * 100L;
            List<ScoredBox> dets = slowPair(ms / 1000.0);
            FrameTracks d = dense.update(ms, dets);
            assertThat(idsOf(d, dets)).as("10 fps at %d ms", ms).containsExactly(1L, 2L);
            if (f % 10 == 0) {
                FrameTracks s = sparse.update(ms, dets);
                assertThat(idsOf(s, dets)).as("1 fps at %d ms", ms).containsExactly(1L, 2L);
                assertThat(s.tracks()).extracting(TrackedObject::state).containsOnly(TrackState.CONFIRMED);
                for (int k = 0; k < 2; k++) {
                    assertThat(s.tracks().get(k).box().centreX())
                            .isCloseTo(d.tracks().get(k).box().centreX(), org.assertj.core.api.Assertions.within(2.0));
                }
            }
        }
        assertThat(dense.summaries()).extracting(TrackSummary::id).containsExactly(1L, 2L);
        assertThat(sparse.summaries()).extracting(TrackSummary::id).containsExactly(1L, 2L);
    }

    @Test
    void lowScoreDetectionsKeepATrackAliveThroughTheSecondAssociation() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        for (int f = 0; f <= 20; f++) {
            double score = f >= 5 && f < 15 ? 0.3 : 0.9; // partly occluded: the detector is unsure
            List<ScoredBox> dets = new ArrayList<>(List.of(det(100 + 5 * f, 300, 50, 100, score, "person")));
            dets.add(det(600, 100, 50, 100, 0.3, "person")); // a lone low-score box never starts a track
            FrameTracks frame = tracker.update(f * 100L, dets);
            assertThat(frame.tracks()).as("frame %d", f).hasSize(1);
            TrackedObject t = frame.tracks().get(0);
            assertThat(t.id()).isEqualTo(1);
            assertThat(t.state()).isEqualTo(TrackState.CONFIRMED);
            assertThat(t.matched()).isTrue();
            assertThat(t.score()).isEqualTo(score);
        }
    }

    @Test
    void withoutTheLowScoreBoxesTheTrackIsLostAndReplaced() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        FrameTracks last = null;
        for (int f = 0; f <= 30; f++) {
            double score = f >= 5 && f < 20 ? 0.05 : 0.9; // below lowScore: dropped
            last = tracker.update(f * 100L, List.of(det(100 + 5 * f, 300, 50, 100, score, "person")));
            if (f == 5) {
                assertThat(last.tracks().get(0).state()).isEqualTo(TrackState.LOST);
            }
        }
        assertThat(last.tracks()).extracting(TrackedObject::id).containsExactly(2L);
    }

    @Test
    void aTrackTakesTheScoreWeightedMajorityClass() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        String[] labels = {"car", "car", "truck", "car", "car"};
        FrameTracks frame = null;
        for (int f = 0; f < labels.length; f++) {
            double score = labels[f].equals("truck") ? 0.95 : 0.7;
            frame = tracker.update(f * 200L, List.of(det(300 + 4 * f, 300, 80, 50, score, labels[f])));
            assertThat(frame.tracks().get(0).label()).isEqualTo("car");
        }
        TrackSummary summary = tracker.summaries().get(0);
        assertThat(summary.label()).isEqualTo("car");
        assertThat(summary.classVotes()).containsOnlyKeys("car", "truck");
        assertThat(summary.classVotes().get("car")).isCloseTo(2.8, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(summary.classVotes().get("truck")).isCloseTo(0.95, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(summary.matches()).isEqualTo(5);
    }

    @Test
    void tracksAfterTheFirstFrameAreTentativeUntilMatchedAgain() {
        ByteTracker tracker = new ByteTracker(CONFIG.withMinHits(3));
        tracker.update(0, List.of());
        assertThat(tracker.update(100, List.of(det(100, 100, 40, 80, 0.9, "person"))).tracks())
                .extracting(TrackedObject::state).containsExactly(TrackState.TENTATIVE);
        assertThat(tracker.update(200, List.of(det(102, 100, 40, 80, 0.9, "person"))).tracks())
                .extracting(TrackedObject::state).containsExactly(TrackState.TENTATIVE);
        assertThat(tracker.update(300, List.of(det(104, 100, 40, 80, 0.9, "person"))).tracks())
                .extracting(TrackedObject::state).containsExactly(TrackState.CONFIRMED);
        // A tentative track missing one frame is removed at once, its id never reused.
        tracker.update(400, List.of(det(104, 100, 40, 80, 0.9, "person"), det(400, 100, 40, 80, 0.9, "dog")));
        FrameTracks frame = tracker.update(500, List.of(det(104, 100, 40, 80, 0.9, "person")));
        assertThat(frame.tracks()).extracting(TrackedObject::id, TrackedObject::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, TrackState.CONFIRMED),
                org.assertj.core.groups.Tuple.tuple(2L, TrackState.REMOVED));
        assertThat(frame.ended()).extracting(TrackSummary::confirmed).containsExactly(false);
        frame = tracker.update(600, List.of(det(104, 100, 40, 80, 0.9, "person"), det(400, 100, 40, 80, 0.9, "dog")));
        assertThat(frame.tracks()).extracting(TrackedObject::id).containsExactly(1L, 3L);
    }

    @Test
    void onlyDetectionsAboveTheNewTrackScoreStartTracks() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        FrameTracks frame = tracker.update(0, List.of(det(100, 100, 40, 80, 0.55, "person"),
                det(300, 100, 40, 80, 0.6, "person")));
        assertThat(frame.tracks()).extracting(TrackedObject::id).containsExactly(1L);
        assertThat(frame.tracks().get(0).box().centreX()).isEqualTo(300);
    }

    @Test
    void framesGoingBackInTimeAreRefused() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        tracker.update(1000, List.of());
        assertThatThrownBy(() -> tracker.update(999, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("999");
    }

    /** Two objects, one hidden for a while, one low-score for a while, a third appearing late. */
    private static List<ScoredBox> busyFrame(int f) {
        List<ScoredBox> dets = new ArrayList<>();
        if (f < 12 || f > 16) {
            dets.add(det(100 + 9 * f, 200, 50, 100, 0.9, f % 7 == 3 ? "truck" : "car"));
        }
        dets.add(det(600 - 7 * f, 240, 50, 100, f >= 20 && f < 26 ? 0.35 : 0.8, "person"));
        if (f >= 30) {
            dets.add(det(300, 450, 70, 50, 0.75, "bus"));
        }
        return dets;
    }

    @Test
    void aRestoredSnapshotContinuesExactlyAsAnUninterruptedRun() {
        TrackerConfig config = CONFIG.withLostTtlMs(800);
        ByteTracker uninterrupted = new ByteTracker(config);
        List<FrameTracks> expected = new ArrayList<>();
        for (int f = 0; f < 50; f++) {
            expected.add(uninterrupted.update(f * 100L, busyFrame(f)));
        }
        assertThat(expected.get(49).tracks()).extracting(TrackedObject::id).containsExactly(1L, 2L, 3L);

        JsonSerde<TrackerSnapshot> serde = new JsonSerde<>(TrackerSnapshot.class);
        for (int cut : new int[] {1, 14, 22, 31}) {
            ByteTracker first = new ByteTracker(config);
            List<FrameTracks> actual = new ArrayList<>();
            for (int f = 0; f < cut; f++) {
                actual.add(first.update(f * 100L, busyFrame(f)));
            }
            ByteTracker resumed = ByteTracker.restore(serde.read(serde.write(first.snapshot())));
            for (int f = cut; f < 50; f++) {
                actual.add(resumed.update(f * 100L, busyFrame(f)));
            }
            assertThat(actual).as("resumed after frame %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void aLostTrackDriftingOntoAConfirmedOneIsRemovedAsADuplicate() {
        ByteTracker tracker = new ByteTracker(CONFIG.withLostTtlMs(3000));
        Long removedAt = null;
        for (int f = 0; f < 40; f++) {
            List<ScoredBox> dets = new ArrayList<>(List.of(det(500, 300, 100, 200, 0.9, "person"))); // stands still
            if (f < 10) {
                dets.add(det(300 + 10 * f, 300, 100, 200, 0.9, "person")); // walks towards it, then is hidden
            }
            FrameTracks frame = tracker.update(f * 100L, dets);
            assertThat(track(frame, 1)).extracting(TrackedObject::state).isEqualTo(TrackState.CONFIRMED);
            if (!frame.ended().isEmpty()) {
                assertThat(frame.ended()).extracting(TrackSummary::id).containsExactly(2L);
                removedAt = frame.offsetMs();
            }
        }
        // Predicted on along its walk, it covers the standing one around 2 s, well before its 3 s buffer runs out.
        assertThat(removedAt).isBetween(1700L, 2300L);
    }

    @Test
    void pathsAreBoundedToTheMostRecentPoints() {
        ByteTracker tracker = new ByteTracker(CONFIG);
        for (int f = 0; f < 300; f++) {
            tracker.update(f * 100L, List.of(det(100 + f, 100, 40, 80, 0.9, "person")));
        }
        List<PathPoint> path = tracker.summaries().get(0).path();
        assertThat(path).hasSize(256);
        assertThat(path.get(255).offsetMs()).isEqualTo(29_900);
        assertThat(path.get(0).offsetMs()).isEqualTo(4_400);
    }
}
