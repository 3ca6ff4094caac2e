package io.argus.analyzer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.analyzer.op.OpRegistry;
import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.Offsets;
import io.argus.schemas.topics.Topics;

/**
 * The analyzer stage: consumes frame events (consumer group {@code argus-analyzer},
 * read_committed), runs each frame's ops on a bounded pool of threads, and writes one
 * {@link FrameResult} per (job, op, frame) to the frame-results topic.
 *
 * <p>Consume-transform-produce in Kafka transactions: the results of a polled batch and the
 * batch's consumer offsets commit atomically, so a read_committed subscriber sees each
 * (job, op, frame) exactly once even when an analyzer dies mid-batch. Frames of one batch run in
 * parallel; their results are written in the batch's order, so a job's results stay in sequence.
 */
public final class AnalyzerWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerWorker.class);

    private final KafkaConsumer<String, FrameEvent> consumer;
    private final KafkaProducer<String, FrameResult> producer;
    private final Topics topics;
    private final ExecutorService pool;
    private final ThreadLocal<FrameAnalysis> analysis;
    private final List<FrameAnalysis> created = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param registry   ops this analyzer runs
     * @param store      frame store the JPEGs are read from
     * @param threads    frames analysed at once, &gt;= 1 (e.g. the number of cores)
     * @param instanceId stable id of this instance: part of its transactional.id
     */
    public AnalyzerWorker(KafkaSettings settings, Topics topics, OpRegistry registry, FrameStore store,
                          int threads, String instanceId) {
        this.topics = topics;
        Properties cp = settings.staticConsumer("argus-analyzer", instanceId);
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(2, threads * 2));
        this.consumer = new KafkaConsumer<>(cp, topics.frames().keySerde().deserializer(),
                topics.frames().valueSerde().deserializer());
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
        this.loop = new Thread(this::pollLoop, "argus-analyzer-poll-" + instanceId);
    }

    /** Starts consuming frame events. */
    public void start() {
        producer.initTransactions();
        consumer.subscribe(List.of(topics.frames().name()));
        loop.start();
    }

    private void pollLoop() {
        try {
            while (running.get()) {
                ConsumerRecords<String, FrameEvent> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                List<FrameResult> results = analyze(records);
                if (results == null) {
                    return;
                }
                try {
                    producer.beginTransaction();
                    for (FrameResult r : results) {
                        producer.send(new ProducerRecord<>(topics.frameResults().name(), r.getJobId(), r));
                    }
                    producer.sendOffsetsToTransaction(Offsets.after(records), consumer.groupMetadata());
                    producer.commitTransaction();
                } catch (ProducerFencedException e) {
                    LOG.error("Analyzer fenced by another instance with the same id; stopping", e);
                    return;
                } catch (KafkaException e) {
                    LOG.warn("Transaction aborted, re-reading the batch: {}", e.getMessage());
                    producer.abortTransaction();
                    rewind(records);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Analyzer poll loop stopped", e);
        }
    }

    private List<FrameResult> analyze(ConsumerRecords<String, FrameEvent> records) {
        List<Future<List<FrameResult>>> futures = new ArrayList<>();
        for (ConsumerRecord<String, FrameEvent> r : records) {
            FrameEvent e = r.value();
            if (e != null && e.getKind() == FrameKind.FRAME && !e.getOps().isEmpty()) {
                futures.add(pool.submit(() -> analysis.get().analyze(e)));
            }
        }
        List<FrameResult> results = new ArrayList<>();
        try {
            for (Future<List<FrameResult>> f : futures) {
                results.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("frame analysis crashed", e.getCause());
        }
        return results;
    }


    private void rewind(ConsumerRecords<String, FrameEvent> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
    }

    /** Stops after the batch in progress and releases the clients and ops. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            loop.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        KafkaSettings.closeLeavingGroup(consumer);
        producer.close(Duration.ofSeconds(5));
        created.forEach(FrameAnalysis::close);
    }
}
