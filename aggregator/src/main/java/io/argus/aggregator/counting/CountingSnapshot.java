package io.argus.aggregator.counting;

import java.util.List;

/**
 * The whole state of a {@link TrafficCounting}, plain data that a JSON serde can write.
 *
 * @param settings     how the job counts
 * @param counter      the track counter's state
 * @param started      whether a frame was counted
 * @param firstIndex   the first frame's interval
 * @param nextInterval the oldest interval not reported yet
 * @param lastOffsetMs the last frame's offset, ms
 * @param open         counts of the intervals not reported yet that have any, oldest first
 * @param total        the job's counts so far
 */
public record CountingSnapshot(TrafficSettings settings, CounterSnapshot counter, boolean started, long firstIndex,
                               long nextInterval, long lastOffsetMs, List<IntervalTotals> open,
                               IntervalTotals total) {
}
