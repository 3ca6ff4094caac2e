package io.argus.aggregator.plates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plate reads of a job's open tracks, kept in the job's tracking state (JSON) until each track
 * ends; then {@link #close} votes one plate for the track ({@link PlateVote}). At most
 * {@value #MAX_READS} reads per track are kept — the strongest (score × sharpness) — so a vehicle
 * parked in view for an hour costs no more than one that drives past. Mutable, not thread-safe
 * (one stream task owns a job).
 */
public final class PlateTally {

    /** Reads kept per track. */
    public static final int MAX_READS = 16;
    /** Reads of the winning length before an open track's plate is published. */
    public static final int MIN_READS_TO_PUBLISH = 3;

    private Map<Long, List<PlateSighting>> reads = new HashMap<>();
    private Map<Long, String> published = new HashMap<>();

    /**
     * @param trackId the track the read was matched to
     * @param read    the read (its text non-empty)
     */
    public void add(long trackId, PlateSighting read) {
        List<PlateSighting> list = reads.computeIfAbsent(trackId, k -> new ArrayList<>());
        list.add(read);
        if (list.size() > MAX_READS) {
            list.sort(Comparator.comparingDouble(PlateSighting::strength).reversed());
            list.remove(list.size() - 1);
        }
    }

    /**
     * The outcome of a track's reads.
     *
     * @param vote  the vote
     * @param best  the best read of the winning length
     * @param reads the raw texts read, strongest first
     * @param firstOffsetMs offset of the earliest read kept, ms
     */
    public record Outcome(PlateVote.Result vote, PlateSighting best, List<String> reads, long firstOffsetMs) {
    }

    /**
     * Forgets the track's reads and votes them.
     *
     * @param trackId an ended track
     * @return the vote, or null when the track had no read
     */
    public Outcome close(long trackId) {
        published.remove(trackId);
        return vote(reads.remove(trackId));
    }

    /**
     * The vote of an open track so far, when it should be published now: at least
     * {@value #MIN_READS_TO_PUBLISH} reads of the winning length and a text other than the one last
     * published for the track (so a live camera's plates are searchable while the vehicle is still
     * in view, and a track's record is rewritten only when its text changes).
     *
     * @param trackId an open track
     * @return the vote to publish, or null
     */
    public Outcome publishable(long trackId) {
        List<PlateSighting> list = reads.get(trackId);
        Outcome o = list == null ? null : vote(new ArrayList<>(list));
        if (o == null || o.vote().reads() < MIN_READS_TO_PUBLISH || o.vote().text().equals(published.get(trackId))) {
            return null;
        }
        published.put(trackId, o.vote().text());
        return o;
    }

    private static Outcome vote(List<PlateSighting> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        list.sort(Comparator.comparingDouble(PlateSighting::strength).reversed());
        List<PlateVote.Read> votes = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        long first = Long.MAX_VALUE;
        for (PlateSighting s : list) {
            votes.add(new PlateVote.Read(s.text(), s.score(), s.weight()));
            raws.add(s.raw());
            first = Math.min(first, s.offsetMs());
        }
        PlateVote.Result r = PlateVote.vote(votes);
        return r == null ? null : new Outcome(r, list.get(r.best()), raws, first);
    }

    /** @return the tracks with reads */
    public int openTracks() {
        return reads.size();
    }
}
