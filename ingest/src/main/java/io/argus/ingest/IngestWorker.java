package io.argus.ingest;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.ingest.extraction.PatternExtraction;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.OffsetTracker;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.topics.Topics;

/**
 * The ingest stage: consumes job requests and frame/flow extraction requests (consumer group
 * {@code argus-ingest}) and runs each job's {@link FrameExtraction} (or each extraction's
 * {@link PatternExtraction}) on a pool of job slots, so a long job never blocks the poll loop or
 * other jobs. Files and HTTP URLs use the file slots (decoding is CPU-bound); live RTMP/RTSP jobs,
 * which run until killed, terminated or timed out and mostly wait on the network, use their own
 * larger pool. When either pool is full the assigned partitions are paused (the consumer keeps
 * polling, so it stays in the group). Offsets are committed only up to the oldest unfinished job
 * of each partition.
 *
 * <p>A job request delivered again (its instance died, or it sat behind an unfinished job when the
 * last commit was made) first reads back what argus.frames already holds for the job
 * ({@link FrameLog}): a finished job sends nothing, an unfinished one resumes after its last sent
 * frame, so no frame event is sent twice.
 *
 * <p>Kills and terminated ops arrive on the control topic through a {@link ControlListener},
 * which has read the topic to its end before the first job starts.
 */
public final class IngestWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);

    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final KafkaProducer<String, FrameEvent> producer;
    private final Topics topics;
    private final FrameExtraction extraction;
    private final ExecutorService slots;
    private final ExecutorService liveSlots;
    private final int slotCount;
    private final int liveSlotCount;
    private final ControlListener controls;
    private int filesRunning;
    private int liveRunning;
    private final OffsetTracker offsets = new OffsetTracker();
    private final ConcurrentLinkedQueue<ConsumerRecord<String, SpecificRecord>> done = new ConcurrentLinkedQueue<>();
    private final RecordSender sender;
    private final PatternExtraction patterns;
    private final FrameLog frameLog;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread loop;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param store      frame store for the JPEGs
     * @param slotCount  file (and HTTP) jobs decoded at once by this instance, &gt;= 1
     * @param liveSlotCount live jobs run at once by this instance, &gt;= 1
     * @param instanceId distinguishes instances in client ids
     */
    public IngestWorker(KafkaSettings settings, Topics topics, FrameStore store, int slotCount, int liveSlotCount,
                        String instanceId) {
        this.topics = topics;
        this.slotCount = slotCount;
        this.liveSlotCount = liveSlotCount;
        this.controls = new ControlListener(settings, topics, instanceId);
        this.consumer = new KafkaConsumer<>(settings.staticConsumer("argus-ingest", instanceId),
                topics.jobs().keySerde().deserializer(), new ByTopicDeserializer(topics.jobs(), topics.extractions()));
        this.sender = new RecordSender(settings, "argus-ingest-extract-" + instanceId);
        this.patterns = new PatternExtraction(store, sender, topics);
        this.producer = new KafkaProducer<>(settings.producer("argus-ingest-" + instanceId, null),
                topics.frames().keySerde().serializer(), topics.frames().valueSerde().serializer());
        this.extraction = new FrameExtraction(store, new KafkaFrameSink(producer, topics.frames()));
        this.frameLog = new FrameLog(settings, topics.frames(), "argus-ingest-framelog-" + instanceId);
        this.slots = Executors.newFixedThreadPool(slotCount, r -> {
            Thread t = new Thread(r, "argus-ingest-job");
            t.setDaemon(true);
            return t;
        });
        this.liveSlots = Executors.newFixedThreadPool(liveSlotCount, r -> {
            Thread t = new Thread(r, "argus-ingest-live-job");
            t.setDaemon(true);
            return t;
        });
        this.loop = new Thread(this::pollLoop, "argus-ingest-poll-" + instanceId);
    }

    /** Starts reading the control topic, then consuming job requests once it is read to its end. */
    public void start() {
        controls.start();
        consumer.subscribe(List.of(topics.jobs().name(), topics.extractions().name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commit();
                partitions.forEach(offsets::forget);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // nothing to do: positions come from committed offsets
            }
        });
        loop.start();
    }

    private void pollLoop() {
        if (!controls.awaitCaughtUp(Duration.ofSeconds(60))) {
            LOG.warn("Control topic not read to its end after 60 s; starting jobs anyway");
        }
        try {
            while (running.get()) {
                for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null) {
                        continue;
                    }
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    offsets.started(tp, r.offset());
                    if (isLive(r.value())) {
                        liveRunning++;
                        liveSlots.submit(() -> runJob(r));
                    } else {
                        filesRunning++;
                        slots.submit(() -> runJob(r));
                    }
                }
                ConsumerRecord<String, SpecificRecord> finished;
                boolean progress = false;
                while ((finished = done.poll()) != null) {
                    offsets.finished(new TopicPartition(finished.topic(), finished.partition()), finished.offset());
                    if (isLive(finished.value())) {
                        liveRunning--;
                    } else {
                        filesRunning--;
                    }
                    progress = true;
                }
                if (progress) {
                    commit();
                }
                if (filesRunning >= slotCount || liveRunning >= liveSlotCount) {
                    consumer.pause(consumer.assignment());
                } else {
                    consumer.resume(consumer.paused());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Ingest poll loop stopped", e);
        }
    }

    private void runJob(ConsumerRecord<String, SpecificRecord> record) {
        if (record.value() instanceof ExtractionRequest request) {
            try {
                if (patterns.run(request, () -> !running.get()) < 0) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("Extraction {} could not be delivered", request.getRequestId(), e);
            }
            done.add(record);
            return;
        }
        JobRequest job = (JobRequest) record.value();
        try {
            SentSoFar sent = sentSoFar(job, record.timestamp());
            long frames = extraction.run(job, () -> !running.get(), controls, sent);
            if (frames < 0) {
                LOG.info("Job {} interrupted by shutdown; it runs again on restart", job.getJobId());
                return;
            }
            LOG.info("Job {}: {} frames sampled from {}", job.getJobId(), frames, job.getUri());
        } catch (RuntimeException e) {
            LOG.error("Job {} could not be delivered", job.getJobId(), e);
        }
        done.add(record);
    }

    /** What the frames topic holds for the job; a fresh start if it cannot be read (duplicates, never a lost job). */
    private SentSoFar sentSoFar(JobRequest job, long requestedAtMs) {
        for (int attempt = 1; ; attempt++) {
            try {
                return frameLog.read(job.getJobId(), requestedAtMs);
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    LOG.warn("Job {}: cannot read back its frames ({}); running it from the start", job.getJobId(),
                            e.toString());
                    return SentSoFar.NOTHING;
                }
            }
        }
    }

    private static boolean isLive(SpecificRecord value) {
        if (!(value instanceof JobRequest job)) {
            return false;
        }
        try {
            return SourceUri.parse(job.getUri()).isLive();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void commit() {
        var commitable = offsets.commitable();
        if (!commitable.isEmpty()) {
            try {
                consumer.commitSync(commitable);
            } catch (RuntimeException e) {
                LOG.warn("Offset commit failed: {}", e.getMessage());
            }
        }
    }

    /** Stops polling, interrupts running jobs at their next frame (uncommitted, so they rerun) and releases the clients. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            loop.join(10_000);
            slots.shutdown();
            liveSlots.shutdown();
            slots.awaitTermination(10, TimeUnit.SECONDS);
            liveSlots.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KafkaSettings.closeLeavingGroup(consumer);
        controls.close();
        producer.close(Duration.ofSeconds(5));
        sender.close();
        frameLog.close();
    }
}
