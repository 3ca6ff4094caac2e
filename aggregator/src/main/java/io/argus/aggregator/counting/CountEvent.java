package io.argus.aggregator.counting;

import io.argus.aggregator.tracking.Box;

/**
 * One count, auditable: which track, as what, when and where.
 *
 * @param trackId   the track's id
 * @param label     the class it is counted as (its majority vote when it was first counted; see
 *                  {@link TrackCounter})
 * @param offsetMs  offset in ms of the frame the count is about: for a crossing the first frame with
 *                  the anchor on the new side, for a pass the frame on which it qualified
 * @param line      the line's name, or null for a pass
 * @param direction {@link #IN}, {@link #OUT} or {@link #PASS}
 * @param box       the track's box on that frame, px (for a crop of the object)
 */
public record CountEvent(long trackId, String label, long offsetMs, String line, String direction, Box box) {

    /** Crossing from the line's left-hand side to its right-hand side (see {@link CountingLine}). */
    public static final String IN = "in";
    /** Crossing from the line's right-hand side to its left-hand side. */
    public static final String OUT = "out";
    /** A pass: the track moved far enough (see {@link CounterConfig#passFraction()}). */
    public static final String PASS = "pass";

    /** @return the category counted, or null when the label is neither pedestrian nor vehicle */
    public ObjectCategory category() {
        return ObjectCategory.of(label);
    }
}
