package io.argus.ingest;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.clients.producer.ProducerConfig;

import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Opens a {@link TransactionalFrameSink} per job run, with transactional.id
 * {@code argus-ingest-job-<job id>}, and runs their interval commits on one timer thread.
 *
 * <p>transaction.timeout.ms is {@link #TRANSACTION_TIMEOUT}: an instance killed with a transaction
 * open holds back read_committed readers of the partitions that transaction wrote (and a job's
 * frames span every partition of argus.analyzer-frames) until the job's next run fences it or the
 * coordinator aborts it after this timeout, whichever comes first.
 */
public final class KafkaFrameSinks implements FrameSinks, AutoCloseable {

    /** Longest time a sent frame event waits for its transaction to commit. */
    public static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    /** The producers' transaction.timeout.ms (Kafka's default is 60 s). */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(15);

    /**
     * The producers' first retry.backoff.ms (Kafka's default is 100 ms). A new transactional.id's
     * {@code initTransactions} retries its first coordinator request once, so every job's start
     * waited one whole backoff: 106–115 ms at 100 ms, 16–24 ms at 10 ms on the embedded broker.
     * Retries of real failures still back off exponentially up to retry.backoff.max.ms (1 s).
     */
    public static final Duration RETRY_BACKOFF = Duration.ofMillis(10);

    private final KafkaSettings settings;
    private final Topics topics;
    private final String instanceId;
    private final Duration commitInterval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argus-ingest-commit");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param settings   Kafka connection
     * @param topics     topic registry
     * @param instanceId this ingest instance, part of the producers' client ids
     */
    public KafkaFrameSinks(KafkaSettings settings, Topics topics, String instanceId) {
        this(settings, topics, instanceId, COMMIT_INTERVAL);
    }

    /**
     * @param settings       Kafka connection
     * @param topics         topic registry
     * @param instanceId     this ingest instance, part of the producers' client ids
     * @param commitInterval longest time a sent event waits for its commit, &gt; 0
     */
    public KafkaFrameSinks(KafkaSettings settings, Topics topics, String instanceId, Duration commitInterval) {
        this.settings = settings;
        this.topics = topics;
        this.instanceId = instanceId;
        this.commitInterval = commitInterval;
    }

    @Override
    public FrameSink open(String jobId) {
        Properties p = settings.producer("argus-ingest-" + instanceId + "-" + jobId, transactionalId(jobId));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF.toMillis());
        return new TransactionalFrameSink(p, jobId, topics.frames(), topics.analyzerFrames(), commitInterval, timer);
    }

    /**
     * @param jobId the job
     * @return the transactional.id of the job's frame producer
     */
    public static String transactionalId(String jobId) {
        return "argus-ingest-job-" + jobId;
    }

    /** Stops the commit timer; sinks still open no longer commit by interval. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
