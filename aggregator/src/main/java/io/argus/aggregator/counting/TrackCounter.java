package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;

import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.FrameTracks;
import io.argus.aggregator.tracking.TrackState;
import io.argus.aggregator.tracking.TrackedObject;

/**
 * Counts line crossings and passes from a job's tracks, frame by frame (DESIGN.md "Counting"):
 * <ul>
 *   <li>the anchor is the bottom centre of the track's (filtered) box, where an object touches the
 *       ground; it moves only on frames where the track was matched to a detection;</li>
 *   <li><b>crossings</b>: when the anchor's move between two of its frames crosses a line
 *       ({@link CountingLine#crossing}), the crossing waits; it is counted once the anchor has
 *       stayed on the new side for {@link CounterConfig#minDwellMs()}: on the first frame at least
 *       that long after the crossing where the track is matched again with its anchor still there.
 *       A move back across the line before then cancels it, and the move back does not wait to
 *       count, so a box flickering across a line counts nothing, or once if it finally stays. A
 *       track lost meanwhile counts if it is found again on the new side; one removed first does
 *       not (so a line close to where objects leave the view wants a short dwell time). Each
 *       (track, line, direction) counts at most once;</li>
 *   <li><b>passes</b>: a track counts once as a pass on the frame its anchor first gets at least
 *       {@link CounterConfig#passFraction()} of the frame diagonal away from where it was first
 *       seen; an object parked or standing still never gets there. Passes do not depend on lines;</li>
 *   <li>only tracks that have been confirmed count (a crossing seen while tentative counts once the
 *       track is confirmed, if still standing); a removed track's waiting crossings are dropped;</li>
 *   <li>the class counted is the track's majority vote when it is first counted, and every later
 *       count of the track keeps that class, so an id never counts under two classes.</li>
 * </ul>
 * A crossing's event is emitted {@code minDwellMs} or more after the frame it is about (the next
 * matched frame after the dwell time), and carries that frame's offset and box. The whole state is {@link #snapshot()}; resume it
 * with {@link #restore(CounterSnapshot)}. Not thread-safe.
 */
public final class TrackCounter {

    private final CounterConfig config;
    private final TreeMap<Long, State> tracks = new TreeMap<>();

    /** @param config how the job counts */
    public TrackCounter(CounterConfig config) {
        this.config = config;
    }

    /**
     * @param snapshot a state returned by {@link #snapshot()}
     * @return a counter in that state
     */
    public static TrackCounter restore(CounterSnapshot snapshot) {
        TrackCounter counter = new TrackCounter(snapshot.config());
        for (TrackCount t : snapshot.tracks()) {
            counter.tracks.put(t.trackId(), new State(t));
        }
        return counter;
    }

    /** @return the whole state, a copy */
    public CounterSnapshot snapshot() {
        List<TrackCount> out = new ArrayList<>(tracks.size());
        for (State s : tracks.values()) {
            out.add(s.data());
        }
        return new CounterSnapshot(config, out);
    }

    /** @return how the job counts */
    public CounterConfig config() {
        return config;
    }

    /**
     * @param frame a frame's tracks from {@link io.argus.aggregator.tracking.ByteTracker#update}
     * @return the counts made on this frame, by track id, crossings before the pass
     */
    public List<CountEvent> onFrame(FrameTracks frame) {
        return onFrame(frame.offsetMs(), frame.tracks());
    }

    /**
     * @param offsetMs the frame's offset in ms, frames in order
     * @param objects  every track after the frame (as {@link FrameTracks#tracks()})
     * @return the counts made on this frame, by track id, crossings before the pass
     */
    public List<CountEvent> onFrame(long offsetMs, List<TrackedObject> objects) {
        List<CountEvent> events = new ArrayList<>();
        List<TrackedObject> sorted = new ArrayList<>(objects);
        sorted.sort((a, b) -> Long.compare(a.id(), b.id()));
        for (TrackedObject t : sorted) {
            if (t.state() == TrackState.REMOVED) {
                tracks.remove(t.id());
                continue;
            }
            State s = tracks.get(t.id());
            if (s == null) {
                if (!t.matched()) {
                    continue;
                }
                s = new State(t.id());
                tracks.put(t.id(), s);
            }
            if (t.state() == TrackState.CONFIRMED) {
                s.confirmed = true;
            }
            if (t.matched()) {
                observe(s, t, offsetMs);
            }
            if (t.matched()) {
                commit(s, t, offsetMs, events);
                pass(s, t, offsetMs, events);
            }
        }
        return events;
    }

