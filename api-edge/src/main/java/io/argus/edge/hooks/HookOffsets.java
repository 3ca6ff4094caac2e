package io.argus.edge.hooks;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.argus.schemas.kafka.OffsetTracker;

/**
 * The dispatcher's bookkeeping of hook-call offsets per assigned partition: what to commit, what to
 * skip, and whether a partition may take more records. No Kafka client inside: the dispatcher feeds
 * it, tests drive it directly. Not thread-safe: used by the poll thread only.
 *
 * <ul>
 *   <li>Commit position: the lowest call not done ({@link OffsetTracker}); the metadata of the
 *       commit lists the calls done beyond it ({@link CommitMetadataCodec}).</li>
 *   <li>On assignment, the committed metadata gives the calls to skip (already delivered or
 *       dead-lettered by the previous owner); skipping one counts as done.</li>
 *   <li>{@link #hasRoom} refuses a record when starting it could let the metadata outgrow
 *       {@link CommitMetadataCodec#MAX_CHARS} once every call in flight is done; the dispatcher then
 *       pauses the partition. Should an encoding still be too long, {@link #toCommit} holds that
 *       partition's commit back (the previous commit stays consistent) rather than exceed it.</li>
 *   <li>Every assignment of a partition gets a new epoch, so that the outcome of a call started
 *       under an earlier assignment is recognised and ignored ({@link #isCurrent}).</li>
 * </ul>
 */
public final class HookOffsets {

    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final int maxChars;
    private int nextEpoch = 1;
    private long overflows;

    /** Offsets of one assigned partition. */
    private static final class PartitionState {
        final int epoch;
        final NavigableSet<Long> skip;
        /** Length of the metadata the skip set came from: bounds its share of a new encoding. */
        final int skipChars;
        final TreeSet<Long> running = new TreeSet<>();
        final TreeSet<Long> done = new TreeSet<>();
        OffsetAndMetadata lastCommitted;
        int encodedLength;
        boolean dirty = true;

        PartitionState(int epoch, NavigableSet<Long> skip, int skipChars) {
            this.epoch = epoch;
            this.skip = skip;
            this.skipChars = skipChars;
        }
    }

    /** Bookkeeping bounded by {@link CommitMetadataCodec#MAX_CHARS}. */
    public HookOffsets() {
        this(CommitMetadataCodec.MAX_CHARS);
    }

    /** @param maxChars largest metadata length to allow (tests use small values) */
    public HookOffsets(int maxChars) {
        this.maxChars = Math.min(maxChars, CommitMetadataCodec.MAX_CHARS);
    }

    /**
     * A partition was assigned.
     *
     * @param tp        the partition
     * @param committed its committed offset and metadata, or null when none
     * @return the new epoch of the partition
     */
    public int assigned(TopicPartition tp, OffsetAndMetadata committed) {
        tracker.forget(tp);
        NavigableSet<Long> skip = committed == null ? new TreeSet<>()
                : new TreeSet<>(CommitMetadataCodec.decode(committed.offset(), committed.metadata()));
        PartitionState s = new PartitionState(nextEpoch++, skip,
                skip.isEmpty() || committed.metadata() == null ? 0 : committed.metadata().length() + 1);
        s.lastCommitted = committed;
        partitions.put(tp, s);
        return s.epoch;
    }

    /** @param tp a partition revoked or lost: its offsets are forgotten */
    public void revoked(TopicPartition tp) {
        partitions.remove(tp);
        tracker.forget(tp);
    }

