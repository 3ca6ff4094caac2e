package io.argus.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.state.StoreKeys;
import io.argus.aggregator.state.TrackInput;
import io.argus.aggregator.state.TrackingJob;
import io.argus.schemas.avro.ControlAction;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.metrics.DroppedRecords;

/**
 * A stage that follows one op's results of each job in {@code seq} order (tracking, face traces):
 * the job's state ({@link TrackingJob}) in one RocksDB store, results that come early (out of order,
 * or before the job's BEGIN) in another, both with changelogs and written with the outputs in the
 * application's exactly-once transactions.
 *
 * <p>What is common: at BEGIN the subclass decides whether the job is followed ({@link #begin});
 * each result of the followed op is handed to {@link #step} once, in seq order, duplicates and
 * results after END dropped; the job ends once every frame below END's count is stepped, or at END
 * with an error, at KILL, or when the aggregator stops the followed op (STOP_OP), and then
 * {@link #flush} runs once. Bad input of one job (an {@link IllegalArgumentException} from a step)
 * stops that job only. A job's state is kept (reduced to a marker once over, so late records are
 * ignored) until not updated for the retention time.
 */
abstract class OrderedJobProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedJobProcessor.class);
    private static final StringSerializer KEYS = (StringSerializer) Serdes.String().serializer();

    private final Duration jobRetention;
    private final String jobsStore;
    private final String pendingStore;
    private final String dropPrefix;
    /** Counts the records dropped. */
    protected final DroppedRecords drops;
    /** The processor's context, after {@link #init}. */
    protected ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, TrackingJob> jobs;
    private KeyValueStore<String, TrackInput> pending;
    /** Timestamp of the record being processed, ms. */
    protected long timestamp;

    /**
     * @param jobRetention how long a job's state is kept after its last update
     * @param drops        counts the records dropped
     * @param jobsStore    store of the jobs' state
     * @param pendingStore store of the results waiting for their turn
     * @param dropPrefix   prefix of the drop reasons ({@code <prefix>_bad_input},
     *                     {@code <prefix>_duplicate_or_after_end})
     */
    OrderedJobProcessor(Duration jobRetention, DroppedRecords drops, String jobsStore, String pendingStore,
                        String dropPrefix) {
        this.jobRetention = jobRetention;
        this.drops = drops;
        this.jobsStore = jobsStore;
        this.pendingStore = pendingStore;
        this.dropPrefix = dropPrefix;
    }

    /**
     * At BEGIN of a job not begun: whether it is followed; when it is, the subclass calls
     * {@link TrackingJob#beginTracked} with the followed op.
     *
     * @param job   the job's state
     * @param event the BEGIN event
     * @return true when the job is followed
     */
    abstract boolean begin(TrackingJob job, FrameEvent event);

    /**
     * @param result a frame result
     * @return whether it may be of the followed op (results of other ops are ignored at once)
     */
    boolean accepts(FrameResult result) {
        return true;
    }

    /**
     * One frame of the followed op, in seq order; must call {@link TrackingJob#advance}.
     *
     * @param job   the job's state
     * @param input the frame's result
     */
    abstract void step(TrackingJob job, TrackInput input);

    /**
     * Ends the job's following (once): close what is open and emit the last outputs; must call
     * {@link TrackingJob#finish}.
     *
     * @param job the job's state
     */
    abstract void flush(TrackingJob job);

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.jobs = context.getStateStore(jobsStore);
        this.pending = context.getStateStore(pendingStore);
        context.schedule(AggregatorProcessor.PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        timestamp = record.timestamp();
        SpecificRecord value = record.value();
        try {
            if (value instanceof FrameEvent event) {
                if (event.getKind() == FrameKind.BEGIN) {
                    onBegin(event);
                } else if (event.getKind() == FrameKind.END) {
                    onEnd(event);
                }
            } else if (value instanceof FrameResult result) {
                if (accepts(result)) {
                    onResult(result);
                }
            } else if (value instanceof JobControl control) {
                onControl(control);
            }
        } catch (IllegalArgumentException e) {
            // Bad input of one job (a malformed line that slipped past api-edge, offsets going back):
            // that job stops, nothing else is touched.
            String jobId = record.key();
            LOG.warn("Job {}: {} stopped on a bad record: {}", jobId, dropPrefix, e.getMessage());
            drops.count(dropPrefix + "_bad_input");
            TrackingJob job = jobId == null ? null : jobs.get(jobId);
            if (job != null) {
                job.finish();
                deletePending(jobId);
                save(job);
            }
        }
    }

    private TrackingJob load(String jobId, String videoId) {
        TrackingJob job = jobs.get(jobId);
        return job != null ? job : new TrackingJob(jobId, videoId, context.currentSystemTimeMs());
    }

    private void save(TrackingJob job) {
        job.touch(context.currentSystemTimeMs());
        jobs.put(job.jobId(), job);
    }

    private void onBegin(FrameEvent event) {
        TrackingJob job = load(event.getJobId(), event.getVideoId());
        if (job.begun() || job.done()) {
            return;
        }
        if (!begin(job, event)) {
            job.beginUntracked();
            deletePending(job.jobId());
            save(job);
            return;
        }
        drain(job);
        if (job.complete()) {
            flush(job);
            deletePending(job.jobId());
        }
        save(job);
    }

    private void onEnd(FrameEvent event) {
        TrackingJob job = load(event.getJobId(), event.getVideoId());
        if (job.done()) {
            return;
        }
        if (event.getError() != null) {
            end(job);
            save(job);
            return;
        }
        job.end(event.getSeq());
        if (job.begun() && job.tracked() && job.complete()) {
            flush(job);
            deletePending(job.jobId());
        }
        save(job);
    }

    /** Flushes a followed job, or just finishes one that is not (yet) followed. */
    private void end(TrackingJob job) {
        if (job.begun() && job.tracked()) {
            flush(job);
        } else {
            job.finish();
        }
        deletePending(job.jobId());
    }

    private void onControl(JobControl control) {
        TrackingJob job = jobs.get(control.getJobId());
        if (job == null || job.done()) {
            return;
        }
        boolean kill = control.getAction() == ControlAction.KILL;
        boolean stopped = control.getAction() == ControlAction.STOP_OP && job.tracked()
                && job.op().equals(control.getOp());
        if (kill || stopped) {
            end(job);
            save(job);
        }
    }

    private void onResult(FrameResult result) {
        TrackingJob job = load(result.getJobId(), result.getVideoId());
        if (job.done() || (job.begun() && (!job.tracked() || !job.op().equals(result.getOp())))) {
            return;
        }
        TrackInput input = TrackingProcessor.input(result);
        if (!job.begun()) {
            pending.putIfAbsent(StoreKeys.pending(job.jobId(), result.getOp(), result.getSeq()), input);
            save(job);
            return;
        }
        if (input.seq() < job.nextSeq() || (job.endSeq() >= 0 && input.seq() >= job.endSeq())) {
            drops.count(dropPrefix + "_duplicate_or_after_end");
            return;
        }
        if (input.seq() > job.nextSeq()) {
            pending.putIfAbsent(StoreKeys.pending(job.jobId(), job.op(), input.seq()), input);
            return;
        }
        step(job, input);
        drain(job);
        if (job.complete()) {
            flush(job);
            deletePending(job.jobId());
        }
        save(job);
    }

    /** Steps the buffered results that follow in sequence. */
    private void drain(TrackingJob job) {
        while (job.tracked() && !job.complete()) {
            TrackInput next = pending.delete(StoreKeys.pending(job.jobId(), job.op(), job.nextSeq()));
            if (next == null) {
                return;
            }
            step(job, next);
        }
    }

    private void deletePending(String jobId) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, TrackInput> it = pending.prefixScan(StoreKeys.job(jobId), KEYS)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(pending::delete);
    }

    /** Forgets jobs whose state was not updated for the retention period. */
    private void purge(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, TrackingJob> it = jobs.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.updatedAt() < now - jobRetention.toMillis()) {
                    old.add(kv.key);
                }
            });
        }
        for (String jobId : old) {
            LOG.info("Job {}: {} state forgotten after {} without update", jobId, dropPrefix, jobRetention);
            deletePending(jobId);
            jobs.delete(jobId);
        }
    }
}
