package io.argus.aggregator.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.rules.SegmentBuilder;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.ResultData;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.net.SourceSchemes;

/**
 * The aggregator's one processor: takes FrameEvent records (BEGIN / FRAME / END markers from the
 * frames topic), FrameResult records (frame-results topic) and JobControl records (control topic)
 * of the same job id and writes segments, op results, job status, STOP_OP commands, callbacks and
 * frame-cutting events (DESIGN.md "Argus semantics"; rules per op in {@link OpAggregator}, KILL in
 * {@link JobControls}, callbacks in {@link HookCalls}, frame-cutting events in {@link VframeEvents}).
 *
 * <p>Job status is emitted once per input record that changed the job: at BEGIN (DOING), at each
 * FRAME, at each result that let an op process at least one result, at END; FINISHED once every op
 * is done, after the op results, or FAILED then when an op failed on every frame it processed
 * ({@link JobProgress#opFailure()}); FAILED when END carries an error; CANCELLED at KILL. The
 * frame-cutting BEGIN event comes when BEGIN is applied, before the job's first CUT, and END after
 * the final status. Nothing is emitted for a job before its BEGIN (unless it is killed or fails):
 * its results are buffered and its frames counted. Records of a FINISHED, FAILED or CANCELLED job
 * are ignored. A wall-clock punctuator forgets jobs not updated for the retention period.
 */
