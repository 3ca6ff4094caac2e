package io.argus.aggregator.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Tracker cost per frame at 100 boxes (BENCHMARKS.md, tracker against detector). Prints the time;
 * asserts only that the 100 objects keep their ids, since timings on a shared machine vary.
 */
class ByteTrackerBenchmarkTest {

    private static final int OBJECTS = 100;

    /** A 10 x 10 grid of 40 x 80 px boxes in a 1920 x 1080 frame, rows drifting in opposite directions. */
    private static List<ScoredBox> frame(int f) {
        List<ScoredBox> dets = new ArrayList<>(OBJECTS);
        for (int k = 0; k < OBJECTS; k++) {
            int row = k / 10;
            int col = k % 10;
            double cx = 100 + col * 180 + (row % 2 == 0 ? 1.5 : -1.5) * f;
            double cy = 60 + row * 100 + 0.3 * f;
            double score = (k + f) % 9 == 0 ? 0.3 : 0.85; // some low-score boxes for the second stage
            dets.add(ByteTrackerTest.det(cx, cy, 40, 80, score, k % 3 == 0 ? "car" : "person"));
        }
        return dets;
    }

    @Test
    void msPerFrameAtOneHundredBoxes() {
        ByteTracker tracker = new ByteTracker(TrackerConfig.defaults());
        for (int f = 0; f < 100; f++) { // warm-up
            tracker.update(f * 100L, frame(f));
        }
        int frames = 500;
        List<List<ScoredBox>> inputs = new ArrayList<>();
        for (int f = 100; f < 100 + frames; f++) {
            inputs.add(frame(f));
        }
        long start = System.nanoTime();
        FrameTracks last = null;
        for (int i = 0; i < frames; i++) {
            last = tracker.update((100L + i) * 100L, inputs.get(i));
        }
        double msPerFrame = (System.nanoTime() - start) / 1e6 / frames;
        System.out.printf("ByteTracker: %.3f ms per frame at %d boxes (%d frames)%n", msPerFrame, OBJECTS, frames);

        assertThat(last.tracks()).hasSize(OBJECTS);
        assertThat(last.tracks()).extracting(TrackedObject::id).allMatch(id -> id >= 1 && id <= OBJECTS);
        assertThat(last.tracks()).extracting(TrackedObject::state).containsOnly(TrackState.CONFIRMED);
    }
}
