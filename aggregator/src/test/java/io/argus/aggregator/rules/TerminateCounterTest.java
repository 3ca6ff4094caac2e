package io.argus.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TerminateCounterTest {

    @Test
    void mode1CountsListedLabelsOfKeptFrames() {
        TerminateCounter c = new TerminateCounter(new TerminateRule(1, Map.of("person", 3)), new HashMap<>());

        c.onKeptFrame(Set.of("person", "car"));
        c.onKeptFrame(Set.of("person"));
        c.onSegmentClosed(Set.of("person"));
        assertThat(c.reached()).isFalse();
        assertThat(c.counts()).isEqualTo(Map.of("person", 2));

        c.onKeptFrame(Set.of("person"));
        assertThat(c.reached()).isTrue();
    }

    @Test
    void mode2CountsClosedSegmentsOnly() {
        TerminateCounter c = new TerminateCounter(new TerminateRule(2, Map.of("car", 2, "dog", 5)), new HashMap<>());

        c.onKeptFrame(Set.of("car"));
        c.onKeptFrame(Set.of("car"));
        assertThat(c.reached()).isFalse();

        c.onSegmentClosed(Set.of("car"));
        assertThat(c.reached()).isFalse();
        c.onSegmentClosed(Set.of("car", "dog"));
        assertThat(c.reached()).isTrue();
        assertThat(c.counts()).isEqualTo(Map.of("car", 2, "dog", 1));
    }

    @Test
    void countsAreUpdatedInTheGivenMapSoTheyCanBeStored() {
        Map<String, Integer> stored = new HashMap<>(Map.of("person", 2));
        TerminateCounter c = new TerminateCounter(new TerminateRule(1, Map.of("person", 3)), stored);

        c.onKeptFrame(Set.of("person"));

        assertThat(stored).containsEntry("person", 3);
        assertThat(c.reached()).isTrue();
    }

    @Test
    void noRuleUnknownModeOrNonPositiveMaxNeverTerminates() {
        TerminateCounter none = new TerminateCounter(null, new HashMap<>());
        TerminateCounter mode3 = new TerminateCounter(new TerminateRule(3, Map.of("a", 1)), new HashMap<>(Map.of("a", 9)));
        TerminateCounter zero = new TerminateCounter(new TerminateRule(1, Map.of("a", 0)), new HashMap<>());

        none.onKeptFrame(Set.of("a"));
        zero.onKeptFrame(Set.of("a"));

        assertThat(none.reached()).isFalse();
        assertThat(mode3.reached()).isFalse();
        assertThat(zero.reached()).isFalse();
    }
}