final class AggregatorProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregatorProcessor.class);

    /** How often the purge of old jobs runs (wall clock). */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final Duration jobRetention;
    private ProcessorContext<String, SpecificRecord> context;
    private AggregatorStores stores;
    private OpAggregator ops;
    private JobLifecycle jobs;
    private JobControls controls;
    private VframeEvents vframes;
    private long timestamp;
    private final DroppedRecords drops;

    /**
     * @param jobRetention how long a job is kept after its last update
     * @param drops        counts the records dropped
     */
    AggregatorProcessor(Duration jobRetention, DroppedRecords drops) {
        this.jobRetention = jobRetention;
        this.drops = drops;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stores = new AggregatorStores(context);
        Emitter out = new Forwarder();
        HookCalls hooks = new HookCalls(stores, out, context::currentSystemTimeMs);
        this.vframes = new VframeEvents(out, context::currentSystemTimeMs);
        this.ops = new OpAggregator(stores, out, hooks, vframes, context::currentSystemTimeMs, drops);
        this.jobs = new JobLifecycle(stores, out, hooks, vframes, context::currentSystemTimeMs);
        this.controls = new JobControls(jobs, ops);
        context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        timestamp = record.timestamp();
        SpecificRecord value = record.value();
        if (value instanceof FrameEvent event) {
            switch (event.getKind()) {
                case BEGIN -> onBegin(event);
                case FRAME -> onFrame(event);
                case END -> onEnd(event);
                default -> LOG.warn("Job {}: unknown frame event kind {}", event.getJobId(), event.getKind());
            }
        } else if (value instanceof FrameResult result) {
            onResult(result);
        } else if (value instanceof JobControl control) {
            controls.onControl(control);
        } else if (value != null) {
            LOG.warn("Unexpected record {} with key {}", value.getClass().getName(), record.key());
        }
    }

    private void onBegin(FrameEvent event) {
        JobProgress job = jobs.get(event.getJobId(), event.getVideoId());
        if (job.begun() || job.isFinal()) {
            LOG.debug("Job {}: BEGIN ignored (already begun or over)", job.jobId());
            return;
        }
        JobRequest request = event.getJob();
        if (request == null) {
            LOG.warn("Job {}: BEGIN without a job request; ignored", job.jobId());
            drops.count("begin_without_request");
            return;
        }
        Map<String, OpSpec> specs = new LinkedHashMap<>();
        for (OpSpec spec : request.getOps()) {
            if (specs.putIfAbsent(spec.getOp(), spec) != null) {
                LOG.warn("Job {}: op {} listed twice; the first entry is used", job.jobId(), spec.getOp());
            }
        }
        SourceInfo source = event.getSource();
        job.begin(event.getVideoId(), request.getRequestJson(), request.getCreatedAt(),
                List.copyOf(specs.keySet()), source == null ? -1 : source.getExpectedFrames(),
                AvroMapping.url(request.getHookUrl()));
        vframes.begun(job);
        for (ResultData early : stores.pendingOf(job.jobId())) {
            if (job.op(early.op()) == null) {
                LOG.warn("Job {}: result for op {} that the job does not run; dropped", job.jobId(), early.op());
                drops.count("unknown_op");
                stores.takePending(job.jobId(), early.op(), early.seq());
            }
        }
        SegmentBuilder.Windows windows = AvroMapping.segmentWindows(request, SourceSchemes.isLive(request.getUri()));
        for (OpSpec spec : specs.values()) {
            ops.start(job, AvroMapping.opState(spec).withSegmentWindows(windows));
        }
        jobs.changed(job);
    }

    private void onFrame(FrameEvent event) {
        JobProgress job = jobs.get(event.getJobId(), event.getVideoId());
        if (job.isFinal()) {
            return;
        }
        job.sampled(event.getSeq() + 1);
        if (job.begun()) {
            jobs.changed(job);
        } else {
            jobs.waiting(job);
        }
    }

    private void onEnd(FrameEvent event) {
        JobProgress job = jobs.get(event.getJobId(), event.getVideoId());
        if (job.isFinal() || job.endSeen()) {
            LOG.debug("Job {}: END ignored (job over or END already seen)", job.jobId());
            return;
        }
        if (event.getError() != null) {
            job.fail(AvroMapping.error(event.getError()));
            jobs.over(job);
            return;
        }
        job.end(event.getSeq());
        if (!job.begun()) {
            jobs.waiting(job);
            return;
        }
        for (String op : job.opNames()) {
            ops.onEnd(job, op);
        }
        jobs.changed(job);
    }

    private void onResult(FrameResult result) {
        JobProgress job = jobs.get(result.getJobId(), result.getVideoId());
        if (job.isFinal()) {
            drops.count("after_job_end");
            LOG.debug("Job {}: result of op {} seq {} after the job ended; dropped", job.jobId(), result.getOp(),
                    result.getSeq());
            return;
        }
        ResultData data = AvroMapping.result(result);
        if (!job.begun()) {
            stores.bufferIfAbsent(job.jobId(), data);
            jobs.waiting(job);
            return;
        }
        if (ops.offer(job, data)) {
            jobs.changed(job);
        }
    }

    /** Forgets jobs (finished or not) whose last update is older than the retention. */
    private void purge(long now) {
        for (JobProgress job : stores.allJobs()) {
            if (job.updatedAt() < now - jobRetention.toMillis()) {
                LOG.info("Job {}: forgotten after {} without update (phase {})", job.jobId(), jobRetention,
                        job.phase());
                stores.forgetJob(job.jobId());
            }
        }
    }

    /** Forwards the aggregation's output to the sinks, with the timestamp of the input record. */
    private final class Forwarder implements Emitter {

        @Override
        public void segment(Segment segment) {
            context.forward(new Record<>(segment.getJobId(), segment, timestamp), AggregatorTopology.SEGMENTS_SINK);
        }

        @Override
        public void opResult(OpResult result) {
            context.forward(new Record<>(result.getJobId(), result, timestamp), AggregatorTopology.OP_RESULTS_SINK);
        }

        @Override
        public void status(JobStatus status) {
            context.forward(new Record<>(status.getJobId(), status, timestamp), AggregatorTopology.JOB_STATUS_SINK);
        }

        @Override
        public void control(JobControl control) {
            context.forward(new Record<>(control.getJobId(), control, timestamp), AggregatorTopology.CONTROL_SINK);
        }

        @Override
        public void hook(HookCall call) {
            context.forward(new Record<>(call.getJobId(), call, timestamp), AggregatorTopology.HOOKS_SINK);
        }

        @Override
        public void vframe(VframeEvent event) {
            context.forward(new Record<>(event.getJobId(), event, timestamp), AggregatorTopology.VFRAMES_SINK);
        }
    }
}
