/**
 * Counting from tracks as plain Java (DESIGN.md "Counting"): line crossings and passes per track
 * ({@link io.argus.aggregator.counting.TrackCounter}) and their sums per interval
 * ({@link io.argus.aggregator.counting.IntervalCounts}), for pedestrians and vehicles
 * ({@link io.argus.aggregator.counting.ObjectCategory}).
 *
 * <p>Lines are in normalised frame coordinates ([0, 1], origin top-left, y down); boxes in pixels of
 * the frame; offsets in ms from the source start. States are records
 * ({@link io.argus.aggregator.counting.CounterSnapshot},
 * {@link io.argus.aggregator.counting.IntervalCount}) so the caller can persist them.
 */
package io.argus.aggregator.counting;
