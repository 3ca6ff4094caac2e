package io.argus.schemas.topics;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Where a FRAME event goes on {@link Topics#analyzerFrames()}: consecutive frames of a job go to
 * consecutive partitions, starting at the job's own partition, so every partition (and so every
 * analyzer instance of the consumer group) gets an equal share of a long job's frames.
 *
 * <p>The job's own partition is the producer's default for the job id as key: murmur2 of its
 * UTF-8 bytes (the String serializer's) made positive, modulo the partition count
 * ({@code BuiltInPartitioner.partitionForKey} in kafka-clients).
 */
public final class FramePartitions {

    private FramePartitions() {
    }

    /**
     * @param jobId      the job
     * @param seq        the frame's 0-based sequence number in the job, &gt;= 0
     * @param partitions partition count of the topic, &gt;= 1
     * @return the partition, in [0, partitions)
     * @throws IllegalArgumentException when {@code partitions} &lt; 1 or {@code seq} &lt; 0
     */
    public static int of(String jobId, long seq, int partitions) {
        if (partitions < 1 || seq < 0) {
            throw new IllegalArgumentException("partitions " + partitions + ", seq " + seq);
        }
        return (int) ((home(jobId, partitions) + seq) % partitions);
    }

    /**
     * @param jobId      the job
     * @param partitions partition count, &gt;= 1
     * @return the partition the default partitioner gives the job id as key
     */
    public static int home(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
