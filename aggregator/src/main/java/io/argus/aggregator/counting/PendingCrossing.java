package io.argus.aggregator.counting;

import io.argus.aggregator.tracking.Box;

/**
 * A crossing seen but not counted yet: the anchor must stay on the new side for
 * {@link CounterConfig#minDwellMs()} first.
 *
 * @param line      the line's name
 * @param direction {@link CountEvent#IN} or {@link CountEvent#OUT}
 * @param offsetMs  offset in ms of the first frame with the anchor on the new side
 * @param box       the track's box on that frame, px
 */
public record PendingCrossing(String line, String direction, long offsetMs, Box box) {
}
