package io.argus.edge.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The segments of one job as its event stream shows them: per op, the last segment closed (from
 * {@code argus.segments}, written by the aggregator as segments close) and the segment open now.
 *
 * <p>The aggregator keeps the open segment in its state and publishes a segment only when it
 * closes; a live camera whose labels do not change may keep one segment open for hours. The open
 * segment is therefore followed here from the op's frame results ({@code argus.frame-results}) by
 * the segment rule of DESIGN.md "Segments": a frame whose set of label names differs from the open
 * segment's opens a new one, which begins at that frame's offset; a closed segment reaching to or
 * past the open one's begin ends it (the aggregator closed it: a rejected frame, or a time window).
 * The names are the frame result's, before the op's label selection ({@code ops[].params.labels}),
 * so a job with label rules may show a set the aggregator narrows later; the closed segments are
 * always the aggregator's.
 *
 * <p>{@link #poll} waits at most {@link #POLL}: the event stream calls it between its own polls. It reads both
 * topics' partitions of the job from the start (read committed, no consumer group) and answers at
 * most one {@code closed} and one {@code open} change per op per call, so a stream that catches up
 * on a long history sends the latest state, not every step. Not thread-safe; one per stream.
 */
final class LiveSegments implements AutoCloseable {

    /** Longest a {@link #poll} waits for the broker, ms: short, it runs between the stream's own polls. */
    static final Duration POLL = Duration.ofMillis(20);

    private final String jobId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String segmentsTopic;
    private final Deserializer<Segment> segments;
    private final Deserializer<FrameResult> results;
    private final Map<String, OpSegments> ops = new LinkedHashMap<>();

    /** One op's segments: the last closed, the open one and what was last sent of each. */
    private static final class OpSegments {
        Segment lastClosed;
        int closedCount;
        long closedEnd = -1;
        Set<String> openNames;
        long openBegin;
        long openLast;
        Map<String, Float> openScores = new HashMap<>();
        long lastSeq = -1;
        boolean closedChanged;
        boolean openChanged;
    }

    /**
     * @param kafka  connection settings
     * @param topics topic registry ({@link Topics#segments()}, {@link Topics#frameResults()})
     * @param jobId  the job
     */
    LiveSegments(KafkaSettings kafka, Topics topics, String jobId) {
        this.jobId = jobId;
        this.segmentsTopic = topics.segments().name();
        this.segments = topics.segments().valueSerde().deserializer();
        this.results = topics.frameResults().valueSerde().deserializer();
        Properties p = kafka.consumer("unused", "argus-dashboard-segments-" + jobId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        partition(segmentsTopic).ifPresent(parts::add);
        partition(topics.frameResults().name()).ifPresent(parts::add);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** @return the topic's partition of the job, empty when the topic does not exist (no segments then) */
    private java.util.Optional<TopicPartition> partition(String topic) {
        List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            return java.util.Optional.empty();
        }
        // the producers' default partitioner: murmur2 of the UTF-8 key (Kafka's BuiltInPartitioner)
        int p = Utils.toPositive(Utils.murmur2(jobId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % infos.size();
        return java.util.Optional.of(new TopicPartition(topic, p));
    }

    /**
     * Reads what has arrived, without waiting.
     *
     * @return the changes since the last call, each the data of one {@code segment} event:
     *         {@code {"op", "state": "closed", "index", "offset_begin", "offset_end", "labels":
     *         [{"label", "score"}]}} for the op's newest closed segment, and {@code {"op",
     *         "state": "open", "index" (the index it will get), "offset_begin", "offset_last" (the
     *         offset of its newest frame), "labels"}} for the segment open now; offsets in ms of the
     *         video (from the job's start for a live source), scores in [0, 1]
     */
    List<ObjectNode> poll() {
        read(POLL);
        return changes();
    }

    /**
     * Reads both partitions up to their ends as of now (the job has ended: its last segments are
     * written), or until {@code max} has passed.
     *
     * @param max longest wait
     * @return the changes since the last call, as {@link #poll} answers them
     */
    List<ObjectNode> drain(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), max);
            while (System.nanoTime() < deadline
                    && ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), max) < e.getValue())) {
                read(Duration.ofMillis(100));
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            // the broker did not answer in time: what was read is sent
        }
        return changes();
    }

    private void read(Duration timeout) {
        if (consumer.assignment().isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (!jobId.equals(r.key()) || r.value() == null) {
                continue;
            }
            if (r.topic().equals(segmentsTopic)) {
                closed(segments.deserialize(r.topic(), r.value()));
            } else {
                frame(results.deserialize(r.topic(), r.value()));
            }
        }
    }

    private List<ObjectNode> changes() {
        List<ObjectNode> out = new ArrayList<>();
        ops.forEach((op, s) -> {
            if (s.closedChanged && s.lastClosed != null) {
                ObjectNode o = event(op, "closed", s.lastClosed.getIndex(), s.lastClosed.getOffsetBegin());
                o.put("offset_end", s.lastClosed.getOffsetEnd());
                labels(o, s.lastClosed.getLabels().stream().map(l -> Map.entry(l.getLabel(), l.getScore())).toList());
                out.add(o);
            }
            if (s.openChanged && s.openNames != null) {
                ObjectNode o = event(op, "open", s.closedCount, s.openBegin);
                o.put("offset_last", s.openLast);
                labels(o, new ArrayList<>(s.openScores.entrySet()));
                out.add(o);
            }
            s.closedChanged = false;
            s.openChanged = false;
        });
        return out;
    }

    private void closed(Segment seg) {
        OpSegments s = ops.computeIfAbsent(seg.getOp(), k -> new OpSegments());
        if (s.lastClosed == null || seg.getIndex() >= s.lastClosed.getIndex()) {
            s.lastClosed = seg;
            s.closedChanged = true;
        }
        s.closedCount = Math.max(s.closedCount, seg.getIndex() + 1);
        s.closedEnd = Math.max(s.closedEnd, seg.getOffsetEnd());
        if (s.openNames != null && s.openBegin <= seg.getOffsetEnd()) {
            // the aggregator closed the segment followed here: the next frame opens another
            s.openNames = null;
            s.openScores = new HashMap<>();
            s.openChanged = true;
        } else if (s.openNames != null) {
            s.openChanged = true; // its index moved on
        }
    }

    private void frame(FrameResult r) {
        OpSegments s = ops.computeIfAbsent(r.getOp(), k -> new OpSegments());
        if (r.getSeq() <= s.lastSeq || r.getError() != null || r.getOffsetMs() <= s.closedEnd) {
            return; // a repeat, a frame the op failed on, or one already in a closed segment
        }
        s.lastSeq = r.getSeq();
        Set<String> names = new TreeSet<>();
        for (Label l : r.getLabels()) {
            names.add(l.getLabel());
        }
        if (!names.equals(s.openNames)) {
            s.openNames = names;
            s.openBegin = r.getOffsetMs();
            s.openScores = new HashMap<>();
        }
        for (Label l : r.getLabels()) {
            s.openScores.merge(l.getLabel(), l.getScore(), Math::max);
        }
        s.openLast = r.getOffsetMs();
        s.openChanged = true;
    }

    private static ObjectNode event(String op, String state, int index, long begin) {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("op", op);
        o.put("state", state);
        o.put("index", index);
        o.put("offset_begin", begin);
        return o;
    }

    /** Adds the labels, best score first. */
    private static void labels(ObjectNode o, List<Map.Entry<String, Float>> labels) {
        ArrayNode a = o.putArray("labels");
        labels.stream().sorted(Map.Entry.<String, Float>comparingByValue().reversed())
                .forEach(e -> a.addObject().put("label", e.getKey()).put("score", Math.round(e.getValue() * 1000) / 1000.0));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
