package io.argus.aggregator.counting;

import java.util.List;

/**
 * What one frame did to a job's counts ({@link TrafficCounting#onFrame}).
 *
 * @param offsetMs               the frame's offset, ms
 * @param events                 the passes and crossings counted on it (crossings of a direction its
 *                               line does not count left out), by track id
 * @param people                 confirmed pedestrian tracks matched on the frame (in view)
 * @param vehicles               confirmed vehicle tracks matched on the frame
 * @param intervalIndex          {@code floor(offsetMs / intervalMs)}
 * @param pedestriansInInterval  pedestrian passes counted so far in that interval
 * @param vehiclesInInterval     vehicle passes counted so far in that interval
 * @param settled                intervals no later count can fall in any more, oldest first: each
 *                               interval is reported once, empty ones too
 */
public record FrameCounting(long offsetMs, List<CountEvent> events, int people, int vehicles, long intervalIndex,
                            int pedestriansInInterval, int vehiclesInInterval, List<IntervalTotals> settled) {
}
