package io.argus.media.render;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What to draw on a video: per-frame results (boxes by frame offset), counting lines and running
 * caption text (e.g. counts), built with {@link #builder()}. Immutable once built; thread-safe.
 *
 * <p><b>Frames without a result</b> (jobs sample, e.g. 5 results a second on a 25 fps video): a
 * frame at time {@code t} is drawn as follows.
 * <ol>
 *   <li>When a result lies within {@code toleranceMs} of {@code t} (the caller passes half the
 *       frame period), that result's boxes are drawn as they are.</li>
 *   <li>Otherwise each track is drawn at the linear interpolation of its nearest earlier and
 *       nearest later result box (position and size; label, id and score of the earlier one),
 *       provided both exist and lie at most {@link Builder#maxGapMs} apart. A track is therefore
 *       drawn only between its first and last result, and not across a gap longer than
 *       {@code maxGapMs} (the tracker lost it). Boxes do not blink between samples.</li>
 *   <li>A box without a track is drawn on the frames whose nearest result (in time) is its own,
 *       if that result is at most {@code maxGapMs / 2} away: it is held, not moved.</li>
 * </ol>
 * <p><b>Captions</b>: the caption in effect at {@code t} is the one with the greatest start time
 * ≤ {@code t}; none before the first.
 */
public final class Annotations {

    /** Default largest gap between two results of a track that is interpolated across, ms. */
    public static final long DEFAULT_MAX_GAP_MS = 2_000;

    private final NavigableMap<Long, List<Overlay>> results;
    private final Map<Long, NavigableMap<Long, Overlay>> tracks;
    private final NavigableMap<Long, List<String>> captions;
    private final List<CountingLine> lines;
    private final long maxGapMs;

    private Annotations(Builder b) {
        this.results = new TreeMap<>(b.results);
        this.captions = new TreeMap<>(b.captions);
        this.lines = List.copyOf(b.lines);
        this.maxGapMs = b.maxGapMs;
        Map<Long, NavigableMap<Long, Overlay>> t = new HashMap<>();
        results.forEach((ms, list) -> {
            for (Overlay o : list) {
                if (o.tracked()) {
                    t.computeIfAbsent(o.trackId(), k -> new TreeMap<>()).put(ms, o);
                }
            }
        });
        this.tracks = t;
    }

    /** @return a builder with no results, lines or captions */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the counting lines, in the order added */
    public List<CountingLine> lines() {
        return lines;
    }

    /** @return number of frames that have a result */
    public int resultCount() {
        return results.size();
    }

    /**
     * @param tMs         the frame's time, ms from the start of the video (the source pts, as the
     *                    job's frame offsets)
     * @param toleranceMs how far a result may be from {@code tMs} and still be this frame's, ms
     *                    (half the frame period)
     * @return the boxes to draw on that frame (see the class comment); empty when none
     */
    public List<Overlay> overlaysAt(long tMs, long toleranceMs) {
        Map.Entry<Long, List<Overlay>> nearest = nearest(tMs);
        if (nearest == null) {
            return List.of();
        }
        long distance = Math.abs(nearest.getKey() - tMs);
        if (distance <= toleranceMs) {
            return nearest.getValue();
        }
        List<Overlay> out = new ArrayList<>();
        for (NavigableMap<Long, Overlay> track : tracks.values()) {
            Map.Entry<Long, Overlay> before = track.floorEntry(tMs);
            Map.Entry<Long, Overlay> after = track.ceilingEntry(tMs);
            if (before == null || after == null || after.getKey() - before.getKey() > maxGapMs) {
                continue;
            }
            long span = after.getKey() - before.getKey();
            double f = span == 0 ? 0 : (tMs - before.getKey()) / (double) span;
            out.add(before.getValue().lerp(after.getValue(), f));
        }
        if (distance <= maxGapMs / 2) {
            for (Overlay o : nearest.getValue()) {
                if (!o.tracked()) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /**
     * @param tMs the frame's time, ms
     * @return the caption lines in effect at that time, empty before the first caption
     */
    public List<String> captionAt(long tMs) {
        Map.Entry<Long, List<String>> e = captions.floorEntry(tMs);
        return e == null ? List.of() : e.getValue();
    }

    private Map.Entry<Long, List<Overlay>> nearest(long tMs) {
        Map.Entry<Long, List<Overlay>> lo = results.floorEntry(tMs);
        Map.Entry<Long, List<Overlay>> hi = results.ceilingEntry(tMs);
        if (lo == null) {
            return hi;
        }
        if (hi == null) {
            return lo;
        }
        return tMs - lo.getKey() <= hi.getKey() - tMs ? lo : hi;
    }

    /** Collects results, lines and captions; not thread-safe. */
    public static final class Builder {
        private final NavigableMap<Long, List<Overlay>> results = new TreeMap<>();
        private final NavigableMap<Long, List<String>> captions = new TreeMap<>();
        private final List<CountingLine> lines = new ArrayList<>();
        private long maxGapMs = DEFAULT_MAX_GAP_MS;

        private Builder() {
        }

        /**
         * Adds a frame's result; a second result at the same offset adds its boxes to the first's.
         *
         * @param offsetMs the frame's offset, ms from the start of the video (≥ 0)
         * @param overlays its boxes (may be empty: a frame with a result and nothing found)
         * @return this builder
         * @throws IllegalArgumentException for a negative offset
         */
        public Builder frame(long offsetMs, List<Overlay> overlays) {
            if (offsetMs < 0) {
                throw new IllegalArgumentException("offset must be >= 0 ms: " + offsetMs);
            }
            results.merge(offsetMs, List.copyOf(overlays), (a, b) -> {
                List<Overlay> all = new ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            });
            return this;
        }

        /**
         * @param line a counting line to draw on every frame
         * @return this builder
         */
        public Builder line(CountingLine line) {
            lines.add(line);
            return this;
        }

        /**
         * @param fromMs time from which the caption is shown, ms (until the next caption)
         * @param text   caption lines, drawn top-left, one under the other (e.g. running counts)
         * @return this builder
         */
        public Builder caption(long fromMs, List<String> text) {
            captions.put(fromMs, List.copyOf(text));
            return this;
        }

        /**
         * @param ms largest gap between two results of a track that boxes are interpolated across,
         *           ms, ≥ 0 (default {@value Annotations#DEFAULT_MAX_GAP_MS})
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder maxGapMs(long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("max gap must be >= 0 ms: " + ms);
            }
            this.maxGapMs = ms;
            return this;
        }

        /** @return the annotations */
        public Annotations build() {
            return new Annotations(this);
        }
    }
}
