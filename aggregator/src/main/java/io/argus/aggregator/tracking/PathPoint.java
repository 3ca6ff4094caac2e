package io.argus.aggregator.tracking;

/**
 * One point of a track's path: the anchor of its filtered box (bottom centre, where an object
 * touches the ground; the counting anchor of DESIGN.md "Counting") on a frame where it was matched.
 *
 * @param offsetMs offset of the frame in ms
 * @param x        centre x of the box, px
 * @param y        bottom y of the box, px
 */
public record PathPoint(long offsetMs, double x, double y) {
}
