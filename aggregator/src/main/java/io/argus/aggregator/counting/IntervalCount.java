package io.argus.aggregator.counting;

/**
 * Counts of one kind in one interval.
 *
 * @param index       the interval's number, {@code floor(offsetMs / intervalMs)}
 * @param startMs     its first offset, ms (inclusive)
 * @param endMs       its end, ms (exclusive)
 * @param line        the line's name, or null for passes
 * @param direction   {@link CountEvent#IN}, {@link CountEvent#OUT} or {@link CountEvent#PASS}
 * @param pedestrians events of {@link ObjectCategory#PEDESTRIAN} objects
 * @param vehicles    events of {@link ObjectCategory#VEHICLE} objects
 */
public record IntervalCount(long index, long startMs, long endMs, String line, String direction, int pedestrians,
                            int vehicles) {
}