    /** @return the assigned partitions */
    public Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(partitions.keySet());
    }

    /**
     * @param tp a partition
     * @return its current epoch, or 0 when not assigned
     */
    public int epoch(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? 0 : s.epoch;
    }

    /**
     * @param tp    a partition
     * @param epoch the epoch a call was started under
     * @return true when the partition is still assigned under that epoch
     */
    public boolean isCurrent(TopicPartition tp, int epoch) {
        PartitionState s = partitions.get(tp);
        return s != null && s.epoch == epoch;
    }

    /**
     * Skips a record listed as done in the committed metadata: it counts as done at once.
     *
     * @param tp     an assigned partition
     * @param offset a record's offset
     * @return true when the record is to be skipped
     */
    public boolean skipIfDone(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        if (!s.skip.remove(offset)) {
            return false;
        }
        started(tp, offset);
        finished(tp, offset);
        return true;
    }

    /**
     * @param tp     an assigned partition
     * @param offset the offset of the next record to start
     * @return false when starting it could make the metadata outgrow the limit once the calls in
     *         flight are done (then pause the partition until some are)
     */
    public boolean hasRoom(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        if (s.running.isEmpty()) {
            return true; // nothing below it is pending: once done, it is below the commit position
        }
        long base = s.running.first();
        int growth = CommitMetadataCodec.maxGrowth(base, Math.max(offset, base));
        long now = encodedLength(s) + CommitMetadataCodec.headerLength(base)
                + (s.skip.isEmpty() ? 0 : s.skipChars); // skips still to come join the done set
        return now + (long) (s.running.size() + 1) * growth <= maxChars;
    }

    /**
     * @param tp     an assigned partition
     * @param offset a record whose call starts
     */
    public void started(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        s.running.add(offset);
        s.dirty = true;
        tracker.started(tp, offset);
    }

    /**
     * @param tp     an assigned partition
     * @param offset a record whose call is done (delivered, dead-lettered or skipped)
     */
    public void finished(TopicPartition tp, long offset) {
        PartitionState s = state(tp);
        s.running.remove(offset);
        s.done.add(offset);
        s.dirty = true;
        tracker.finished(tp, offset);
    }

    /** @return calls started and not done, over all partitions */
    public int inFlight() {
        return tracker.inFlight();
    }

    /**
     * @param tp a partition
     * @return calls started and not done on it
     */
    public int inFlight(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? 0 : s.running.size();
    }

    /**
     * @return per assigned partition with progress since the last {@link #committed}: the commit
     *         position (lowest call not done) with the calls done beyond it as metadata
     */
    public Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : tracker.commitable().entrySet()) {
            PartitionState s = partitions.get(e.getKey());
            if (s == null) {
                continue;
            }
            long position = e.getValue().offset();
            String metadata;
            try {
                metadata = CommitMetadataCodec.encode(position, s.done.tailSet(position, true));
            } catch (IllegalStateException tooLong) {
                // Not expected (hasRoom pauses first). Keep the previous commit, which stays
                // consistent: the calls done since are delivered again after a takeover.
                overflows++;
                continue;
            }
            OffsetAndMetadata next = new OffsetAndMetadata(position, metadata);
            OffsetAndMetadata last = s.lastCommitted;
            if (last == null || last.offset() != position || !Objects.equals(last.metadata(), metadata)) {
                out.put(e.getKey(), next);
            }
        }
        return out;
    }

    /**
     * Records a successful commit, pruning what lies below the committed positions.
     *
     * @param offsets what was committed
     */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            PartitionState s = partitions.get(e.getKey());
            if (s == null) {
                continue;
            }
            s.lastCommitted = e.getValue();
            long position = e.getValue().offset();
            s.done.headSet(position, false).clear();
            s.skip.headSet(position, false).clear();
            s.dirty = true;
        }
    }

    /**
     * @param tp a partition
     * @return the offsets still to skip there (a copy)
     */
    public NavigableSet<Long> toSkip(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? new TreeSet<>() : new TreeSet<>(s.skip);
    }

    /** @return how often a commit was held back because its metadata would have been too long */
    public long overflows() {
        return overflows;
    }

    private int encodedLength(PartitionState s) {
        if (s.dirty) {
            long base = s.running.isEmpty() ? Long.MAX_VALUE : s.running.first();
            s.encodedLength = s.running.isEmpty() ? 0 : CommitMetadataCodec.length(base, s.done.tailSet(base, true));
            s.dirty = false;
        }
        return s.encodedLength;
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        if (s == null) {
            throw new IllegalStateException("partition not assigned: " + tp);
        }
        return s;
    }
}
