package io.argus.media.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AnnotationsTest {

    private static Overlay box(double x, long track) {
        return Overlay.of(x, 10, 20, 30, "person", track, 0.8);
    }

    @Test
    void aFrameWithAResultShowsThatResultAsItIs() {
        Annotations a = Annotations.builder().frame(1000, List.of(box(0, 1))).frame(1200, List.of(box(100, 1))).build();
        assertEquals(List.of(box(0, 1)), a.overlaysAt(1000, 20));
        assertEquals(List.of(box(0, 1)), a.overlaysAt(1015, 20), "within the tolerance");
        assertEquals(List.of(box(100, 1)), a.overlaysAt(1190, 20));
    }

    @Test
    void betweenTwoResultsATrackIsInterpolatedLinearly() {
        Annotations a = Annotations.builder().frame(1000, List.of(Overlay.of(0, 0, 10, 10, "car", 4, 0.5)))
                .frame(1400, List.of(Overlay.of(40, 80, 30, 50, "car", 4, 0.9))).build();
        List<Overlay> mid = a.overlaysAt(1100, 20);
        assertEquals(1, mid.size());
        Overlay o = mid.get(0);
        assertEquals(10, o.x(), 1e-9);
        assertEquals(20, o.y(), 1e-9);
        assertEquals(15, o.width(), 1e-9);
        assertEquals(20, o.height(), 1e-9);
        assertEquals(4, o.trackId());
        assertEquals(0.5, o.score(), 1e-9, "label and score of the earlier result");
    }

    @Test
    void aTrackSkippedByAResultIsStillInterpolatedFromItsOwnResults() {
        // track 2 is missing from the result at 1200 (occluded): between 1000 and 1400 it is interpolated
        Annotations a = Annotations.builder().frame(1000, List.of(box(0, 1), box(0, 2)))
                .frame(1200, List.of(box(50, 1))).frame(1400, List.of(box(100, 1), box(100, 2))).build();
        List<Overlay> at = a.overlaysAt(1300, 20);
        assertEquals(2, at.size());
        assertTrue(at.stream().anyMatch(o -> o.trackId() == 2 && Math.abs(o.x() - 75) < 1e-9), at.toString());
        assertTrue(at.stream().anyMatch(o -> o.trackId() == 1 && Math.abs(o.x() - 75) < 1e-9), at.toString());
    }

    @Test
    void noBoxBeforeTheFirstAfterTheLastOrAcrossALongGap() {
        Annotations a = Annotations.builder().maxGapMs(1000).frame(1000, List.of(box(0, 1)))
                .frame(1500, List.of(box(10, 1))).frame(5000, List.of(box(90, 1))).frame(9000, List.of()).build();
        assertEquals(List.of(), a.overlaysAt(500, 20), "before the track's first result");
        assertEquals(1, a.overlaysAt(1250, 20).size());
        assertEquals(List.of(), a.overlaysAt(3000, 20), "3.5 s gap is longer than 1 s: the track was lost");
        assertEquals(List.of(), a.overlaysAt(6000, 20), "after the track's last result");
    }

    @Test
    void anUntrackedBoxIsHeldAroundItsOwnResultOnly() {
        Overlay bike = Overlay.of(5, 5, 10, 10, "bicycle", Overlay.NO_TRACK, 0.6);
        Annotations a = Annotations.builder().maxGapMs(1000).frame(1000, List.of(bike))
                .frame(1400, List.of()).build();
        assertEquals(List.of(bike), a.overlaysAt(1150, 20), "nearest result is its own");
        assertEquals(List.of(), a.overlaysAt(1250, 20), "nearest result is the empty one");
        assertEquals(List.of(bike), a.overlaysAt(600, 20), "400 ms before, within max gap / 2");
        assertEquals(List.of(), a.overlaysAt(400, 20), "600 ms before: more than max gap / 2");
    }

    @Test
    void captionsAndLabels() {
        Annotations a = Annotations.builder().caption(2000, List.of("cars 1")).caption(5000, List.of("cars 2")).build();
        assertEquals(List.of(), a.captionAt(1999));
        assertEquals(List.of("cars 1"), a.captionAt(4999));
        assertEquals(List.of("cars 2"), a.captionAt(90_000));
        assertEquals("car #12 0.87", Overlay.of(0, 0, 1, 1, "car", 12, 0.871).text());
        assertEquals("person", Overlay.of(0, 0, 1, 1, "person", Overlay.NO_TRACK, Double.NaN).text());
        assertEquals(Palette.forTrack(3), Overlay.of(0, 0, 1, 1, "car", 3, 0.5).colour());
        assertEquals(Palette.forLabel("car"), Overlay.of(0, 0, 1, 1, "car", Overlay.NO_TRACK, 0.5).colour());
        assertTrue(Palette.forTrack(1) != Palette.forTrack(2));
        assertThrows(IllegalArgumentException.class, () -> Overlay.of(0, 0, 0, 1, "car", 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Overlay.of(0, 0, 1, 1, "car", 1, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new CountingLine("a", List.of(new double[] {0, 0}), CountingLine.YELLOW));
        assertThrows(IllegalArgumentException.class, () -> Annotations.builder().frame(-1, List.of()));
    }
}
