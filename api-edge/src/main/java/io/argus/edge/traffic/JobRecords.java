package io.argus.edge.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import io.argus.schemas.avro.FrameCount;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topic;

/**
 * Reads the records of one job from a topic keyed by job id: only the partition the key maps to
 * (the producers' default partitioner, murmur2 of the UTF-8 key, as Kafka's
 * {@code BuiltInPartitioner.partitionForKey}), read committed, without a consumer group. Kafka is
 * the source of truth: nothing is cached here.
 */
public final class JobRecords {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaSettings kafka;

    /** @param kafka connection settings */
    public JobRecords(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** @return the connection settings these reads use (for a caller that follows another topic alongside) */
    public KafkaSettings kafka() {
        return kafka;
    }

    /**
     * @param topic a topic keyed by job id
     * @param jobId the job
     * @return the job's records from the start of the partition to its end now, in offset order
     */
    public <V> List<V> read(Topic<String, V> topic, String jobId) {
        List<V> out = new ArrayList<>();
        follow(topic, jobId, v -> {
            out.add(v);
            return false;
        }, () -> false, true);
        return out;
    }

    /**
     * Follows a job's records as they are written, from the start of the partition.
     *
     * @param topic     a topic keyed by job id
     * @param jobId     the job
     * @param sink      gets each record in order; returns true to stop
     * @param cancelled checked between polls; true stops
     * @param toEndOnly stop at the partition's end as of the first poll
     */
    <V> void follow(Topic<String, V> topic, String jobId, Predicate<V> sink, BooleanSupplier cancelled,
                    boolean toEndOnly) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        Properties p = kafka.consumer("unused", "argus-traffic-" + jobId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> parts = consumer.partitionsFor(topic.name());
            int partition = partitionOf(jobId, parts.size());
            TopicPartition tp = new TopicPartition(topic.name(), partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = toEndOnly ? consumer.endOffsets(List.of(tp)).get(tp) : Long.MAX_VALUE;
            while (!cancelled.getAsBoolean() && consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (jobId.equals(r.key()) && r.value() != null
                            && sink.test(values.deserialize(topic.name(), r.value()))) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Follows a job's tracks and counts together and hands over each tracked frame with its counts,
     * in {@code seq} order, as soon as both are readable (the aggregator writes them in one
     * transaction; the two partitions are read by one consumer).
     *
     * @param tracks    {@code argus.tracks}
     * @param counts    {@code argus.counts}
     * @param jobId     the job
     * @param sink      gets each frame (never the end record) and its FRAME counts; returns true to stop
     * @param cancelled checked between polls; true stops
     * @return true when the job's end record was reached
     */
    public boolean followFrames(Topic<String, TrackFrame> tracks, Topic<String, TrafficCount> counts, String jobId,
                         java.util.function.BiPredicate<TrackFrame, FrameCount> sink, BooleanSupplier cancelled) {
        Deserializer<TrackFrame> trackValues = tracks.valueSerde().deserializer();
        Deserializer<TrafficCount> countValues = counts.valueSerde().deserializer();
        Properties p = kafka.consumer("unused", "argus-traffic-stream-" + jobId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        java.util.TreeMap<Long, TrackFrame> frames = new java.util.TreeMap<>();
        java.util.Map<Long, FrameCount> frameCounts = new java.util.HashMap<>();
        long endSeq = Long.MAX_VALUE;
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(tracks.name(),
                    partitionOf(jobId, consumer.partitionsFor(tracks.name()).size()));
            TopicPartition cp = new TopicPartition(counts.name(),
                    partitionOf(jobId, consumer.partitionsFor(counts.name()).size()));
            consumer.assign(List.of(tp, cp));
            consumer.seekToBeginning(List.of(tp, cp));
            while (!cancelled.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (!jobId.equals(r.key()) || r.value() == null) {
                        continue;
                    }
                    if (r.topic().equals(tracks.name())) {
                        TrackFrame f = trackValues.deserialize(r.topic(), r.value());
                        if (f.getEnd()) {
                            endSeq = f.getSeq();
                        } else {
                            frames.putIfAbsent(f.getSeq(), f);
                        }
                    } else {
                        TrafficCount c = countValues.deserialize(r.topic(), r.value());
                        if (c.getKind() == io.argus.schemas.avro.CountKind.FRAME && c.getFrame() != null) {
                            frameCounts.putIfAbsent(c.getSeq(), c.getFrame());
                        }
                    }
                }
                while (!frames.isEmpty() && frameCounts.containsKey(frames.firstKey())) {
                    TrackFrame f = frames.pollFirstEntry().getValue();
                    if (sink.test(f, frameCounts.remove(f.getSeq()))) {
                        return false;
                    }
                }
                if (frames.isEmpty() && endSeq != Long.MAX_VALUE) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the partition of a job's key for a topic with {@code partitions} partitions */
    static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }
}
