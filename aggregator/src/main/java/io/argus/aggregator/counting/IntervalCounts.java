package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Adds count events into intervals of a fixed length by the offset each event is about
 * ({@link CountEvent#offsetMs()} / interval ms, rounded down): per interval, passes and each line's
 * {@code in} and {@code out}, split into pedestrians and vehicles ({@link ObjectCategory}); events
 * of other classes are not counted. Its state is {@link #rows()}; resume with
 * {@link #IntervalCounts(long, List)}. Not thread-safe.
 */
public final class IntervalCounts {

    private static final Comparator<IntervalCount> ORDER = Comparator.comparingLong(IntervalCount::index)
            .thenComparing(r -> r.line() == null ? "" : "\u0001" + r.line())
            .thenComparing(IntervalCount::direction);

    private final long intervalMs;
    private final TreeMap<String, IntervalCount> rows = new TreeMap<>();

    /**
     * @param intervalMs length of an interval, ms, at least 1
     * @throws IllegalArgumentException when the interval is below 1 ms
     */
    public IntervalCounts(long intervalMs) {
        this(intervalMs, List.of());
    }

    /**
     * Resumes counts.
     *
     * @param intervalMs length of an interval, ms, at least 1
     * @param rows       counts so far, as returned by {@link #rows()}
     * @throws IllegalArgumentException when the interval is below 1 ms
     */
    public IntervalCounts(long intervalMs, List<IntervalCount> rows) {
        if (intervalMs < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms: " + intervalMs);
        }
        this.intervalMs = intervalMs;
        for (IntervalCount r : rows) {
            this.rows.put(key(r.index(), r.line(), r.direction()), r);
        }
    }

    /** @return length of an interval, ms */
    public long intervalMs() {
        return intervalMs;
    }

    /**
     * @param event a count
     * @return whether it was counted (false for a class that is neither pedestrian nor vehicle)
     */
    public boolean add(CountEvent event) {
        ObjectCategory category = event.category();
        if (category == null) {
            return false;
        }
        long index = Math.floorDiv(event.offsetMs(), intervalMs);
        String key = key(index, event.line(), event.direction());
        IntervalCount old = rows.get(key);
        int pedestrians = (old == null ? 0 : old.pedestrians()) + (category == ObjectCategory.PEDESTRIAN ? 1 : 0);
        int vehicles = (old == null ? 0 : old.vehicles()) + (category == ObjectCategory.VEHICLE ? 1 : 0);
        rows.put(key, new IntervalCount(index, index * intervalMs, (index + 1) * intervalMs, event.line(),
                event.direction(), pedestrians, vehicles));
        return true;
    }

    /** @return every non-empty count, by interval, then passes first and lines by name, then direction */
    public List<IntervalCount> rows() {
        List<IntervalCount> out = new ArrayList<>(rows.values());
        out.sort(ORDER);
        return out;
    }

    /**
     * @param index an interval's number
     * @return that interval's counts, ordered as {@link #rows()}
     */
    public List<IntervalCount> interval(long index) {
        List<IntervalCount> out = new ArrayList<>();
        for (IntervalCount r : rows()) {
            if (r.index() == index) {
                out.add(r);
            }
        }
        return out;
    }

    private static String key(long index, String line, String direction) {
        return index + "\n" + (line == null ? "" : "\u0001" + line) + "\n" + direction;
    }
}
