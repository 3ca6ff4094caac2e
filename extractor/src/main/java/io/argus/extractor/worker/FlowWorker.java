package io.argus.extractor.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.OffsetTracker;
import io.argus.schemas.kafka.PollHandler;
import io.argus.schemas.kafka.PollLoop;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.topics.ExtractionKeys;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The flow stage: consumes frame pairs (argus.flow-pairs, consumer group {@code argus-flow}),
 * computes optical flow on a bounded pool of threads ({@link FlowPairTask}) and writes each flow
 * to the index topic argus.extracted. Instances share the work by partitions.
 *
 * <p>A pipeline, not batches: the poll thread keeps the pool fed with up to
 * {@code 4 × threads} pairs being computed (it pauses its partitions beyond that; pairs whose index
 * item only waits for the next flush do not count), sends each index
 * item as its flow completes, and every {@link #COMMIT_INTERVAL} flushes the producer and commits,
 * per partition, the offset below which every pair is done ({@link OffsetTracker}). The pool never
 * waits for a flush or a commit.
 *
 * <p>At least once, idempotent: an offset is committed only after the index items of every pair
 * before it are acknowledged; a redelivered pair rewrites the same files and the same index key,
 * so the index holds each flow once. A pair that fails (missing frame, bad settings) is logged and
 * skipped. On a rebalance the pairs in flight are finished and committed before the partitions
 * are given up.
 */
public final class FlowWorker implements AutoCloseable {

    /** How often completed pairs are flushed and their offsets committed. */
    public static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(FlowWorker.class);

    private final KafkaConsumer<String, FlowPair> consumer;
    private final RecordSender sender;
    private final Topics topics;
    private final ExecutorService pool;
    private final ThreadLocal<FlowPairTask> tasks;
    private final List<FlowPairTask> created = new CopyOnWriteArrayList<>();
    private final PollLoop<String, FlowPair> loop;
    private final int maxInFlight;
    private final OffsetTracker offsets = new OffsetTracker();
    private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    /** Pairs whose index item was sent and awaits the next flush. */
    private final List<Done> sent = new ArrayList<>();
    private long lastCommitNanos = System.nanoTime();
    private final DroppedRecords drops;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param store      frame store holding the pairs, receiving the flows
     * @param threads    pairs computed at once, &gt;= 1
     * @param instanceId distinguishes instances in client ids
     * @param metrics    where skipped pairs ({@value ArgusMeters#RECORDS_DROPPED}, stage flow), the
     *                   consumer's client meters and the lag of group {@code argus-flow} go
     */
    public FlowWorker(KafkaSettings settings, Topics topics, FrameStore store, int threads, String instanceId,
                      MeterRegistry metrics) {
        this.drops = new DroppedRecords(metrics, "flow");
        this.topics = topics;
        this.maxInFlight = 4 * Math.max(1, threads);
        var props = settings.staticConsumer("argus-flow", instanceId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxInFlight);
        this.consumer = new KafkaConsumer<>(props, topics.flowPairs().keySerde().deserializer(),
                topics.flowPairs().valueSerde().deserializer());
        this.sender = new RecordSender(settings, "argus-flow-" + instanceId);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "argus-flow");
            t.setDaemon(true);
            return t;
        });
        this.tasks = ThreadLocal.withInitial(() -> {
            FlowPairTask t = new FlowPairTask(store);
            created.add(t);
            return t;
        });
        this.loop = new PollLoop<>("argus-flow-poll-" + instanceId, consumer, new Pipeline(),
                Duration.ofSeconds(30), false).measuredIn(metrics, "argus-flow");
    }

    /** Starts consuming pairs. */
    public void start() {
        loop.start(List.of(topics.flowPairs().name()));
    }

    /** The poll thread's work: feeds the pool, sends finished items, flushes and commits. */
    private final class Pipeline implements PollHandler<String, FlowPair> {

        /** Whether pairs were being computed when the last poll started. */
        private boolean busy;

        @Override
        public Duration pollTimeout() {
            busy = computing() > 0;
            return Duration.ofMillis(busy ? 5 : 100);
        }

        @Override
        public void onPoll(ConsumerRecords<String, FlowPair> records) throws InterruptedException {
            for (ConsumerRecord<String, FlowPair> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                offsets.started(tp, r.offset());
                FlowPair pair = r.value();
                if (pair == null) {
                    done.add(new Done(tp, r.offset(), null));
                    continue;
                }
                pool.execute(() -> done.add(new Done(tp, r.offset(), compute(pair))));
            }
            collect(busy ? 5 : 0);
            if (computing() >= maxInFlight) {
                consumer.pause(consumer.assignment());
            } else if (!consumer.paused().isEmpty()) {
                consumer.resume(consumer.paused());
            }
            if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                commit(false);
            }
        }

        @Override
        public void onRevoked(Collection<TopicPartition> partitions) {
            drain();
            partitions.forEach(offsets::forget);
        }

        // onAssigned: nothing to set up, positions come from the committed offsets

        @Override
        public void onStop(boolean wokenUp) {
            drain();
        }

        @Override
        public void beforeClose() {
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @return pairs handed to the pool whose flow is not back yet; pairs whose index item waits for
     *         the next flush are done as far as the pool is concerned and must not hold back polling
     */
    private int computing() {
        return offsets.inFlight() - sent.size();
    }

    private ExtractedItem compute(FlowPair pair) {
        try {
            return tasks.get().process(pair);
        } catch (Exception e) {
            LOG.warn("Flow pair {}/{} skipped: {}", pair.getRequestId(), pair.getSeq(), String.valueOf(e));
            drops.count("pair_failed");
            return null;
        }
    }

    /** Sends the index items of finished pairs, waiting up to {@code waitMs} for the first. */
    private void collect(long waitMs) throws InterruptedException {
        Done d = waitMs > 0 ? done.poll(waitMs, TimeUnit.MILLISECONDS) : done.poll();
        while (d != null) {
            if (d.item() != null) {
                ExtractedItem item = d.item();
                sender.send(topics.extracted(), ExtractionKeys.item(ExtractionKind.FLOW, item.getPattern(),
                        item.getVideoId(), item.getRequestId(), item.getSeq()), item);
            }
            sent.add(d);
            d = done.poll();
        }
    }

    /** Flushes the sent items, marks their pairs done and commits what is safe. */
    private void commit(boolean sync) {
        lastCommitNanos = System.nanoTime();
        if (sent.isEmpty()) {
            return;
        }
        sender.flush();
        sent.forEach(d -> offsets.finished(d.partition(), d.offset()));
        sent.clear();
        Map<TopicPartition, OffsetAndMetadata> safe = offsets.commitable();
        safe.keySet().retainAll(consumer.assignment());
        if (safe.isEmpty()) {
            return;
        }
        if (sync) {
            consumer.commitSync(safe);
        } else {
            consumer.commitAsync(safe, (o, e) -> {
                if (e != null) {
                    LOG.warn("Flow offsets not committed (the pairs may run again): {}", e.toString());
                }
            });
        }
    }

    /** Waits for every pair in flight, sends their items and commits synchronously. */
    private void drain() {
        try {
            while (computing() > 0) {
                collect(50);
            }
            commit(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Flow offsets not committed on hand-over (the pairs may run again): {}", e.toString());
        }
    }

    /** Stops after the pairs in flight and releases the clients and native flow state. */
    @Override
    public void close() {
        loop.close();
        sender.close();
        created.forEach(FlowPairTask::close);
    }

    /** A pair whose work ended: its index item, or null when it was skipped. */
    private record Done(TopicPartition partition, long offset, ExtractedItem item) {
    }
}
