package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.argus.aggregator.tracking.TrackedObject;

/**
 * A job's counts, frame by frame, as the aggregator reports them on {@code argus.counts} and as a
 * recount recomputes them from stored tracks ({@link Recount}): the same code for both, so the same
 * tracks give the same counts.
 *
 * <p>Per frame ({@link #onFrame}): the {@link TrackCounter}'s passes and line crossings (crossings
 * of a direction their line does not count are dropped), the confirmed pedestrians and vehicles in
 * view (tracks in state CONFIRMED, i.e. matched on this frame, by their majority class,
 * {@link ObjectCategory}), and the passes so far in the frame's interval.
 *
 * <p>Intervals are {@code [k·intervalMs, (k+1)·intervalMs)} of the source's offsets. A count falls in
 * the interval of the frame it is about ({@link CountEvent#offsetMs()}). A crossing is counted at the
 * track's first matched frame at least {@code minDwellMs} after that frame, and a track unmatched for
 * longer than its lost time is removed, so no count can fall in an interval once a frame at least
 * {@link TrafficSettings#settleMs()} (dwell + lost time) past its end has been counted: the interval is
 * then settled and reported, once, empty or not, from the first frame's interval on. A count that
 * would still fall in a reported interval (the settle time set too short) goes to the oldest interval
 * not reported, so reported counts never change. {@link #finish()} reports the rest up to the last
 * frame's interval and {@link #total()} the job's sums. Not thread-safe.
 */
public final class TrafficCounting {

    private final TrafficSettings settings;
    private final TrackCounter counter;
    private final List<String> keys;
    private boolean started;
    private long firstIndex;
    private long nextInterval;
    private long lastOffsetMs;
    private final TreeMap<Long, Tally> open = new TreeMap<>();
    private Tally total;

    /** @param settings how the job counts */
    public TrafficCounting(TrafficSettings settings) {
        this(settings, new TrackCounter(settings.counterConfig()));
    }

    private TrafficCounting(TrafficSettings settings, TrackCounter counter) {
        this.settings = settings;
        this.counter = counter;
        this.keys = new ArrayList<>();
        for (CountedLine l : settings.lines()) {
            for (String d : List.of(CountEvent.IN, CountEvent.OUT)) {
                if (l.counts(d)) {
                    keys.add(key(l.line().name(), d));
                }
            }
        }
        this.total = new Tally(-1, keys.size());
    }

    /**
     * @param snapshot a state returned by {@link #snapshot()}
     * @return counting in that state
     */
    public static TrafficCounting restore(CountingSnapshot snapshot) {
        TrafficCounting c = new TrafficCounting(snapshot.settings(), TrackCounter.restore(snapshot.counter()));
        c.started = snapshot.started();
        c.firstIndex = snapshot.firstIndex();
        c.nextInterval = snapshot.nextInterval();
        c.lastOffsetMs = snapshot.lastOffsetMs();
        for (IntervalTotals t : snapshot.open()) {
            c.open.put(t.index(), c.tally(t));
        }
        c.total = c.tally(snapshot.total());
        return c;
    }

    /** @return the whole state, a copy */
    public CountingSnapshot snapshot() {
        List<IntervalTotals> rows = new ArrayList<>(open.size());
        for (Tally t : open.values()) {
            rows.add(totals(t, t.index * settings.intervalMs(), (t.index + 1) * settings.intervalMs()));
        }
        return new CountingSnapshot(settings, counter.snapshot(), started, firstIndex, nextInterval, lastOffsetMs, rows,
                totals(total, 0, 0));
    }

    /** @return how the job counts */
    public TrafficSettings settings() {
        return settings;
    }

