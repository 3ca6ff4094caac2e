package io.argus.aggregator.counting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.aggregator.tracking.Box;

class IntervalCountsTest {

    private static final Box BOX = new Box(0, 0, 10, 20);

    private static CountEvent event(long id, String label, long ms, String line, String direction) {
        return new CountEvent(id, label, ms, line, direction, BOX);
    }

    @Test
    void eventsAreBucketedByTheirOffsetAndSplitByCategory() {
        IntervalCounts counts = new IntervalCounts(1000);
        assertThat(counts.add(event(1, "person", 999, null, "pass"))).isTrue();
        counts.add(event(2, "car", 1000, null, "pass"));
        counts.add(event(3, "bicycle", 1500, null, "pass"));
        counts.add(event(4, "person", 1999, "door", "in"));
        counts.add(event(5, "bus", 1200, "door", "out"));
        assertThat(counts.add(event(6, "dog", 1300, null, "pass"))).as("neither pedestrian nor vehicle").isFalse();

        assertThat(counts.rows()).containsExactly(
                new IntervalCount(0, 0, 1000, null, "pass", 1, 0),
                new IntervalCount(1, 1000, 2000, null, "pass", 0, 2),
                new IntervalCount(1, 1000, 2000, "door", "in", 1, 0),
                new IntervalCount(1, 1000, 2000, "door", "out", 0, 1));
        assertThat(counts.interval(0)).hasSize(1);
        assertThat(counts.interval(7)).isEmpty();
    }

    @Test
    void resumedCountsKeepAdding() {
        IntervalCounts counts = new IntervalCounts(5000);
        counts.add(event(1, "person", 100, "a", "in"));
        IntervalCounts resumed = new IntervalCounts(5000, counts.rows());
        resumed.add(event(2, "person", 200, "a", "in"));
        assertThat(resumed.rows()).containsExactly(new IntervalCount(0, 0, 5000, "a", "in", 2, 0));
    }

    @Test
    void intervalsAreAtLeastOneMillisecond() {
        assertThatThrownBy(() -> new IntervalCounts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new IntervalCounts(1, List.of()).intervalMs()).isEqualTo(1);
    }
}
