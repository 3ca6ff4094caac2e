package io.argus.aggregator.counting;

import java.util.List;

/**
 * The counts of one interval, or of a whole job ({@code index} -1).
 *
 * @param index       {@code floor(startMs / intervalMs)}, or -1 for a job's totals
 * @param startMs     first offset, ms (inclusive)
 * @param endMs       end, ms (exclusive)
 * @param pedestrians passes of {@link ObjectCategory#PEDESTRIAN} tracks
 * @param vehicles    passes of {@link ObjectCategory#VEHICLE} tracks
 * @param lines       each line's crossings, lines in configuration order, {@code in} before
 *                    {@code out}, only the directions the line counts, zeros included
 */
public record IntervalTotals(long index, long startMs, long endMs, int pedestrians, int vehicles,
                             List<LineTotals> lines) {
}