    private void observe(State s, TrackedObject t, long offsetMs) {
        Box box = t.box();
        double x = box.centreX() / config.frameWidth();
        double y = box.bottom() / config.frameHeight();
        if (!s.seen) {
            s.seen = true;
            s.firstX = x;
            s.firstY = y;
        } else {
            for (CountingLine line : config.lines()) {
                int sense = line.crossing(s.lastX, s.lastY, x, y);
                if (sense == 0) {
                    continue;
                }
                String direction = sense > 0 ? CountEvent.IN : CountEvent.OUT;
                PendingCrossing waiting = pending(s, line.name());
                if (waiting != null) {
                    if (!waiting.direction().equals(direction)) {
                        // Back across before the dwell time: the first crossing was flicker; so is this one.
                        s.pending.remove(waiting);
                    }
                } else if (!s.counted.contains(key(line.name(), direction))) {
                    s.pending.add(new PendingCrossing(line.name(), direction, offsetMs, box));
                }
            }
        }
        s.lastX = x;
        s.lastY = y;
    }

    private void commit(State s, TrackedObject t, long offsetMs, List<CountEvent> events) {
        if (!s.confirmed) {
            return;
        }
        for (Iterator<PendingCrossing> it = s.pending.iterator(); it.hasNext(); ) {
            PendingCrossing p = it.next();
            if (offsetMs - p.offsetMs() >= config.minDwellMs()) {
                it.remove();
                s.counted.add(key(p.line(), p.direction()));
                events.add(new CountEvent(t.id(), label(s, t), p.offsetMs(), p.line(), p.direction(), p.box()));
            }
        }
    }

    private void pass(State s, TrackedObject t, long offsetMs, List<CountEvent> events) {
        if (!s.confirmed || s.passed) {
            return;
        }
        double dx = (s.lastX - s.firstX) * config.frameWidth();
        double dy = (s.lastY - s.firstY) * config.frameHeight();
        double diagonal = Math.hypot(config.frameWidth(), config.frameHeight());
        if (Math.hypot(dx, dy) >= config.passFraction() * diagonal) {
            s.passed = true;
            events.add(new CountEvent(t.id(), label(s, t), offsetMs, null, CountEvent.PASS, t.box()));
        }
    }

    private static String label(State s, TrackedObject t) {
        if (s.label == null) {
            s.label = t.label();
        }
        return s.label;
    }

    private static PendingCrossing pending(State s, String line) {
        for (PendingCrossing p : s.pending) {
            if (p.line().equals(line)) {
                return p;
            }
        }
        return null;
    }

    private static String key(String line, String direction) {
        return line + "\n" + direction;
    }

    /** One track's counting state; mutable. */
    private static final class State {
        final long trackId;
        boolean confirmed;
        boolean seen;
        double firstX;
        double firstY;
        double lastX;
        double lastY;
        String label;
        boolean passed;
        final LinkedHashSet<String> counted = new LinkedHashSet<>();
        final List<PendingCrossing> pending = new ArrayList<>();

        State(long trackId) {
            this.trackId = trackId;
        }

        State(TrackCount t) {
            this(t.trackId());
            confirmed = t.confirmed();
            seen = true;
            firstX = t.firstX();
            firstY = t.firstY();
            lastX = t.lastX();
            lastY = t.lastY();
            label = t.label();
            passed = t.passed();
            counted.addAll(t.counted());
            pending.addAll(t.pending());
        }

        TrackCount data() {
            return new TrackCount(trackId, confirmed, firstX, firstY, lastX, lastY, label, passed,
                    new ArrayList<>(counted), new ArrayList<>(pending));
        }
    }
}
