package io.argus.aggregator.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.aggregator.state.JsonSerde;
import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.ByteTracker;
import io.argus.aggregator.tracking.FrameTracks;
import io.argus.aggregator.tracking.ScoredBox;
import io.argus.aggregator.tracking.TrackSummary;
import io.argus.aggregator.tracking.TrackedObject;
import io.argus.aggregator.tracking.TrackerConfig;
import io.argus.aggregator.tracking.TrackerSnapshot;

/** Tracker and counter together on hand-made detections in a 1920 x 1080 frame. */
class CountingScenarioTest {

    private static final int W = 1920;
    private static final int H = 1080;
    /** y = 540 px, drawn left to right: moving down is "in". */
    private static final CountingLine MIDDLE = new CountingLine("middle",
            List.of(new NormPoint(0, 0.5), new NormPoint(1, 0.5)));
    /** x = 960 px, drawn top to bottom: moving from right to left is "in". */
    private static final CountingLine DOOR = new CountingLine("door",
            List.of(new NormPoint(0.5, 0), new NormPoint(0.5, 1)));

    /** A detection of a w x h box with its bottom centre at (x, bottom). */
    private static ScoredBox det(double x, double bottom, double w, double h, double score, String label) {
        return new ScoredBox(new Box(x - w / 2, bottom - h, x + w / 2, bottom), score, label);
    }

    /** Runs tracker, counter and intervals over frames; keeps everything they said. */
    private static final class Run {
        final ByteTracker tracker;
        final TrackCounter counter;
        final IntervalCounts intervals;
        final List<CountEvent> events = new ArrayList<>();
        final List<FrameTracks> frames = new ArrayList<>();

        Run(TrackerConfig tracking, CounterConfig counting, long intervalMs) {
            this(new ByteTracker(tracking), new TrackCounter(counting), new IntervalCounts(intervalMs));
        }

        Run(ByteTracker tracker, TrackCounter counter, IntervalCounts intervals) {
            this.tracker = tracker;
            this.counter = counter;
            this.intervals = intervals;
        }

        void frame(long ms, List<ScoredBox> detections) {
            FrameTracks f = tracker.update(ms, detections);
            frames.add(f);
            for (CountEvent e : counter.onFrame(f)) {
                events.add(e);
                intervals.add(e);
            }
        }
    }

