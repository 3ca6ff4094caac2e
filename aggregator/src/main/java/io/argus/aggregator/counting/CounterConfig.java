package io.argus.aggregator.counting;

import java.util.List;

/**
 * How a job counts.
 *
 * @param frameWidth   width of the frames the boxes are in, px, at least 1
 * @param frameHeight  height of the frames, px, at least 1
 * @param lines        counting lines, names unique; may be empty (then only passes are counted)
 * @param minDwellMs   how long the anchor must stay on the new side of a line, ms from the first
 *                     frame seen there, before a crossing counts (at least 0; {@link #DEFAULT_MIN_DWELL_MS})
 * @param passFraction how far a track's anchor must get from where it was first seen, as a fraction of
 *                     the frame diagonal, to be a pass, in (0, 1] ({@link #DEFAULT_PASS_FRACTION})
 */
public record CounterConfig(int frameWidth, int frameHeight, List<CountingLine> lines, long minDwellMs,
                            double passFraction) {

    /** Default minimum time on the new side of a line: 500 ms, several frames at 5 fps and more, one at 1 fps. */
    public static final long DEFAULT_MIN_DWELL_MS = 500;
    /**
     * Default pass distance: 0.2 of the frame diagonal (about 440 px in a 1920 x 1080 frame), far
     * beyond a parked object's box jitter, short of a walk across a small part of the view.
     */
    public static final double DEFAULT_PASS_FRACTION = 0.2;

    /**
     * @throws IllegalArgumentException when the frame size is below 1 px, a line name repeats,
     *                                  {@code minDwellMs < 0} or the pass fraction is outside (0, 1]
     */
    public CounterConfig {
        if (frameWidth < 1 || frameHeight < 1) {
            throw new IllegalArgumentException("frame size must be at least 1 x 1 px: " + frameWidth + " x " + frameHeight);
        }
        lines = lines == null ? List.of() : List.copyOf(lines);
        if (lines.stream().map(CountingLine::name).distinct().count() != lines.size()) {
            throw new IllegalArgumentException("counting line names must be unique");
        }
        if (minDwellMs < 0) {
            throw new IllegalArgumentException("minDwellMs must be >= 0: " + minDwellMs);
        }
        if (!(passFraction > 0 && passFraction <= 1)) {
            throw new IllegalArgumentException("passFraction must be in (0, 1]: " + passFraction);
        }
    }

    /**
     * @param frameWidth  frame width, px
     * @param frameHeight frame height, px
     * @param lines       counting lines
     * @return a configuration with the default dwell and pass fraction
     */
    public static CounterConfig of(int frameWidth, int frameHeight, List<CountingLine> lines) {
        return new CounterConfig(frameWidth, frameHeight, lines, DEFAULT_MIN_DWELL_MS, DEFAULT_PASS_FRACTION);
    }
}
