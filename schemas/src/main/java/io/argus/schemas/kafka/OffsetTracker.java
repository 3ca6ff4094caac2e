package io.argus.schemas.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks records in flight per partition (jobs in ingest, hook calls in api-edge) so that the
 * committed offset never passes a record whose work has not finished: per partition, the commit
 * position is the lowest offset still running, or one past the highest finished offset when none
 * runs. Not thread-safe: used by one poll thread.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, TreeSet<Long>> running = new HashMap<>();
    private final Map<TopicPartition, Long> highestDone = new HashMap<>();

    /**
     * @param tp     partition
     * @param offset offset of a record whose work starts
     */
    public void started(TopicPartition tp, long offset) {
        running.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
    }

    /**
     * @param tp     partition
     * @param offset offset of a record whose work is done
     */
    public void finished(TopicPartition tp, long offset) {
        TreeSet<Long> set = running.get(tp);
        if (set != null) {
            set.remove(offset);
        }
        highestDone.merge(tp, offset, Math::max);
    }

    /** @return records started and not finished, over all partitions */
    public int inFlight() {
        return running.values().stream().mapToInt(TreeSet::size).sum();
    }

    /** @return offsets safe to commit now, for partitions with progress */
    public Map<TopicPartition, OffsetAndMetadata> commitable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : highestDone.entrySet()) {
            TreeSet<Long> set = running.get(e.getKey());
            long position = set == null || set.isEmpty() ? e.getValue() + 1 : set.first();
            out.put(e.getKey(), new OffsetAndMetadata(position));
        }
        return out;
    }

    /** @param tp a partition no longer assigned: its records are forgotten */
    public void forget(TopicPartition tp) {
        running.remove(tp);
        highestDone.remove(tp);
    }
}
