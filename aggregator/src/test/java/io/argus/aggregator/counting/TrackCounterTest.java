package io.argus.aggregator.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.TrackState;
import io.argus.aggregator.tracking.TrackedObject;

/** The counting rules on tracks made by hand, in a 1000 x 1000 px frame. */
class TrackCounterTest {

    /** Horizontal line at y = 500 px, drawn left to right: moving down is "in". */
    private static final CountingLine MIDDLE = new CountingLine("middle",
            List.of(new NormPoint(0, 0.5), new NormPoint(1, 0.5)));

    private static TrackCounter counter(long dwellMs, CountingLine... lines) {
        return new TrackCounter(new CounterConfig(1000, 1000, List.of(lines), dwellMs, 0.2));
    }

    /** A 40 x 80 box with its bottom centre at (x, bottom). */
    private static TrackedObject obj(long id, double x, double bottom, TrackState state, boolean matched, String label) {
        return new TrackedObject(id, label, new Box(x - 20, bottom - 80, x + 20, bottom), 0.9, state, matched);
    }

    private static TrackedObject seen(long id, double x, double bottom) {
        return obj(id, x, bottom, TrackState.CONFIRMED, true, "person");
    }

    @Test
    void aCrossingCountsOnceTheAnchorHasStayedOnTheNewSide() {
        TrackCounter c = counter(500, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        double[] bottoms = {460, 480, 495, 505, 515, 525, 535, 545, 555, 565};
        for (int f = 0; f < bottoms.length; f++) {
            List<CountEvent> events = c.onFrame(f * 100L, List.of(seen(7, 300, bottoms[f])));
            if (f < 8) {
                assertThat(events).as("frame %d: dwell not over", f).isEmpty();
            }
            all.addAll(events);
        }
        // Crossed between 200 and 300 ms; counted at 800 ms, 500 ms after the first frame below.
        assertThat(all).extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction, CountEvent::offsetMs)
                .containsExactly(tuple(7L, "middle", "in", 300L));
        assertThat(all.get(0).box().bottom()).isEqualTo(505);
    }

