package io.argus.aggregator.tracking;

import java.util.List;

/**
 * The whole state of a {@link ByteTracker}, plain data that a JSON serde can write (e.g. the
 * aggregator's {@code io.argus.aggregator.state.JsonSerde} into a RocksDB store), so a restarted
 * process resumes with the same track ids.
 *
 * @param config       the tracker's parameters
 * @param nextId       the id the next new track gets
 * @param frames       frames processed so far
 * @param lastOffsetMs offset in ms of the last frame processed (meaningless while {@code frames} is 0)
 * @param tracks       live tracks by ascending id
 */
public record TrackerSnapshot(TrackerConfig config, long nextId, long frames, long lastOffsetMs,
                              List<TrackData> tracks) {
}
