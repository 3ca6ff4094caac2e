package io.argus.aggregator.tracking;

/**
 * One point of a track's path: the centre of its filtered box on a frame where it was matched.
 *
 * @param offsetMs offset of the frame in ms
 * @param x        centre x, px
 * @param y        centre y, px
 */
public record PathPoint(long offsetMs, double x, double y) {
}