    /**
     * Counts one frame.
     *
     * @param offsetMs the frame's offset, ms, frames in order
     * @param objects  every track after the frame ({@link io.argus.aggregator.tracking.FrameTracks#tracks()})
     * @return the frame's counts
     */
    public FrameCounting onFrame(long offsetMs, List<TrackedObject> objects) {
        long index = Math.floorDiv(offsetMs, settings.intervalMs());
        if (!started) {
            started = true;
            firstIndex = index;
            nextInterval = index;
        }
        lastOffsetMs = offsetMs;
        List<CountEvent> events = new ArrayList<>();
        for (CountEvent e : counter.onFrame(offsetMs, objects)) {
            if (e.line() != null && !counts(e.line(), e.direction())) {
                continue;
            }
            events.add(e);
            add(e);
        }
        int people = 0;
        int vehicles = 0;
        for (TrackedObject t : objects) {
            if (t.confirmed()) {
                ObjectCategory c = ObjectCategory.of(t.label());
                people += c == ObjectCategory.PEDESTRIAN ? 1 : 0;
                vehicles += c == ObjectCategory.VEHICLE ? 1 : 0;
            }
        }
        Tally now = open.get(index);
        List<IntervalTotals> settled = new ArrayList<>();
        while ((nextInterval + 1) * settings.intervalMs() + settings.settleMs() <= offsetMs) {
            settled.add(report(nextInterval));
        }
        return new FrameCounting(offsetMs, events, people, vehicles, index, now == null ? 0 : now.pedestrians,
                now == null ? 0 : now.vehicles, settled);
    }

    /**
     * Ends the job: reports every interval not reported yet, up to the last frame's.
     *
     * @return those intervals, oldest first; none when no frame was counted
     */
    public List<IntervalTotals> finish() {
        List<IntervalTotals> out = new ArrayList<>();
        if (!started) {
            return out;
        }
        long last = Math.floorDiv(lastOffsetMs, settings.intervalMs());
        while (nextInterval <= last) {
            out.add(report(nextInterval));
        }
        return out;
    }

    /**
     * @return the job's counts so far: index -1, from the first frame's interval start to the end of the
     *         last reported interval (both 0 when no frame was counted)
     */
    public IntervalTotals total() {
        long start = started ? firstIndex * settings.intervalMs() : 0;
        long end = started ? nextInterval * settings.intervalMs() : 0;
        return totals(total, start, Math.max(start, end));
    }

    private IntervalTotals report(long index) {
        Tally t = open.remove(index);
        if (t == null) {
            t = new Tally(index, keys.size());
        }
        nextInterval = index + 1;
        return totals(t, index * settings.intervalMs(), (index + 1) * settings.intervalMs());
    }

    private void add(CountEvent e) {
        ObjectCategory category = e.category();
        if (category == null) {
            return;
        }
        long index = Math.max(Math.floorDiv(e.offsetMs(), settings.intervalMs()), nextInterval);
        Tally t = open.computeIfAbsent(index, i -> new Tally(i, keys.size()));
        for (Tally x : new Tally[] {t, total}) {
            if (e.line() == null) {
                x.pedestrians += category == ObjectCategory.PEDESTRIAN ? 1 : 0;
                x.vehicles += category == ObjectCategory.VEHICLE ? 1 : 0;
            } else {
                int k = keys.indexOf(key(e.line(), e.direction()));
                x.lines[k][category == ObjectCategory.PEDESTRIAN ? 0 : 1]++;
            }
        }
    }

    private boolean counts(String line, String direction) {
        for (CountedLine l : settings.lines()) {
            if (l.line().name().equals(line)) {
                return l.counts(direction);
            }
        }
        return false;
    }

    private IntervalTotals totals(Tally t, long startMs, long endMs) {
        List<LineTotals> lines = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            String[] parts = keys.get(k).split("\n", 2);
            lines.add(new LineTotals(parts[0], parts[1], t.lines[k][0], t.lines[k][1]));
        }
        return new IntervalTotals(t.index, startMs, endMs, t.pedestrians, t.vehicles, lines);
    }

    private Tally tally(IntervalTotals row) {
        Tally t = new Tally(row.index(), keys.size());
        t.pedestrians = row.pedestrians();
        t.vehicles = row.vehicles();
        for (LineTotals l : row.lines()) {
            int k = keys.indexOf(key(l.line(), l.direction()));
            if (k >= 0) {
                t.lines[k][0] = l.pedestrians();
                t.lines[k][1] = l.vehicles();
            }
        }
        return t;
    }

    private static String key(String line, String direction) {
        return line + "\n" + direction;
    }

    /** One interval's counts; mutable. */
    private static final class Tally {
        final long index;
        int pedestrians;
        int vehicles;
        final int[][] lines;

        Tally(long index, int keys) {
            this.index = index;
            this.lines = new int[keys][2];
        }
    }
}
