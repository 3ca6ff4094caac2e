package io.argus.extractor.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.Offsets;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.topics.ExtractionKeys;
import io.argus.schemas.topics.Topics;

/**
 * The flow stage: consumes frame pairs (argus.flow-pairs, consumer group {@code argus-flow}),
 * computes optical flow on a bounded pool of threads ({@link FlowPairTask}) and writes each flow
 * to the index topic argus.extracted. Instances share the work by partitions.
 *
 * <p>At least once, idempotent: a polled batch's offsets are committed after its index items are
 * acknowledged; a redelivered pair rewrites the same files and the same index key, so the index
 * holds each flow once. A pair that fails (missing frame, bad settings) is logged and skipped.
 */
public final class FlowWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlowWorker.class);

    private final KafkaConsumer<String, FlowPair> consumer;
    private final RecordSender sender;
    private final Topics topics;
    private final ExecutorService pool;
    private final ThreadLocal<FlowPairTask> tasks;
    private final List<FlowPairTask> created = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param store      frame store holding the pairs, receiving the flows
     * @param threads    pairs computed at once, &gt;= 1
     * @param instanceId distinguishes instances in client ids
     */
    public FlowWorker(KafkaSettings settings, Topics topics, FrameStore store, int threads, String instanceId) {
        this.topics = topics;
        var props = settings.consumer("argus-flow", "argus-flow-" + instanceId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(2, threads * 2));
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
        this.loop = new Thread(this::pollLoop, "argus-flow-poll-" + instanceId);
    }

    /** Starts consuming pairs. */
    public void start() {
        consumer.subscribe(List.of(topics.flowPairs().name()));
        loop.start();
    }

    private void pollLoop() {
        try {
            while (running.get()) {
                ConsumerRecords<String, FlowPair> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<ExtractedItem>> futures = new ArrayList<>();
                for (ConsumerRecord<String, FlowPair> r : records) {
                    if (r.value() != null) {
                        FlowPair pair = r.value();
                        futures.add(pool.submit(() -> tasks.get().process(pair)));
                    }
                }
                for (Future<ExtractedItem> f : futures) {
                    try {
                        ExtractedItem item = f.get();
                        sender.send(topics.extracted(), ExtractionKeys.item(ExtractionKind.FLOW, item.getPattern(),
                                item.getVideoId(), item.getRequestId(), item.getSeq()), item);
                    } catch (ExecutionException e) {
                        LOG.warn("Flow pair skipped: {}", String.valueOf(e.getCause()));
                    }
                }
                sender.flush();
                consumer.commitSync(Offsets.after(records));
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Flow worker stopped", e);
        }
    }


    /** Stops after the batch in progress and releases the clients and native flow state. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            loop.join(30_000);
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        sender.close();
        created.forEach(FlowPairTask::close);
    }
}
