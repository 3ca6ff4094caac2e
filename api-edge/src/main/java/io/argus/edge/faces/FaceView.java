package io.argus.edge.faces;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.view.TopicFollower;
import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * The faces of every job's traces, without their embeddings (those are in the search index), in
 * memory, rebuilt from {@code argus.faces} at start and kept up to date (a tombstone removes a face).
 * About 120 bytes per face: a million faces take about 120 MB of heap. Thread-safe.
 */
public final class FaceView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaceView.class);

    /**
     * One face of a trace.
     *
     * @param traceId  the trace
     * @param seq      analysed frame's sequence number
     * @param offsetMs frame offset, ms
     * @param left     box, px of the frame
     * @param top      px
     * @param right    px
     * @param bottom   px
     * @param score    detection confidence, [0, 1]
     * @param blur     Laplacian sharpness of the aligned crop (higher is sharper), or null
     * @param frameUri the frame's JPEG in the frame store, or null
     * @param width    frame width, px
     * @param height   frame height, px
     */
    public record Face(long traceId, long seq, long offsetMs, int left, int top, int right, int bottom, float score,
                       Float blur, String frameUri, int width, int height) {

        /** @return box area, px² */
        public long area() {
            return (long) Math.max(0, right - left) * Math.max(0, bottom - top);
        }
    }

    private final Map<String, Map<Long, NavigableMap<Long, Face>>> jobs = new HashMap<>();
    private final TopicFollower follower;

    /**
     * @param topics topic registry ({@link Topics#faces()})
     * @param kafka  connection settings
     */
    public FaceView(Topics topics, KafkaSettings kafka) {
        Deserializer<FaceEvent> reader = topics.faces().valueSerde().deserializer();
        this.follower = new TopicFollower(topics.faces().name(), "face-view", kafka, r -> apply(r, reader));
    }

    private void apply(ConsumerRecord<String, byte[]> r, Deserializer<FaceEvent> reader) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            String[] k = r.key().split("/");
            if (k.length == 3) {
                try {
                    remove(k[0], Long.parseLong(k[1]), Long.parseLong(k[2]));
                } catch (NumberFormatException e) {
                    LOG.debug("Face view: tombstone with a bad key {}", r.key());
                }
            }
            return;
        }
        FaceEvent e;
        try {
            e = reader.deserialize(r.topic(), r.value());
        } catch (RuntimeException bad) {
            LOG.warn("Face view: skipping undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    bad.toString());
            return;
        }
        put(e);
    }

    /** @param e a face, added (or replacing the same key's) */
    public synchronized void put(FaceEvent e) {
        Face f = new Face(e.getTraceId(), e.getSeq(), e.getOffsetMs(), e.getBox().getLeft(), e.getBox().getTop(),
                e.getBox().getRight(), e.getBox().getBottom(), e.getScore(), e.getBlur(),
                e.getFrameUri(), e.getWidth(), e.getHeight());
        jobs.computeIfAbsent(e.getJobId(), k -> new TreeMap<>()).computeIfAbsent(e.getTraceId(), k -> new TreeMap<>())
                .put(e.getSeq(), f);
    }

    private synchronized void remove(String job, long trace, long seq) {
        Map<Long, NavigableMap<Long, Face>> traces = jobs.get(job);
        NavigableMap<Long, Face> faces = traces == null ? null : traces.get(trace);
        if (faces != null) {
            faces.remove(seq);
            if (faces.isEmpty()) {
                traces.remove(trace);
            }
            if (traces.isEmpty()) {
                jobs.remove(job);
            }
        }
    }

    /** @param jobId a job whose faces are forgotten (its file was deleted) */
    public synchronized void forget(String jobId) {
        jobs.remove(jobId);
    }

    /**
     * @param jobId a job
     * @return its traces: trace id to its faces by seq (copies), by ascending trace id
     */
    public synchronized NavigableMap<Long, List<Face>> traces(String jobId) {
        NavigableMap<Long, List<Face>> out = new TreeMap<>();
        Map<Long, NavigableMap<Long, Face>> traces = jobs.get(jobId);
        if (traces != null) {
            traces.forEach((id, faces) -> out.put(id, new ArrayList<>(faces.values())));
        }
        return out;
    }

    /**
     * @param jobId   a job
     * @param traceId a trace
     * @return its faces by seq, empty when unknown
     */
    public synchronized List<Face> trace(String jobId, long traceId) {
        Map<Long, NavigableMap<Long, Face>> traces = jobs.get(jobId);
        NavigableMap<Long, Face> faces = traces == null ? null : traces.get(traceId);
        return faces == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(faces.values()));
    }

    /** Starts following the topic. */
    public void start() {
        follower.start();
    }

    /** @return completes once the faces present at start are read */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public void close() {
        follower.close();
    }
}
