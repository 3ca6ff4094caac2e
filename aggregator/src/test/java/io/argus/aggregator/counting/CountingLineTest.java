package io.argus.aggregator.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CountingLineTest {

    private static CountingLine line(double... xy) {
        List<NormPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < xy.length; i += 2) {
            points.add(new NormPoint(xy[i], xy[i + 1]));
        }
        return new CountingLine("l", points);
    }

    @Test
    void aHorizontalLineDrawnLeftToRightCountsDownAsIn() {
        CountingLine l = line(0, 0.5, 1, 0.5);
        assertThat(l.crossing(0.3, 0.4, 0.3, 0.6)).isEqualTo(1);
        assertThat(l.crossing(0.3, 0.6, 0.3, 0.4)).isEqualTo(-1);
        assertThat(l.crossing(0.3, 0.1, 0.3, 0.4)).as("no crossing").isZero();
    }

    @Test
    void aVerticalLineDrawnTopToBottomCountsRightToLeftAsIn() {
        CountingLine l = line(0.5, 0, 0.5, 1);
        assertThat(l.crossing(0.7, 0.5, 0.3, 0.5)).isEqualTo(1);
        assertThat(l.crossing(0.3, 0.5, 0.7, 0.5)).isEqualTo(-1);
    }

    @Test
    void reversingTheLineReversesTheSense() {
        assertThat(line(1, 0.5, 0, 0.5).crossing(0.3, 0.4, 0.3, 0.6)).isEqualTo(-1);
    }

    @Test
    void onlyCrossingsBetweenTheEndsCount() {
        CountingLine l = line(0.2, 0.5, 0.6, 0.5);
        assertThat(l.crossing(0.7, 0.4, 0.7, 0.6)).as("beyond the right end").isZero();
        assertThat(l.crossing(0.1, 0.4, 0.1, 0.6)).as("beyond the left end").isZero();
        assertThat(l.crossing(0.59, 0.4, 0.59, 0.6)).isEqualTo(1);
    }

    @Test
    void aPointOnTheLineIsOnItsRightHandSide() {
        CountingLine l = line(0, 0.5, 1, 0.5);
        assertThat(l.crossing(0.3, 0.4, 0.3, 0.5)).as("onto the line from the left: in").isEqualTo(1);
        assertThat(l.crossing(0.3, 0.5, 0.3, 0.6)).as("on to the right side: nothing new").isZero();
    }

    @Test
    void polylinesCountTheSegmentCrossed() {
        // An L: along y = 0.5 from x = 0.1 to 0.5, then up to y = 0.1.
        CountingLine l = line(0.1, 0.5, 0.5, 0.5, 0.5, 0.1);
        assertThat(l.crossing(0.3, 0.4, 0.3, 0.6)).as("first segment, downwards").isEqualTo(1);
        // Second segment points up; its right-hand side on screen is x > 0.5.
        assertThat(l.crossing(0.4, 0.3, 0.6, 0.3)).as("second segment, rightwards").isEqualTo(1);
        assertThat(l.crossing(0.6, 0.3, 0.4, 0.3)).isEqualTo(-1);
        assertThat(l.crossing(0.6, 0.6, 0.7, 0.7)).as("outside the L").isZero();
    }

    @Test
    void badLinesAreRefused() {
        assertThatThrownBy(() -> line(0.1, 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two points");
        assertThatThrownBy(() -> line(0.1, 0.1, 0.1, 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats");
        assertThatThrownBy(() -> new NormPoint(1.2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CountingLine(" ", List.of(new NormPoint(0, 0), new NormPoint(1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        CountingLine a = line(0, 0, 1, 1);
        assertThatThrownBy(() -> CounterConfig.of(100, 100, List.of(a, a))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique");
    }

    @Test
    void categoriesFollowTheCocoLabels() {
        assertThat(ObjectCategory.of("person")).isEqualTo(ObjectCategory.PEDESTRIAN);
        for (String v : List.of("car", "truck", "bus", "motorcycle", "bicycle")) {
            assertThat(ObjectCategory.of(v)).as(v).isEqualTo(ObjectCategory.VEHICLE);
        }
        assertThat(ObjectCategory.of("dog")).isNull();
    }
}
