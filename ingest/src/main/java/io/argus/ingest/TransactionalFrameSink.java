package io.argus.ingest;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.topics.FramePartitions;
import io.argus.schemas.topics.Topic;

/**
 * The frame events of one run of one job, sent in Kafka transactions: every event goes to
 * argus.frames keyed by job id (the job's ordered log), and every FRAME event also goes to
 * argus.analyzer-frames on partition {@link FramePartitions#of} (job, seq), in the same
 * transaction, so that analyzers (read_committed) see a frame exactly when the job's log does.
 *
 * <p>The producer's transactional.id is derived from the job id: opening the sink
 * ({@code initTransactions}) fences any earlier run of the job, on this instance or on one that
 * died or was cut off, and aborts its open transaction. What the log then holds is final, so the
 * new run can read it back ({@link FrameLog}) and resume without sending a frame twice.
 *
 * <p>A transaction is committed by {@link #flush()} and otherwise {@code commitInterval} after
 * it began (by a shared timer), so a frame reaches the analyzers at most one interval after it was
 * sent (Kafka Streams commits exactly-once transactions every 100 ms by default too); live jobs
 * flush after each frame ({@link FrameExtraction}), so their frames wait for no interval.
 * Any Kafka error aborts the open transaction and makes the next call throw
 * {@link FrameSinkException}: the events of that transaction are lost and the run starts again
 * from the log. Thread-safe: a job's events come from its job thread and its encoder thread.
 */
public final class TransactionalFrameSink implements FrameSink {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalFrameSink.class);

    private final Producer<String, FrameEvent> producer;
    private final String jobId;
    private final String frames;
    private final String analyzerFrames;
    private final int analyzerPartitions;
    private final long commitIntervalNanos;
    private final ScheduledExecutorService timer;
    private boolean inTransaction;
    private long transactionStart;
    private FrameSinkException failure;
    private boolean closed;

    /**
     * Opens the producer and fences earlier runs of the job.
     *
     * @param producerProps  producer properties with the job's transactional.id
     * @param jobId          the job
     * @param frames         argus.frames
     * @param analyzerFrames argus.analyzer-frames
     * @param commitInterval longest time a sent event waits for its commit
     * @param timer          runs the interval commits
     * @throws FrameSinkException when the producer cannot be initialised (fenced: a newer run exists)
     */
    TransactionalFrameSink(Properties producerProps, String jobId, Topic<String, FrameEvent> frames,
                           Topic<String, FrameEvent> analyzerFrames, Duration commitInterval,
                           ScheduledExecutorService timer) {
        this.jobId = jobId;
        this.frames = frames.name();
        this.analyzerFrames = analyzerFrames.name();
        this.commitIntervalNanos = commitInterval.toNanos();
        this.timer = timer;
        KafkaProducer<String, FrameEvent> p = new KafkaProducer<>(producerProps, frames.keySerde().serializer(),
                frames.valueSerde().serializer());
        try {
            p.initTransactions();
            this.analyzerPartitions = p.partitionsFor(this.analyzerFrames).size();
        } catch (KafkaException e) {
            p.close(Duration.ZERO);
            throw new FrameSinkException("job " + jobId + ": frame producer not initialised: " + e.getMessage(), e,
                    isFenced(e));
        }
        this.producer = p;
    }

    @Override
    public synchronized void send(FrameEvent event) {
        check();
        try {
            if (!inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
                transactionStart = System.nanoTime();
                schedule(commitIntervalNanos);
            }
            producer.send(new ProducerRecord<>(frames, jobId, event));
            if (event.getKind() == FrameKind.FRAME) {
                producer.send(new ProducerRecord<>(analyzerFrames,
                        FramePartitions.of(jobId, event.getSeq(), analyzerPartitions), jobId, event));
            }
        } catch (KafkaException e) {
            fail("send", e);
        }
    }

    @Override
    public synchronized void flush() {
        check();
        commit();
        check();
    }

    /** Commits the open transaction if it is at least one interval old; reschedules otherwise. */
    private synchronized void commitIfDue() {
        if (closed || !inTransaction || failure != null) {
            return;
        }
        long left = transactionStart + commitIntervalNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        try {
            commit();
        } catch (FrameSinkException e) {
            // kept in failure: the job's next send or flush throws it
        }
    }

    private void schedule(long delayNanos) {
        try {
            timer.schedule(this::commitIfDue, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the worker is closing: the job's flush (or close) ends the transaction
        }
    }

    private void commit() {
        if (!inTransaction) {
            return;
        }
        try {
            producer.commitTransaction();
            inTransaction = false;
        } catch (KafkaException e) {
            fail("commit", e);
        }
    }

    private void fail(String what, KafkaException e) {
        boolean fenced = isFenced(e);
        failure = new FrameSinkException("job " + jobId + ": frame events not committed (" + what + "): "
                + e.getMessage(), e, fenced);
        if (inTransaction && !fenced) {
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                LOG.debug("Job {}: abort after a failed {} failed too: {}", jobId, what, abort.toString());
            }
        }
        inTransaction = false;
        throw failure;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException("frame sink of job " + jobId + " is closed");
        }
    }

    private static boolean isFenced(KafkaException e) {
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException;
    }

    /** Aborts an open transaction (its events are dropped) and closes the producer. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inTransaction && failure == null) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                LOG.debug("Job {}: abort at close failed: {}", jobId, e.toString());
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
