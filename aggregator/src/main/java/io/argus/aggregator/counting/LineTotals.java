package io.argus.aggregator.counting;

/**
 * One line's crossings in one direction, in an interval or a whole job.
 *
 * @param line        the line's name
 * @param direction   {@link CountEvent#IN} or {@link CountEvent#OUT}
 * @param pedestrians crossings by {@link ObjectCategory#PEDESTRIAN} tracks
 * @param vehicles    crossings by {@link ObjectCategory#VEHICLE} tracks
 */
public record LineTotals(String line, String direction, int pedestrians, int vehicles) {
}
