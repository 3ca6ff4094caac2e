package io.argus.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.FramePartitions;
import io.argus.schemas.topics.Topic;

/**
 * Reads back what argus.frames already holds for a job, so that a job started again after its
 * ingest process died resumes where it got to ({@link SentSoFar}).
 *
 * <p>The job's events are all on one partition (they are keyed by job id; the partition is the
 * producer's default: murmur2 of the serialized key modulo the partition count,
 * {@code BuiltInPartitioner.partitionForKey} in kafka-clients). No event of a job can be older
 * than its request, so the scan starts at the first record of that partition not older than the
 * request's timestamp less {@link #CLOCK_SKEW} ({@code offsetsForTimes}) and reads to the end
 * offset taken when the scan starts: the cost is the partition's traffic since the job was
 * requested, not its whole retention.
 *
 * <p>Correctness rests on the frames producer being transactional ({@link TransactionalFrameSink}),
 * on this reader being read_committed and on the reader starting only after the job's new run has
 * fenced any earlier run of the job (so no transaction of it is still open): within a partition,
 * committed records are in send order without duplicates, so if FRAME n is in the log, every FRAME
 * before it is too. Thread-safe (one reader shared by the job slots, calls serialized).
 */
public final class FrameLog implements AutoCloseable {

    /** Margin for clocks of the edge (which stamped the request) and ingest hosts disagreeing. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** Longest a read-back may take before it fails (the job then waits for redelivery). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, FrameEvent> consumer;
    private final Topic<String, FrameEvent> topic;

    /**
     * @param settings Kafka connection
     * @param topic    the frames topic
     * @param clientId client id of the reader
     */
    public FrameLog(KafkaSettings settings, Topic<String, FrameEvent> topic, String clientId) {
        Properties p = settings.consumer("unused", clientId);
        p.remove("group.id");
        this.consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        this.topic = topic;
    }

    /**
     * @param jobId         the job
     * @param requestedAtMs timestamp of the job's request record (ms since the epoch)
     * @return what the log holds for the job (read_committed)
     * @throws org.apache.kafka.common.KafkaException when the cluster cannot be read
     */
    public synchronized SentSoFar read(String jobId, long requestedAtMs) {
        int partitions = consumer.partitionsFor(topic.name()).size();
        TopicPartition tp = new TopicPartition(topic.name(), FramePartitions.home(jobId, partitions));
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(
                Map.of(tp, Math.max(0, requestedAtMs - CLOCK_SKEW.toMillis())));
        OffsetAndTimestamp from = start.get(tp);
        SentSoFar sent = SentSoFar.NOTHING;
        if (from == null || from.offset() >= end) {
            return sent;
        }
        consumer.seek(tp, from.offset());
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(tp) < end) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("reading back job " + jobId + " on " + tp
                        + " did not reach offset " + end + " in " + READ_TIMEOUT);
            }
            for (ConsumerRecord<String, FrameEvent> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= end) {
                    break;
                }
                if (jobId.equals(r.key()) && r.value() != null) {
                    sent = sent.with(r.value());
                }
            }
        }
        return sent;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
