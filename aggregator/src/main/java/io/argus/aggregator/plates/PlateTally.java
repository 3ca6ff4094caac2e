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

    private Map<Long, List<PlateSighting>> reads = new HashMap<>();

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
     */
    public record Outcome(PlateVote.Result vote, PlateSighting best, List<String> reads) {
    }

    /**
     * Forgets the track's reads and votes them.
     *
     * @param trackId an ended track
     * @return the vote, or null when the track had no read
     */
    public Outcome close(long trackId) {
        List<PlateSighting> list = reads.remove(trackId);
        if (list == null || list.isEmpty()) {
            return null;
        }
        list.sort(Comparator.comparingDouble(PlateSighting::strength).reversed());
        List<PlateVote.Read> votes = new ArrayList<>();
        List<String> raws = new ArrayList<>();
        for (PlateSighting s : list) {
            votes.add(new PlateVote.Read(s.text(), s.score(), s.weight()));
            raws.add(s.raw());
        }
        PlateVote.Result r = PlateVote.vote(votes);
        return r == null ? null : new Outcome(r, list.get(r.best()), raws);
    }

    /** @return the tracks with reads */
    public int openTracks() {
        return reads.size();
    }
}
