package io.argus.aggregator.counting;

import java.util.Locale;

/**
 * A counting line with the crossings it counts.
 *
 * @param line      the line
 * @param direction {@link #BOTH}, {@link CountEvent#IN} or {@link CountEvent#OUT}: which crossings of
 *                  it count (see {@link CountingLine} for the sense of in and out)
 */
public record CountedLine(CountingLine line, String direction) {

    /** Both directions count, each on its own. */
    public static final String BOTH = "both";

    /**
     * @throws IllegalArgumentException when the line is null or the direction is not {@code in},
     *                                  {@code out} or {@code both}
     */
    public CountedLine {
        if (line == null) {
            throw new IllegalArgumentException("a counted line needs a line");
        }
        direction = direction == null ? BOTH : direction.toLowerCase(Locale.ROOT);
        if (!direction.equals(BOTH) && !direction.equals(CountEvent.IN) && !direction.equals(CountEvent.OUT)) {
            throw new IllegalArgumentException("line " + line.name() + ": direction must be in, out or both, was "
                    + direction);
        }
    }

    /**
     * @param sense {@link CountEvent#IN} or {@link CountEvent#OUT}
     * @return whether crossings in that sense count
     */
    public boolean counts(String sense) {
        return direction.equals(BOTH) || direction.equals(sense);
    }
}