    @Test
    void aBoxFlickeringAcrossALineCountsOnce() {
        Run run = new Run(TrackerConfig.defaults(), CounterConfig.of(W, H, List.of(MIDDLE)), 10_000);
        int sideChanges = 0;
        Boolean below = null;
        long ms = 0;
        for (int f = 0; f < 30; f++, ms += 100) {
            // Box bottoms 15 px either side of the line, one frame in four a low-score box.
            run.frame(ms, List.of(det(800, f % 2 == 0 ? 525 : 555, 50, 120, f % 4 == 2 ? 0.4 : 0.8, "person")));
            assertThat(run.frames.get(f).tracks()).extracting(TrackedObject::id).as("frame %d", f).containsExactly(1L);
            double anchor = run.frames.get(f).tracks().get(0).box().bottom();
            if (below != null && below != (anchor >= 540)) {
                sideChanges++;
            }
            below = anchor >= 540;
        }
        assertThat(sideChanges).as("the tracked anchor really flickers across the line").isGreaterThanOrEqualTo(10);
        assertThat(run.events).as("while it flickers").isEmpty();
        for (int f = 0; f < 10; f++, ms += 100) {
            run.frame(ms, List.of(det(800, 600, 50, 120, 0.8, "person")));
        }
        assertThat(run.events).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction, CountEvent::label)
                .containsExactly(tuple(1L, "middle", "in", "person"));
        assertThat(run.intervals.rows()).containsExactly(new IntervalCount(0, 0, 10_000, "middle", "in", 1, 0));
    }

    @Test
    void aParkedCarNeitherPassesNorCrossesWhileAPassingCarDoes() {
        Run run = new Run(TrackerConfig.defaults(), CounterConfig.of(W, H, List.of(MIDDLE)), 5_000);
        for (int f = 0; f < 120; f++) {
            double jitter = (f * 7 % 5) - 2;
            List<ScoredBox> dets = new ArrayList<>();
            // Parked with its bottom 5 px above the line, the box jittering by up to 2 px.
            dets.add(det(400 + jitter, 535 + jitter, 200, 120, 0.85, "car"));
            if (f >= 10 && f < 110) {
                dets.add(det(1500, 200 + 8 * (f - 10), 180, 110, 0.9, "car")); // drives down 800 px in 10 s
            }
            run.frame(f * 100L, dets);
        }
        assertThat(run.events).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction)
                .containsExactlyInAnyOrder(tuple(2L, "middle", "in"), tuple(2L, null, "pass"));
        assertThat(run.intervals.rows()).extracting(IntervalCount::index, IntervalCount::line,
                IntervalCount::direction, IntervalCount::vehicles).containsExactly(
                tuple(1L, null, "pass", 1), tuple(1L, "middle", "in", 1));
    }

    @Test
    void aCarSeenFourTimesAsCarAndOnceAsTruckCountsAsACarOnce() {
        Run run = new Run(TrackerConfig.defaults().withLostTtlMs(3000), CounterConfig.of(W, H, List.of(MIDDLE)), 60_000);
        String[] labels = {"car", "car", "truck", "car", "car"};
        for (int f = 0; f < labels.length; f++) { // 1 fps
            double score = labels[f].equals("truck") ? 0.9 : 0.7;
            run.frame(f * 1000L, List.of(det(700, 480 + 30 * f, 160, 120, score, labels[f])));
        }
        assertThat(run.events).extracting(CountEvent::trackId, CountEvent::label, CountEvent::line, CountEvent::direction)
                .containsExactly(tuple(1L, "car", "middle", "in"));
        assertThat(run.intervals.rows()).containsExactly(new IntervalCount(0, 0, 60_000, "middle", "in", 0, 1));
        TrackSummary summary = run.tracker.summaries().get(0);
        assertThat(summary.classVotes()).containsOnlyKeys("car", "truck");
        assertThat(summary.label()).isEqualTo("car");
    }

    /** A walks right along y = 600, B walks left along y = 615; they meet at x = 960 at 2.6 s. */
    private static List<ScoredBox> crossingPair(int f) {
        return List.of(det(700 + 10 * f, 600, 40, 100, 0.9, "person"), det(1220 - 10 * f, 615, 40, 100, 0.85, "person"));
    }

    @Test
    void twoPeopleCrossingPathsAtADoorCountOneInAndOneOut() {
        Run run = new Run(TrackerConfig.defaults(), CounterConfig.of(W, H, List.of(DOOR)), 2_000);
        for (int f = 0; f <= 52; f++) {
            run.frame(f * 100L, crossingPair(f));
        }
        assertThat(run.frames.get(52).tracks()).extracting(TrackedObject::id).containsExactly(1L, 2L);
        assertThat(run.events).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction)
                .containsExactlyInAnyOrder(tuple(1L, "door", "out"), tuple(2L, "door", "in"),
                        tuple(1L, null, "pass"), tuple(2L, null, "pass"));
        assertThat(run.intervals.rows()).containsExactly(
                new IntervalCount(1, 2000, 4000, "door", "in", 1, 0),
                new IntervalCount(1, 2000, 4000, "door", "out", 1, 0),
                new IntervalCount(2, 4000, 6000, null, "pass", 2, 0));
    }

    /** Large, slow people: A walks right from x = 800 at 40 px/s, B left from 1100 at 30 px/s. */
    private static List<ScoredBox> slowPair(long ms) {
        double t = ms / 1000.0;
        return List.of(det(800 + 40 * t, 700, 120, 240, 0.9, "person"), det(1100 - 30 * t, 900, 120, 240, 0.8, "person"));
    }

    @Test
    void sparseAndDenseSamplingGiveTheSameIdsAndCounts() {
        TrackerConfig tracking = TrackerConfig.defaults().withLostTtlMs(3000);
        CounterConfig counting = CounterConfig.of(W, H, List.of(DOOR));
        // Crossings are seen up to one sampling period later at 1 fps: intervals much longer than that agree.
        Run dense = new Run(tracking, counting, 60_000);
        Run sparse = new Run(tracking, counting, 60_000);
        for (long ms = 0; ms <= 10_000; ms += 100) {
            dense.frame(ms, slowPair(ms));
            if (ms % 1000 == 0) {
                sparse.frame(ms, slowPair(ms));
            }
        }
        for (Run run : List.of(dense, sparse)) {
            assertThat(run.tracker.summaries()).extracting(TrackSummary::id).containsExactly(1L, 2L);
            assertThat(run.events).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction)
                    .containsExactlyInAnyOrder(tuple(1L, "door", "out"), tuple(2L, "door", "in"));
        }
        assertThat(sparse.intervals.rows()).isEqualTo(dense.intervals.rows());
        assertThat(dense.intervals.rows()).extracting(IntervalCount::index, IntervalCount::direction,
                IntervalCount::pedestrians).containsExactly(tuple(0L, "in", 1), tuple(0L, "out", 1));
    }

    /**
     * A busy scene: the crossing pair; a person coming from above the middle line, flickering
     * across it for 3 s and staying below; a parked car.
     */
    private static List<ScoredBox> busy(int f) {
        List<ScoredBox> dets = new ArrayList<>(crossingPair(f));
        if (f >= 5) {
            double bottom = f < 35 ? (f % 2 == 1 ? 525 : 555) : 560;
            dets.add(det(300, bottom, 50, 120, f % 4 == 0 ? 0.4 : 0.8, "person"));
        }
        dets.add(det(1600 + (f % 3), 900, 220, 130, 0.9, f % 10 == 0 ? "truck" : "car"));
        return dets;
    }

    @Test
    void aRestoredStateCountsExactlyAsAnUninterruptedRun() {
        TrackerConfig tracking = TrackerConfig.defaults();
        CounterConfig counting = CounterConfig.of(W, H, List.of(MIDDLE, DOOR));
        Run uninterrupted = new Run(tracking, counting, 2_000);
        for (int f = 0; f < 60; f++) {
            uninterrupted.frame(f * 100L, busy(f));
        }
        assertThat(uninterrupted.events).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction)
                .containsExactlyInAnyOrder(tuple(1L, "door", "out"), tuple(2L, "door", "in"),
                        tuple(1L, null, "pass"), tuple(2L, null, "pass"), tuple(4L, "middle", "in"));

        JsonSerde<TrackerSnapshot> trackerSerde = new JsonSerde<>(TrackerSnapshot.class);
        JsonSerde<CounterSnapshot> counterSerde = new JsonSerde<>(CounterSnapshot.class);
        JsonSerde<IntervalCount[]> rowsSerde = new JsonSerde<>(IntervalCount[].class);
        for (int cut : new int[] {3, 27, 29, 36, 47}) { // 27-29: the door crossings wait their dwell time
            Run first = new Run(tracking, counting, 2_000);
            for (int f = 0; f < cut; f++) {
                first.frame(f * 100L, busy(f));
            }
            Run resumed = new Run(
                    ByteTracker.restore(trackerSerde.read(trackerSerde.write(first.tracker.snapshot()))),
                    TrackCounter.restore(counterSerde.read(counterSerde.write(first.counter.snapshot()))),
                    new IntervalCounts(2_000, List.of(rowsSerde.read(rowsSerde.write(
                            first.intervals.rows().toArray(IntervalCount[]::new))))));
            resumed.events.addAll(first.events);
            resumed.frames.addAll(first.frames);
            for (int f = cut; f < 60; f++) {
                resumed.frame(f * 100L, busy(f));
            }
            assertThat(resumed.frames).as("tracks, resumed after frame %d", cut).isEqualTo(uninterrupted.frames);
            assertThat(resumed.events).as("events, resumed after frame %d", cut).isEqualTo(uninterrupted.events);
            assertThat(resumed.intervals.rows()).isEqualTo(uninterrupted.intervals.rows());
        }
    }
}
