package io.argus.ingest;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSource;
import io.argus.extractor.sampling.LiveOptions;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.VideoInfo;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.control.JobControls;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.Save;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.net.Redaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Runs the ingest side of one job: opens the source, samples frames, writes each as a JPEG to
 * the frame store and announces it as a FRAME event, bracketed by BEGIN (carrying the job
 * request and what was opened) and END (carrying the frame count, or the error that stopped the
 * source). Events are keyed by job id.
 *
 * <p>Frames are stored under {@code <job_id>/<seq, 8 digits>.jpg}, or, when the request has a
 * {@code params.save.prefix} ({@link JobRequest#getSave()}), under
 * {@code <prefix>/<video_id>/<offset_ms>.jpg} ({@link StoreKeys#savedFrame}; a frame whose offset
 * repeats the previous frame's gets {@code <offset_ms>-<seq>.jpg}). Either way the frame is
 * stored once and the URI the store returns is the one every event and result carries, so cuts
 * name the saved frame. A saved name is the same on every run of the job (offsets are
 * deterministic for files), so a resumed job writes the same keys. The bucket and zone of
 * {@code params.save} are not used: the store this stage was given decides where bytes go.
 *
 * <p>Every FRAME event also carries {@code prev_uri}, the frame-store URI of the job's previous
 * FRAME (null on the first), so ops that compare consecutive frames need no per-job state, and
 * {@code op_params}, the job's {@code ops[].params} as JSON by op name, so analyzers need not
 * have seen BEGIN.
 *
 * <p>Decoding and the JPEG/store/send work of a job overlap: the decoding thread copies each
 * sampled frame and an {@link OrderedWorker} encodes, stores and sends it, in frame order.
 *
 * <p>Live jobs sample on grids spread over their interval ({@link LivePhases}): each keeps its first
 * frame at once, then one frame per interval from its phase.
 *
 * <p>Control: every FRAME event lists the ops that still need frames (the job's ops minus those
 * stopped by their terminate rule, from {@link JobControls}); when no op needs frames, or the job
 * is killed, decoding stops and END is sent with the frames sent so far. A job killed before it
 * started opens no source. Live sources are polled for these at every decoded frame; a kill
 * also ends an open or a network read in progress at once (FFmpeg's interrupt callback,
 * {@link SourceOpener}), and the job ends as a kill does, without an error.
 *
 * <p>Errors of the job never escape (a {@link FrameSinkException}, events lost on their way to
 * Kafka, does: the run is repeated): a source that cannot be opened gives BEGIN + END with the API error
 * (424 "cannot find the video", 400 "cannot open the file"); a {@code params.save} prefix or
 * video id that cannot name frames (which the edge refuses before; a request written to the jobs
 * topic by other means) gives BEGIN + END with 400 "invalid parameters" and opens no source; a
 * live source silent longer than its timeout gives END with 499 "timeout"; anything unexpected
 * gives END with 500.
 */
public final class FrameExtraction {

    private static final Logger LOG = LoggerFactory.getLogger(FrameExtraction.class);

    /** Frames decoded ahead of the encoder at most (each a BGR copy, 1.3 MB at 768×576). */
    static final int PIPELINE_DEPTH = 4;

    private final FrameStore store;
    private final SourceOpener opener;
    private final Counter sampledFile;
    private final Counter sampledLive;
    private final LivePhases livePhases = new LivePhases();

    /**
     * Extraction of trusted sources ({@link SourceOpener#UNRESTRICTED}: tests and benchmarks).
     *
     * @param store where JPEGs go
     */
    public FrameExtraction(FrameStore store) {
        this(store, SourceOpener.UNRESTRICTED, new SimpleMeterRegistry());
    }

    /**
     * @param store  where JPEGs go
     * @param opener opens the job's source, with the process's URL guard and file roots
     * @param metrics  where {@value ArgusMeters#FRAMES_SAMPLED} goes (tag source: file or live), counted
     *                 as each FRAME event is handed to the sink
     */
    public FrameExtraction(FrameStore store, SourceOpener opener, MeterRegistry metrics) {
        this.store = store;
        this.opener = java.util.Objects.requireNonNull(opener, "opener");
        this.sampledFile = sampled(metrics, "file");
        this.sampledLive = sampled(metrics, "live");
    }

    private static Counter sampled(MeterRegistry metrics, String source) {
        return Counter.builder(ArgusMeters.FRAMES_SAMPLED).description("Frames sampled and stored by ingest")
                .tag("source", source).register(metrics);
    }

    /**
     * Runs the job to its end.
     *
     * @param job       the job request
     * @param shutdown  polled between frames; true stops the source without an END event, so
     *                  the job is not marked done and runs again when its request is redelivered
     * @param controls  kills and stopped ops of jobs
     * @param sink      where this run's events go
     * @return number of FRAME events sent, or -1 when stopped by {@code shutdown}
     * @throws FrameSinkException when events were lost on their way to Kafka (run again)
     */
    public long run(JobRequest job, BooleanSupplier shutdown, JobControls controls, FrameSink sink) {
        return run(job, shutdown, controls, SentSoFar.NOTHING, sink);
    }

    /**
     * Runs the job to its end, sending only what an earlier run has not sent ({@link FrameLog}).
     * A file source is decoded again from its start (the sampling is deterministic: the same
     * frames get the same seq), but frames up to {@code sent.lastSeq()} are neither encoded,
     * stored nor announced; a live source goes on from the current moment with seq after
     * {@code sent.lastSeq()} and offsets after {@code sent.lastOffsetMs()}. BEGIN is sent only if
     * it was not; a job whose END was sent is done and sends nothing.
     *
     * @param job      the job request
     * @param shutdown as {@link #run(JobRequest, BooleanSupplier, JobControls, FrameSink)}
     * @param controls kills and stopped ops of jobs
     * @param sent     what the frames topic already holds for this job
     * @param sink     where this run's events go
     * @return number of FRAME events of the job in all (earlier runs included), or -1 when
     *         stopped by {@code shutdown}
     * @throws FrameSinkException when events were lost on their way to Kafka: the run stops and
     *                            must start again from what the frames topic holds
     */
    public long run(JobRequest job, BooleanSupplier shutdown, JobControls controls, SentSoFar sent, FrameSink sink) {
        if (sent.ended()) {
            LOG.info("Job {} was already done by an earlier run ({} frames); nothing to send", job.getJobId(),
                    sent.lastSeq() + 1);
            return sent.lastSeq() + 1;
        }
        if (!sent.fresh()) {
            LOG.info("Job {} resumes after frame {} (offset {} ms) sent by an earlier run", job.getJobId(),
                    sent.lastSeq(), sent.lastOffsetMs());
        }
        List<String> ops = job.getOps().stream().map(OpSpec::getOp).distinct().toList();
        Map<String, String> opParams = opParams(job);
        String jobId = job.getJobId();
        BooleanSupplier stop = () -> shutdown.getAsBoolean() || controls.killed(jobId)
                || everyOpStopped(ops, controls.stoppedOps(jobId));
        long seq = 0;
        ErrorInfo error = null;
        boolean begun = sent.begun();
        boolean live = isLive(job);
        // live: numbering and offsets go on after the earlier run's; files: the same frames are skipped
        long seqBase = live ? sent.lastSeq() + 1 : 0;
        long offsetBase = live && sent.lastSeq() >= 0 ? sent.lastOffsetMs() + 1 : 0;
        if (stop.getAsBoolean()) {
            if (shutdown.getAsBoolean()) {
                return -1;
            }
            LOG.info("Job {} was killed or stopped before it started; its source is not opened", jobId);
            if (!begun) {
                sink.send(marker(job, FrameKind.BEGIN, 0).setJob(job).build());
            }
            long frames = sent.lastSeq() + 1;
            sink.send(marker(job, FrameKind.END, frames).build());
            sink.flush();
            return frames;
        }
        String savePrefix = savePrefix(job);
        if (savePrefix != null) {
            try {
                StoreKeys.savedFrame(savePrefix, job.getVideoId(), 0);
            } catch (IllegalArgumentException e) {
                LOG.warn("Job {}: frames cannot be saved as asked: {}", jobId, e.getMessage());
                if (!begun) {
                    sink.send(marker(job, FrameKind.BEGIN, 0).setJob(job).build());
                }
                long frames = sent.lastSeq() + 1;
                sink.send(marker(job, FrameKind.END, frames)
                        .setError(new ErrorInfo(400, "invalid parameters")).build());
                sink.flush();
                return frames;
            }
        }
        try (LivePhases.Lease phase = live ? livePhases.acquire() : null;
             FrameSource sampler = FrameSource.open(opener, SourceUri.parse(job.getUri()), Sampling.of(job.getVframe()),
                liveOptions(job, phase), stop);
             JpegEncoder encoder = new JpegEncoder();
             OrderedWorker worker = new OrderedWorker(PIPELINE_DEPTH)) {
            VideoInfo info = sampler.info();
            if (!begun) {
                sink.send(marker(job, FrameKind.BEGIN, 0).setJob(job).setSource(sourceInfo(info))
                        .setWidth(info.width()).setHeight(info.height()).build());
                begun = true;
            }
            seq = seqBase;
            // URI of the last frame stored; only the worker thread reads and writes it, in frame order
            AtomicReference<String> previous = new AtomicReference<>(sent.lastUri());
            // offset of the frame before this one, sent now or by the earlier run; -1 before the first
            long previousOffset = -1;
            while (true) {
                SampledFrame frame = sampler.next();
                if (shutdown.getAsBoolean()) {
                    worker.finish();
                    sink.flush();
                    return -1;
                }
                Set<String> stopped = controls.stoppedOps(jobId);
                List<String> wanted = remaining(ops, stopped);
                boolean killed = controls.killed(jobId);
                boolean opsDone = everyOpStopped(ops, stopped);
                if (frame == null || opsDone || killed) {
                    if (killed || opsDone) {
                        LOG.info("Job {}: source stopped after {} frames ({})", jobId, seq,
                                killed ? "killed" : "no op needs frames");
                    }
                    break;
                }
                long offsetMs = offsetBase + frame.offsetMs();
                boolean repeatedOffset = offsetMs == previousOffset;
                previousOffset = offsetMs;
                if (seq <= sent.lastSeq()) {
                    seq++; // sent by the earlier run
                    continue;
                }
                String key = savePrefix == null ? StoreKeys.frame(jobId, seq)
                        : repeatedOffset ? StoreKeys.savedFrame(savePrefix, job.getVideoId(), offsetMs, seq)
                        : StoreKeys.savedFrame(savePrefix, job.getVideoId(), offsetMs);
                // Decoding goes on while the worker thread encodes, stores and announces this frame.
                BufferedImage image = JpegEncoder.copyOf(frame.image());
                FrameEvent.Builder event = marker(job, FrameKind.FRAME, seq)
                        .setOffsetMs(offsetMs)
                        .setKeyframe(frame.keyframe())
                        .setWidth(image.getWidth())
                        .setHeight(image.getHeight())
                        .setCaptureTimeMs(frame.captureTimeMs() >= 0 ? frame.captureTimeMs() : null)
                        .setOps(wanted)
                        .setOpParams(opParams);
                worker.submit(() -> {
                    byte[] jpeg = encoder.encode(image);
                    URI uri = store.put(key, jpeg);
                    sink.send(event.setUri(uri.toString()).setSizeBytes(jpeg.length)
                            .setPrevUri(previous.getAndSet(uri.toString())).build());
                    (live ? sampledLive : sampledFile).increment();
                    if (live) {
                        sink.flush(); // a live frame is committed at once, not at the next interval
                    }
                });
                seq++;
            }
            worker.finish();
        } catch (FrameSinkException e) {
            throw e;
        } catch (SourceException e) {
            if (shutdown.getAsBoolean()) {
                sink.flush();
                return -1; // the open was interrupted by the shutdown: the job runs again
            }
            if (controls.killed(jobId)) {
                // the kill interrupted the open or a read: the job ends as a kill does, without an error
                LOG.info("Job {}: source stopped after {} frames (killed)", jobId, seq);
            } else {
                LOG.info("Job {}: source {} failed: {} {}", job.getJobId(), Redaction.forLog(job.getUri()), e.code(),
                        e.getMessage());
                error = new ErrorInfo(e.code(), e.getMessage());
            }
        } catch (Exception e) {
            LOG.error("Job {} failed", job.getJobId(), e);
            error = new ErrorInfo(500, "internal error: " + e.getMessage());
        }
        if (!begun) {
            sink.send(marker(job, FrameKind.BEGIN, 0).setJob(job).build());
        }
        long frames = Math.max(seq, sent.lastSeq() + 1);
        sink.send(marker(job, FrameKind.END, frames).setError(error).build());
        sink.flush();
        return frames;
    }

    /**
     * @param job the job request
     * @return each op's {@code params_json} by op name, for ops whose request had params (the
     *         first entry wins if an op is listed twice)
     */
    static Map<String, String> opParams(JobRequest job) {
        Map<String, String> params = new LinkedHashMap<>();
        for (OpSpec op : job.getOps()) {
            if (op.getParamsJson() != null) {
                params.putIfAbsent(op.getOp(), op.getParamsJson());
            }
        }
        return params;
    }

    /**
     * @param job the job request
     * @return its {@code params.save.prefix}, or null when frames keep their default names (no
     *         {@code params.save}, or no or an empty prefix)
     */
    static String savePrefix(JobRequest job) {
        Save save = job.getSave();
        return save == null || save.getPrefix() == null || save.getPrefix().isEmpty() ? null : save.getPrefix();
    }

    private static boolean isLive(JobRequest job) {
        try {
            return SourceUri.parse(job.getUri()).isLive();
        } catch (IllegalArgumentException e) {
            return false; // the source fails below with its own error
        }
    }

    private static List<String> remaining(List<String> ops, Set<String> stopped) {
        return stopped.isEmpty() ? ops : ops.stream().filter(op -> !stopped.contains(op)).toList();
    }

    private static LiveOptions liveOptions(JobRequest job, LivePhases.Lease phase) {
        Double timeout = job.getLiveTimeoutS();
        LiveOptions options = LiveOptions.withTimeout(timeout == null ? -1 : Math.round(timeout * 1000));
        return phase == null ? options : options.withPhase(phase.phaseMs(Sampling.of(job.getVframe()).intervalMs()));
    }

    /**
     * @return true when every op of the job was stopped by its terminate rule; a job without ops
     *         has none to stop, so it never is
     */
    private static boolean everyOpStopped(List<String> ops, Set<String> stopped) {
        return !ops.isEmpty() && stopped.containsAll(ops);
    }

    private static FrameEvent.Builder marker(JobRequest job, FrameKind kind, long seq) {
        return FrameEvent.newBuilder()
                .setJobId(job.getJobId())
                .setVideoId(job.getVideoId())
                .setKind(kind)
                .setSeq(seq)
                .setOffsetMs(0)
                .setOps(List.of());
    }

    private static SourceInfo sourceInfo(VideoInfo info) {
        return new SourceInfo(info.width(), info.height(), info.fps(), info.durationMs(), info.codec(),
                info.expectedFrames());
    }
}
