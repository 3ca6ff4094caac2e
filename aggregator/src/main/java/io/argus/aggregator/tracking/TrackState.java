package io.argus.aggregator.tracking;

/**
 * Where a track is in its life (ByteTrack's {@code TrackState} with its {@code is_activated} flag
 * made a state of its own).
 */
public enum TrackState {
    /** Born from a detection, not yet matched on enough consecutive frames; removed when it misses one. */
    TENTATIVE,
    /** Matched on enough frames and matched on this one (the reference's activated {@code Tracked}). */
    CONFIRMED,
    /** Confirmed once, unmatched now; kept for {@link TrackerConfig#lostTtlMs()} and may be found again. */
    LOST,
    /** Gone for good; reported once, on the frame it is removed. Its id is never used again. */
    REMOVED
}
