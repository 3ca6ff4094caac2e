package io.argus.analyzer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.analyzer.op.OpRegistry;
import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.control.ControlListener;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.Offsets;
import io.argus.schemas.kafka.PollHandler;
import io.argus.schemas.kafka.PollLoop;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * The analyzer stage: consumes FRAME events from argus.analyzer-frames (consumer group
 * {@code argus-analyzer}, read_committed), runs each frame's ops on a bounded pool of threads, and
 * writes one {@link FrameResult} per (job, op, frame) to the frame-results topic, keyed by job id
 * and stamped with this instance's id. A job's frames are spread over that topic's partitions
 * ({@link io.argus.schemas.topics.FramePartitions}), so several instances share one job; the
 * aggregator puts the results of a job back in frame order.
 *
 * <p>Consume-transform-produce in Kafka transactions: the results of a polled batch and the
 * batch's consumer offsets commit atomically, so a read_committed subscriber sees each
 * (job, op, frame) exactly once even when an analyzer dies mid-batch. Frames of one batch run in
 * parallel; their results are written sorted by job and seq, so with one instance and little lag a
 * job's results come nearly in frame order (strictly only within a batch).
 * The poll thread never waits for a batch while it has room: it keeps polling (every
 * {@value #BUSY_POLL_MS} ms while frames run), hands each new batch to the pool at once, so a
 * frame never waits for another batch's slowest frame to reach an idle thread, and commits the
 * finished batches in the order they were polled, together in one transaction. Only past
 * {@value #FRAMES_IN_FLIGHT_PER_THREAD} uncommitted frames per thread does it wait for the oldest
 * batch. If a transaction aborts, the batches polled after it are dropped too, and all are read
 * again from the rewound position. A rebalance makes the commit fail its group-generation check
 * (the offsets go with {@code consumer.groupMetadata()}), so the new owner re-reads the batches:
 * still exactly once.
 *
 * <p>Killed jobs and stopped ops: the analyzer reads the control topic as ingest does
 * ({@link ControlListener}); a frame of a killed job, or whose ops are all stopped by their
 * terminate rule, is dropped when its turn comes instead of being analysed (its offset is
 * committed as usual), and a frame keeps only the ops still running. Each dropped frame is counted
 * in {@value ArgusMeters#RECORDS_DROPPED} (stage analyzer, reason {@code job_killed} or
 * {@code ops_stopped}). The aggregator has closed such jobs and ops already, so it needs no result
 * for them.
 */
public final class AnalyzerWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerWorker.class);

    /** Results of a batch by job, then seq; a frame's ops keep their order (the sort is stable). */
    private static final Comparator<FrameResult> IN_FRAME_ORDER = Comparator
            .comparing((FrameResult r) -> r.getJobId().toString()).thenComparingLong(FrameResult::getSeq);

    private final KafkaConsumer<String, FrameEvent> consumer;
    private final KafkaProducer<String, FrameResult> producer;
    private final Topics topics;

    /**
     * Poll wait while frames run: how late, at most, a finished batch commits or a new frame
     * reaches an idle thread.
     */
    static final long BUSY_POLL_MS = 5;

    private static final Duration BUSY_POLL = Duration.ofMillis(BUSY_POLL_MS);

    /**
     * Frames polled and not yet committed, per pool thread, above which the poll thread waits for
     * the oldest batch (bounds the queue in front of the ops).
     */
    static final int FRAMES_IN_FLIGHT_PER_THREAD = 4;
    private final ExecutorService pool;
    private final ThreadLocal<FrameAnalysis> analysis;
    private final List<FrameAnalysis> created = new CopyOnWriteArrayList<>();
    private final PollLoop<String, FrameEvent> loop;
    private final String instanceId;
    private final AnalyzerMeters meters;
    private final DroppedRecords drops;
    private final ControlListener controls;
    private final KafkaClientMetrics producerMetrics;
    private final int maxFramesInFlight;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param registry   ops this analyzer runs
     * @param store      frame store the JPEGs are read from
     * @param threads    frames analysed at once, &gt;= 1 (e.g. the number of cores)
     * @param instanceId stable id of this instance: part of its transactional.id
     * @param metrics    where the analyzer's meters ({@link AnalyzerMeters}), its consumer's and
     *                   producer's client meters and the lag of group {@code argus-analyzer} go
     */
    public AnalyzerWorker(KafkaSettings settings, Topics topics, OpRegistry registry, FrameStore store,
                          int threads, String instanceId, MeterRegistry metrics) {
        this.meters = new AnalyzerMeters(metrics);
        this.drops = new DroppedRecords(metrics, "analyzer");
        this.controls = new ControlListener(settings, topics, "analyzer", instanceId);
        this.topics = topics;
        Properties cp = settings.staticConsumer("argus-analyzer", instanceId);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(2, threads * 2));
        this.consumer = new KafkaConsumer<>(cp, topics.analyzerFrames().keySerde().deserializer(),
                topics.analyzerFrames().valueSerde().deserializer());
        this.instanceId = instanceId;
        this.maxFramesInFlight = threads * FRAMES_IN_FLIGHT_PER_THREAD;
        this.producer = new KafkaProducer<>(settings.producer("argus-analyzer-" + instanceId,
                "argus-analyzer-" + instanceId), topics.frameResults().keySerde().serializer(),
                topics.frameResults().valueSerde().serializer());
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "argus-analyzer-op");
            t.setDaemon(true);
            return t;
        });
        this.analysis = ThreadLocal.withInitial(() -> {
            FrameAnalysis a = new FrameAnalysis(registry, store);
            created.add(a);
            return a;
        });
        this.loop = new PollLoop<>("argus-analyzer-poll-" + instanceId, consumer, new Batches(),
                Duration.ofSeconds(30), false).measuredIn(metrics, "argus-analyzer");
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(metrics);
    }

    /** Starts consuming frame events. */
    public void start() {
        controls.start();
        producer.initTransactions();
        loop.start(List.of(topics.analyzerFrames().name()));
    }

    /**
     * The poll thread's work: each polled batch goes to the pool at once; batches commit in the
     * order they were polled, each as soon as its frames and every older batch's are done (the
     * finished ones together, in one transaction).
     */
    private final class Batches implements PollHandler<String, FrameEvent> {

        /** Batches on the pool whose transaction is not made yet, oldest first. */
        private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();

        @Override
        public Duration pollTimeout() {
            // While frames run, poll briefly: new frames go to idle threads and finished batches commit.
            return inFlight.isEmpty() ? Duration.ofMillis(100) : BUSY_POLL;
        }

        @Override
        public void onPoll(ConsumerRecords<String, FrameEvent> records) throws InterruptedException {
            if (!records.isEmpty()) {
                inFlight.add(new Batch(records, submit(records)));
            }
            List<Batch> done = new ArrayList<>();
            int frames = inFlight.stream().mapToInt(b -> b.futures().size()).sum();
            while (!inFlight.isEmpty() && (inFlight.peek().done() || frames > maxFramesInFlight)) {
                Batch head = inFlight.poll();
                frames -= head.futures().size();
                done.add(head); // awaited in commit when over the limit
            }
            if (!done.isEmpty() && !commit(done)) {
                dropInFlight(done);
            }
        }

        /**
         * After an aborted transaction (the consumer rewound to its batches' start): the batches
         * polled after them are dropped, their partitions rewound too, and read again.
         */
        private void dropInFlight(List<Batch> aborted) throws InterruptedException {
            Set<TopicPartition> rewound = new java.util.HashSet<>();
            aborted.forEach(b -> rewound.addAll(b.records().partitions()));
            for (Batch b : inFlight) {
                b.await();
            }
            rewind(inFlight, rewound);
            inFlight.clear();
        }

        /**
         * Commits the batches in progress when the stop came between two polls; a stop that woke the
         * poll leaves them uncommitted, and their frames are read again by the partitions' next owner.
         */
        @Override
        public void onStop(boolean wokenUp) throws InterruptedException {
            if (!wokenUp && !inFlight.isEmpty()) {
                commit(new ArrayList<>(inFlight));
                inFlight.clear();
            }
        }

        @Override
        public void beforeClose() {
            pool.shutdownNow();
        }
    }

    /**
     * Writes the results of batches and their offsets in one transaction.
     *
     * @param batches batches in the order they were polled
     * @return false when the transaction was aborted and the consumer rewound to the batches' start
     * @throws InterruptedException when interrupted while waiting for the batches' frames
     * @throws ProducerFencedException when another instance with the same id took over
     */
    private boolean commit(List<Batch> batches) throws InterruptedException {
        List<FrameResult> results = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Batch b : batches) {
            results.addAll(b.await());
            offsets.putAll(Offsets.after(b.records())); // a later batch's offsets are further on
        }
        try {
            producer.beginTransaction();
            for (FrameResult r : results) {
                r.setAnalyzer(instanceId);
                producer.send(new ProducerRecord<>(topics.frameResults().name(), r.getJobId(), r));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            meters.committed(results, System.currentTimeMillis());
            return true;
        } catch (ProducerFencedException e) {
            LOG.error("Analyzer fenced by another instance with the same id; stopping");
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Transaction aborted, re-reading the batches: {}", e.getMessage());
            producer.abortTransaction();
            rewind(batches, new java.util.HashSet<>());
            return false;
        }
    }

    /**
     * Seeks back to the first record of each partition in these batches (oldest first), on the
     * partitions still assigned and not in {@code rewound}: a transaction that failed because the
     * group rebalanced has lost some partitions to other instances, which read them again from the
     * committed offsets.
     *
     * @param rewound partitions already sought back; the ones sought here are added
     */
    private void rewind(Iterable<Batch> batches, Set<TopicPartition> rewound) {
        for (Batch b : batches) {
            for (TopicPartition tp : b.records().partitions()) {
                if (rewound.add(tp) && consumer.assignment().contains(tp)) {
                    consumer.seek(tp, b.records().records(tp).get(0).offset());
                }
            }
        }
    }

    private List<Future<List<FrameResult>>> submit(ConsumerRecords<String, FrameEvent> records) {
        List<Future<List<FrameResult>>> futures = new ArrayList<>();
        for (ConsumerRecord<String, FrameEvent> r : records) {
            FrameEvent e = r.value();
            if (e != null && e.getKind() == FrameKind.FRAME && !e.getOps().isEmpty()) {
                futures.add(pool.submit(() -> {
                    // checked when the frame's turn comes: a kill read meanwhile drops it too
                    FrameEvent wanted = stillWanted(e);
                    return wanted == null ? List.<FrameResult>of() : analysis.get().analyze(wanted);
                }));
            }
        }
        return futures;
    }

    /**
     * @param frame a FRAME event
     * @return the frame with only the ops that still want it, or null when its job was killed or
     *         every op of it is stopped (counted in {@value ArgusMeters#RECORDS_DROPPED})
     */
    private FrameEvent stillWanted(FrameEvent frame) {
        String job = frame.getJobId().toString();
        if (controls.killed(job)) {
            drops.count("job_killed");
            return null;
        }
        Set<String> stopped = controls.stoppedOps(job);
        if (stopped.isEmpty()) {
            return frame;
        }
        List<String> ops = frame.getOps().stream().filter(op -> !stopped.contains(op)).toList();
        if (ops.isEmpty()) {
            drops.count("ops_stopped");
            return null;
        }
        return ops.size() == frame.getOps().size() ? frame : FrameEvent.newBuilder(frame).setOps(ops).build();
    }

    /** A polled batch and its frames on the pool. */
    private record Batch(ConsumerRecords<String, FrameEvent> records, List<Future<List<FrameResult>>> futures) {

        /** @return true when every frame of the batch is done */
        boolean done() {
            return futures.stream().allMatch(Future::isDone);
        }

        /**
         * @return the results sorted by job, then seq (a batch holds frames of several partitions,
         *         which hold interleaved frames of a job), once every frame is done
         */
        List<FrameResult> await() throws InterruptedException {
            List<FrameResult> results = new ArrayList<>();
            try {
                for (Future<List<FrameResult>> f : futures) {
                    results.addAll(f.get());
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("frame analysis crashed", e.getCause());
            }
            results.sort(IN_FRAME_ORDER);
            return results;
        }
    }

    /** Stops after the batch in progress and releases the clients and ops. */
    @Override
    public void close() {
        loop.close();
        controls.close();
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
        created.forEach(FrameAnalysis::close);
    }
}
