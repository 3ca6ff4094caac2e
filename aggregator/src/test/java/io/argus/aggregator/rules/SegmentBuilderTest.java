package io.argus.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SegmentBuilderTest {

    @Test
    void framesWithTheSameNamesJoinAndKeepTheMaxScore() {
        SegmentBuilder b = new SegmentBuilder();

        SegmentBuilder.Step first = b.add(Map.of("person", 0.4f), 0);
        SegmentBuilder.Step second = b.add(Map.of("person", 0.9f), 1000);
        SegmentBuilder.Step third = b.add(Map.of("person", 0.6f), 2000);

        assertThat(first.closed()).isNull();
        assertThat(second.closed()).isNull();
        assertThat(third.index()).isZero();
        assertThat(third.cut()).isEqualTo(2);
        assertThat(b.open()).isEqualTo(new SegmentDraft(0, Map.of("person", 0.9f), 0, 2000, 3));
    }

    @Test
    void aDifferentNameSetClosesTheOpenSegmentAndOpensANewOne() {
        SegmentBuilder b = new SegmentBuilder();
        b.add(Map.of("a", 0.5f), 0);

        SegmentBuilder.Step step = b.add(Map.of("a", 0.5f, "b", 0.5f), 1000);

        assertThat(step.closedSegment()).contains(new SegmentDraft(0, Map.of("a", 0.5f), 0, 0, 1));
        assertThat(step.index()).isEqualTo(1);
        assertThat(step.cut()).isZero();
        assertThat(b.closedCount()).isEqualTo(1);
        assertThat(b.open().names()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void scoresDoNotSplitSegments() {
        SegmentBuilder b = new SegmentBuilder();
        b.add(Map.of("a", 0.1f, "b", 0.9f), 0);

        assertThat(b.add(Map.of("b", 0.2f, "a", 0.8f), 500).closed()).isNull();
        assertThat(b.open().labels()).isEqualTo(Map.of("a", 0.8f, "b", 0.9f));
    }

    @Test
    void emptyFramesShareASegmentOfTheirOwn() {
        SegmentBuilder b = new SegmentBuilder();
        b.add(Map.of(), 0);
        b.add(Map.of(), 1000);

        SegmentBuilder.Step step = b.add(Map.of("car", 0.7f), 2000);

        assertThat(step.closedSegment()).contains(new SegmentDraft(0, Map.of(), 0, 1000, 2));
        assertThat(b.add(Map.of(), 3000).closedSegment()).contains(new SegmentDraft(1, Map.of("car", 0.7f), 2000, 2000, 1));
    }

    @Test
    void closeEndsTheOpenSegmentOnceAndNumbersSegmentsInClosingOrder() {
        SegmentBuilder b = new SegmentBuilder();
        b.add(Map.of("a", 1f), 0);

        Optional<SegmentDraft> closed = b.close();
        Optional<SegmentDraft> again = b.close();
        SegmentBuilder.Step next = b.add(Map.of("a", 1f), 5000);

        assertThat(closed).isPresent();
        assertThat(closed.get().index()).isZero();
        assertThat(again).isEmpty();
        assertThat(next.index()).isEqualTo(1);
    }

    @Test
    void aResumedBuilderContinuesWhereItStopped() {
        SegmentBuilder first = new SegmentBuilder();
        first.add(Map.of("a", 0.5f), 0);
        first.close();
        first.add(Map.of("b", 0.5f), 1000);

        SegmentBuilder resumed = new SegmentBuilder(first.open(), first.closedCount());
        SegmentBuilder.Step step = resumed.add(Map.of("b", 0.7f), 2000);

        assertThat(step.index()).isEqualTo(1);
        assertThat(step.cut()).isEqualTo(1);
        assertThat(resumed.open().offsetBegin()).isEqualTo(1000);
        assertThat(resumed.open().offsetEnd()).isEqualTo(2000);
    }

    @Test
    void fixedWindowsAnchoredAtTheFirstFrameSplitSegmentsWhoseLabelsNeverChange() {
        SegmentBuilder b = new SegmentBuilder(null, 0, new SegmentBuilder.Windows(2000L, null, null));
        b.seen(500); // the first frame anchors the windows: [500, 2500), [2500, 4500), ...
        java.util.List<SegmentDraft> closed = new java.util.ArrayList<>();
        for (long t = 500; t <= 6000; t += 500) {
            b.add(Map.of("person", 0.8f), t).closedSegment().ifPresent(closed::add);
        }
        assertThat(closed).extracting(SegmentDraft::offsetBegin).containsExactly(500L, 2500L);
        assertThat(closed).extracting(SegmentDraft::offsetEnd).containsExactly(2000L, 4000L);
        assertThat(b.open().offsetBegin()).isEqualTo(4500L);
        assertThat(b.windows().anchorMs()).isEqualTo(500L);
        // resumed from its state, the builder keeps the anchor
        SegmentBuilder resumed = new SegmentBuilder(b.open(), b.closedCount(), b.windows());
        resumed.seen(99_999);
        assertThat(resumed.add(Map.of("person", 0.8f), 6500).closedSegment()).get()
                .extracting(SegmentDraft::offsetBegin).isEqualTo(4500L);
    }

    @Test
    void aLongestSegmentClosesAndContinues() {
        SegmentBuilder b = new SegmentBuilder(null, 0, new SegmentBuilder.Windows(null, 3000L, null));
        java.util.List<SegmentDraft> closed = new java.util.ArrayList<>();
        for (long t = 0; t <= 7000; t += 1000) {
            b.add(Map.of(), t).closedSegment().ifPresent(closed::add);
        }
        assertThat(closed).extracting(SegmentDraft::offsetBegin).containsExactly(0L, 3000L);
        assertThat(closed).extracting(SegmentDraft::frames).containsExactly(3, 3);
        assertThat(b.open().offsetBegin()).isEqualTo(6000L);
        assertThat(new SegmentBuilder().add(Map.of(), 0).closed()).isNull();
    }
}
