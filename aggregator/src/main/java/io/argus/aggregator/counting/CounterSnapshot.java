package io.argus.aggregator.counting;

import java.util.List;

/**
 * The whole state of a {@link TrackCounter}, plain data that a JSON serde can write.
 *
 * @param config how the job counts
 * @param tracks the live tracks seen, by ascending id
 */
public record CounterSnapshot(CounterConfig config, List<TrackCount> tracks) {
}