    @Test
    void flickerAcrossTheLineCountsNothingUntilItStays() {
        TrackCounter c = counter(500, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        long ms = 0;
        for (int f = 0; f < 20; f++, ms += 100) {
            all.addAll(c.onFrame(ms, List.of(seen(1, 300, f % 2 == 0 ? 495 : 505))));
        }
        assertThat(all).as("20 frames of flicker").isEmpty();
        // The last flicker (1900 ms) put it below the line, where it now stays.
        for (int f = 0; f < 10; f++, ms += 100) {
            all.addAll(c.onFrame(ms, List.of(seen(1, 300, 520))));
        }
        assertThat(all).extracting(CountEvent::direction, CountEvent::offsetMs).containsExactly(tuple("in", 1900L));
    }

    @Test
    void eachTrackLineAndDirectionCountsAtMostOnce() {
        TrackCounter c = counter(0, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        double[] bottoms = {450, 550, 450, 550, 450, 550};
        for (int f = 0; f < bottoms.length; f++) {
            all.addAll(c.onFrame(f * 1000L, List.of(seen(3, 300, bottoms[f]))));
        }
        assertThat(all).extracting(CountEvent::direction, CountEvent::offsetMs)
                .containsExactly(tuple("in", 1000L), tuple("out", 2000L));
    }

    @Test
    void aTrackLostJustAfterCrossingCountsOnlyIfFoundAgainOnTheNewSide() {
        TrackCounter c = counter(500, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        all.addAll(c.onFrame(0, List.of(seen(1, 300, 480), seen(2, 700, 480))));
        all.addAll(c.onFrame(100, List.of(seen(1, 300, 520), seen(2, 700, 520))));
        for (long ms = 200; ms <= 1000; ms += 100) {
            all.addAll(c.onFrame(ms, List.of(obj(1, 300, 520, TrackState.LOST, false, "person"),
                    obj(2, 700, 520, TrackState.LOST, false, "person"))));
        }
        assertThat(all).as("not seen to stay").isEmpty();
        all.addAll(c.onFrame(1100, List.of(obj(1, 300, 520, TrackState.REMOVED, false, "person"),
                obj(2, 700, 530, TrackState.CONFIRMED, true, "person"))));
        assertThat(all).extracting(CountEvent::trackId, CountEvent::offsetMs).containsExactly(tuple(2L, 100L));
    }

    @Test
    void onlyConfirmedTracksCount() {
        TrackCounter c = counter(0, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        all.addAll(c.onFrame(0, List.of(obj(1, 300, 450, TrackState.TENTATIVE, true, "person"))));
        all.addAll(c.onFrame(100, List.of(obj(1, 300, 550, TrackState.TENTATIVE, true, "person"))));
        all.addAll(c.onFrame(200, List.of(obj(1, 300, 550, TrackState.REMOVED, false, "person"))));
        assertThat(all).isEmpty();

        // A crossing made while tentative counts when the track is confirmed, still on the new side.
        all.addAll(c.onFrame(300, List.of(obj(2, 300, 450, TrackState.TENTATIVE, true, "person"))));
        all.addAll(c.onFrame(400, List.of(obj(2, 300, 550, TrackState.TENTATIVE, true, "person"))));
        assertThat(all).isEmpty();
        all.addAll(c.onFrame(500, List.of(obj(2, 300, 560, TrackState.CONFIRMED, true, "person"))));
        assertThat(all).extracting(CountEvent::trackId, CountEvent::offsetMs).containsExactly(tuple(2L, 400L));
    }

    @Test
    void aTrackLostAtTheLineAndFoundBeyondItCountsOnce() {
        TrackCounter c = counter(300, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        all.addAll(c.onFrame(0, List.of(seen(4, 300, 470))));
        all.addAll(c.onFrame(100, List.of(seen(4, 300, 490))));
        for (long ms = 200; ms <= 600; ms += 100) {
            all.addAll(c.onFrame(ms, List.of(obj(4, 300, 500 + ms / 20.0, TrackState.LOST, false, "person"))));
        }
        assertThat(all).as("lost tracks do not move the anchor").isEmpty();
        all.addAll(c.onFrame(700, List.of(seen(4, 300, 535))));
        all.addAll(c.onFrame(1000, List.of(seen(4, 300, 560))));
        assertThat(all).extracting(CountEvent::direction, CountEvent::offsetMs).containsExactly(tuple("in", 700L));
    }

    @Test
    void aPassCountsOnceOnTheFrameTheTrackHasMovedAFifthOfTheDiagonal() {
        TrackCounter c = counter(500);
        List<CountEvent> all = new ArrayList<>();
        // Diagonal 1414.2 px, a fifth is 282.8 px: reached after 15 steps of 20 px.
        for (int f = 0; f <= 40; f++) {
            List<CountEvent> events = c.onFrame(f * 100L, List.of(seen(9, 100 + 20 * f, 700)));
            all.addAll(events);
        }
        assertThat(all).extracting(CountEvent::trackId, CountEvent::direction, CountEvent::offsetMs, CountEvent::line)
                .containsExactly(tuple(9L, "pass", 1500L, null));
        assertThat(all.get(0).box().centreX()).isEqualTo(400);
    }

    @Test
    void aParkedObjectNeverPassesNorCrosses() {
        TrackCounter c = counter(0, MIDDLE);
        List<CountEvent> all = new ArrayList<>();
        for (int f = 0; f < 600; f++) {
            double jitter = (f * 7 % 11) - 5; // +-5 px of box jitter
            all.addAll(c.onFrame(f * 100L, List.of(obj(5, 600 + jitter, 480 + jitter, TrackState.CONFIRMED, true, "car"))));
        }
        assertThat(all).isEmpty();
    }

    @Test
    void aTrackKeepsTheClassOfItsFirstCount() {
        CountingLine second = new CountingLine("second", List.of(new NormPoint(0, 0.8), new NormPoint(1, 0.8)));
        TrackCounter c = counter(0, MIDDLE, second);
        List<CountEvent> all = new ArrayList<>();
        all.addAll(c.onFrame(0, List.of(obj(6, 300, 450, TrackState.CONFIRMED, true, "car"))));
        all.addAll(c.onFrame(100, List.of(obj(6, 300, 550, TrackState.CONFIRMED, true, "car"))));
        all.addAll(c.onFrame(200, List.of(obj(6, 300, 750, TrackState.CONFIRMED, true, "truck"))));
        all.addAll(c.onFrame(300, List.of(obj(6, 300, 850, TrackState.CONFIRMED, true, "truck"))));
        assertThat(all).extracting(CountEvent::line, CountEvent::direction, CountEvent::label).containsExactly(
                tuple("middle", "in", "car"),
                tuple(null, "pass", "car"),
                tuple("second", "in", "car"));
    }
}
