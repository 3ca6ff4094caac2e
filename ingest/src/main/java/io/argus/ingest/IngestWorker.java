package io.argus.ingest;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.ingest.extraction.PatternExtraction;
import io.argus.schemas.control.ControlListener;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.kafka.OffsetTracker;
import io.argus.schemas.kafka.PollHandler;
import io.argus.schemas.kafka.PollLoop;
import io.argus.schemas.kafka.RecordSender;
import io.argus.schemas.net.Redaction;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;

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
 * <p>Each run of a job sends its events in Kafka transactions ({@link TransactionalFrameSink},
 * transactional.id per job): opening the run's sink fences any earlier run of the job, then the
 * run reads back what argus.frames holds for the job ({@link FrameLog}, read_committed): a
 * finished job sends nothing, an unfinished one resumes after its last committed frame, so no
 * frame event is sent twice, whether the request was delivered again because its instance died
 * or because it sat behind an unfinished job when the last offset commit was made. A run whose
 * events could not be committed starts again the same way, after a back-off.
 *
 * <p>Kills and terminated ops arrive on the control topic through a {@link ControlListener},
 * which has read the topic to its end before the first job starts.
 */
public final class IngestWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);

    /** Longest wait between two attempts of a job whose frame events could not be committed. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final KafkaFrameSinks sinks;
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
    private final PollLoop<String, SpecificRecord> loop;

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param store      frame store for the JPEGs
     * @param opener     opens sources, with the process's URL guard and file roots
     * @param slotCount  file (and HTTP) jobs decoded at once by this instance, &gt;= 1
     * @param liveSlotCount live jobs run at once by this instance, &gt;= 1
     * @param instanceId distinguishes instances in client ids
     * @param metrics    where frames sampled, the consumer's client meters and the lag of group
     *                   {@code argus-ingest} go
     */
    public IngestWorker(KafkaSettings settings, Topics topics, FrameStore store, SourceOpener opener, int slotCount,
                        int liveSlotCount, String instanceId, MeterRegistry metrics) {
        this.topics = topics;
        this.slotCount = slotCount;
        this.liveSlotCount = liveSlotCount;
        this.controls = new ControlListener(settings, topics, "ingest", instanceId);
        this.consumer = new KafkaConsumer<>(settings.staticConsumer("argus-ingest", instanceId),
                topics.jobs().keySerde().deserializer(), new ByTopicDeserializer(topics.jobs(), topics.extractions()));
        this.sender = new RecordSender(settings, "argus-ingest-extract-" + instanceId);
        this.patterns = new PatternExtraction(store, sender, topics, opener);
        this.sinks = new KafkaFrameSinks(settings, topics, instanceId);
        this.extraction = new FrameExtraction(store, opener, metrics);
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
        this.loop = new PollLoop<>("argus-ingest-poll-" + instanceId, consumer, new Jobs(), Duration.ofSeconds(10),
                false).measuredIn(metrics, "argus-ingest");
    }

    /** Starts reading the control topic, then consuming job requests once it is read to its end. */
    public void start() {
        controls.start();
        loop.start(List.of(topics.jobs().name(), topics.extractions().name()));
    }

    /** The poll thread's work: hands requests to the job slots and commits behind the oldest unfinished job. */
    private final class Jobs implements PollHandler<String, SpecificRecord> {

        @Override
        public void onStart() {
            if (!controls.awaitCaughtUp(Duration.ofSeconds(60))) {
                LOG.warn("Control topic not read to its end after 60 s; starting jobs anyway");
            }
        }

        @Override
        public Duration pollTimeout() {
            return Duration.ofMillis(100);
        }

        @Override
        public void onPoll(ConsumerRecords<String, SpecificRecord> records) {
            for (ConsumerRecord<String, SpecificRecord> r : records) {
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

        @Override
        public void onRevoked(Collection<TopicPartition> partitions) {
            commit();
            partitions.forEach(offsets::forget);
        }

        // onAssigned: nothing to do, positions come from committed offsets

        /** Running jobs stop at their next frame (they see the loop stopped), uncommitted, so they rerun. */
        @Override
        public void beforeClose() {
            slots.shutdown();
            liveSlots.shutdown();
            try {
                slots.awaitTermination(10, TimeUnit.SECONDS);
                liveSlots.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runJob(ConsumerRecord<String, SpecificRecord> record) {
        if (record.value() instanceof ExtractionRequest request) {
            try {
                if (patterns.run(request, () -> !loop.isRunning()) < 0) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("Extraction {} could not be delivered", request.getRequestId(), e);
            }
            done.add(record);
            return;
        }
        JobRequest job = (JobRequest) record.value();
        boolean over = false; // ran to its end, was taken over, or failed for good
        for (int attempt = 1; !over && loop.isRunning(); attempt++) {
            try (FrameSink sink = sinks.open(job.getJobId())) {
                // read back only now: opening the sink fenced any earlier run, so the log is final
                SentSoFar sent = frameLog.read(job.getJobId(), record.timestamp());
                long frames = extraction.run(job, () -> !loop.isRunning(), controls, sent, sink);
                if (frames < 0) {
                    LOG.info("Job {} interrupted by shutdown; it runs again on restart", job.getJobId());
                    return;
                }
                LOG.info("Job {}: {} frames sampled from {}", job.getJobId(), frames, Redaction.forLog(job.getUri()));
                over = true;
            } catch (FrameSinkException e) {
                over = e.fenced();
                if (over) {
                    LOG.warn("Job {}: a newer run of the job took over; this run stops ({})", job.getJobId(),
                            e.getMessage());
                } else {
                    retryLater(job, attempt, e);
                }
            } catch (org.apache.kafka.common.KafkaException e) {
                retryLater(job, attempt, e); // the frames topic could not be read back
            } catch (RuntimeException e) {
                LOG.error("Job {} could not be delivered", job.getJobId(), e);
                over = true;
            }
        }
        if (over) {
            done.add(record);
        } // else shutting down: left uncommitted, so the job runs again on restart
    }

    /**
     * Waits before the next attempt of a job whose events were lost (or whose log could not be
     * read): 1, 2, 4 … s, at most {@link #MAX_RETRY_DELAY}; the job is never given up while the
     * worker runs (a cluster that is away for a while must not lose jobs).
     */
    private void retryLater(JobRequest job, int attempt, RuntimeException e) {
        long delayMs = Math.min(MAX_RETRY_DELAY.toMillis(), 1000L << Math.min(attempt - 1, 10));
        LOG.warn("Job {}: attempt {} failed ({}); running it again from what the frames topic holds in {} ms",
                job.getJobId(), attempt, e.getMessage(), delayMs);
        try {
            Thread.sleep(delayMs);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            loop.stop();
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
        loop.close();
        controls.close();
        sinks.close();
        sender.close();
        frameLog.close();
    }
}
