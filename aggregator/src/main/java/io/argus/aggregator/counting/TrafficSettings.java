package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.List;

/**
 * How a job's tracks are counted and reported (README "Tracking and counting").
 *
 * @param frameWidth   width of the frames the boxes are in, px, at least 1
 * @param frameHeight  height of the frames, px, at least 1
 * @param lines        counting lines with the directions they count, names unique; may be empty
 * @param minDwellMs   how long the anchor stays on the new side before a crossing counts, ms
 *                     ({@link CounterConfig#minDwellMs()})
 * @param passFraction a pass is a move of this fraction of the frame diagonal, (0, 1]
 *                     ({@link CounterConfig#passFraction()})
 * @param intervalMs   reporting interval, ms, at least 1
 * @param settleMs     how long after an interval's end no count can fall in it any more, ms: a
 *                     crossing is counted at most {@code minDwellMs} plus the tracker's lost time
 *                     after the frame it is about (see {@link TrafficCounting}), at least 0
 */
public record TrafficSettings(int frameWidth, int frameHeight, List<CountedLine> lines, long minDwellMs,
                              double passFraction, long intervalMs, long settleMs) {

    /**
     * @throws IllegalArgumentException when {@link CounterConfig} refuses the frame size, lines, dwell
     *                                  or fraction, the interval is below 1 ms or the settle time below 0
     */
    public TrafficSettings {
        lines = lines == null ? List.of() : List.copyOf(lines);
        if (intervalMs < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + intervalMs);
        }
        if (settleMs < 0) {
            throw new IllegalArgumentException("settle time must be >= 0 ms: " + settleMs);
        }
        counterConfig(frameWidth, frameHeight, lines, minDwellMs, passFraction);
    }

    /** @return the configuration of the {@link TrackCounter} */
    public CounterConfig counterConfig() {
        return counterConfig(frameWidth, frameHeight, lines, minDwellMs, passFraction);
    }

    /**
     * @param lines other counting lines
     * @return these settings with those lines (a recount)
     */
    public TrafficSettings withLines(List<CountedLine> lines) {
        return new TrafficSettings(frameWidth, frameHeight, lines, minDwellMs, passFraction, intervalMs, settleMs);
    }

    private static CounterConfig counterConfig(int w, int h, List<CountedLine> lines, long dwell, double fraction) {
        List<CountingLine> plain = new ArrayList<>(lines.size());
        for (CountedLine l : lines) {
            plain.add(l.line());
        }
        return new CounterConfig(w, h, plain, dwell, fraction);
    }
}
