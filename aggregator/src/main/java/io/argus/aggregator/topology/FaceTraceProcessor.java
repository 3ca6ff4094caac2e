package io.argus.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.state.TrackInput;
import io.argus.aggregator.state.TrackingJob;
import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.ByteTracker;
import io.argus.aggregator.tracking.FrameTracks;
import io.argus.aggregator.tracking.ScoredBox;
import io.argus.aggregator.tracking.TrackSummary;
import io.argus.aggregator.tracking.TrackerConfig;
import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.avro.FaceTrace;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.IdentityInput;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;

/**
 * Face traces as a stage of the aggregator topology (README "Faces"): for every job that runs
 * {@code face_embed}, its faces are followed across frames by a {@link ByteTracker} whose
 * association also weighs the faces' embeddings (BoT-SORT's rule, {@link #CONFIG}), in {@code seq}
 * order, frames without faces included. No request parameter is needed: a job that embeds faces
 * gets traces.
 *
 * <p>Per frame: one {@link FaceEvent} on {@code argus.faces} for each face matched to a trace
 * (key {@code <job>/<trace>/<seq>}). When a trace ends (lost for longer than the lost time, or at the
 * job's end, kill or stop of the op) and it was ever confirmed, a {@link FaceTrace} with its smoothed
 * embedding on {@code argus.identity-log} (key {@link Topics#IDENTITY_LOG_KEY}) for the identity stage
 * ({@link IdentityProcessor}); on a live job also while the trace is on screen, at 3, 6, 12… faces
 * ({@link #placeWhileSeen}).
 *
 * <p>Ordering, pending results, restarts and retention are those of every {@link OrderedJobProcessor}:
 * the state of a job ({@link TrackingJob}, tracker snapshot and next seq) is in
 * {@link AggregatorTopology#FACE_TRACES_STORE}, results that come early in
 * {@link AggregatorTopology#FACE_TRACES_PENDING_STORE}, both RocksDB with changelogs, written in the
 * application's exactly-once transactions with the outputs, so a process killed mid-job resumes with
 * the same trace ids and every face is written once.
 */
final class FaceTraceProcessor extends OrderedJobProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(FaceTraceProcessor.class);

    /** The op whose faces are traced. */
    static final String OP = "face_embed";
    /** The embedding model of {@code face_embed} (HSE FaceRes, 1024-d; README "Faces"). */
    static final String MODEL = "faceres";
    /**
     * Least time a lost trace waits for its face to come back, ms: a head turned away or a person
     * walking behind another for two seconds keeps the trace; at sampling intervals above 0.5 s, 4
     * intervals.
     */
    static final long MIN_LOST_TTL_MS = 2000;
    /**
     * Appearance cost limit {@code (1 - cos) / 2} of the association: 0.2, a cosine of 0.6. On the
     * face verification set (BENCHMARKS "Face embeddings") FaceRes's same-person threshold at a
     * false-accept rate of 1% is a cosine of 0.66; a trace's smoothed embedding is steadier than one
     * face's, so a little lower.
     */
    static final double APPEARANCE_COST = 0.2;
    /**
     * Faces of a live trace at which it is first placed in an identity while still on screen: the
     * identity stage's {@code IdentityClustering.MIN_FACES}, the least that may found an identity.
     */
    static final int PLACE_FIRST_AT = io.argus.aggregator.identities.IdentityClustering.MIN_FACES;
    /** ByteTrack's reference parameters with appearance on; lost time per job ({@link #config}). */
    static final TrackerConfig CONFIG = TrackerConfig.defaults().withAppearanceCost(APPEARANCE_COST);

    /**
     * @param jobRetention how long a job's state is kept after its last update
     * @param drops        counts the records dropped
     */
    FaceTraceProcessor(Duration jobRetention, DroppedRecords drops) {
        super(jobRetention, drops, AggregatorTopology.FACE_TRACES_STORE, AggregatorTopology.FACE_TRACES_PENDING_STORE,
                "face_trace");
    }

    @Override
    boolean accepts(FrameResult result) {
        return OP.equals(result.getOp());
    }

    @Override
    boolean begin(TrackingJob job, FrameEvent event) {
        SourceInfo source = event.getSource();
        if (!embedsFaces(event.getJob()) || source == null || source.getWidth() < 1 || source.getHeight() < 1) {
            return false;
        }
        job.beginTracked(OP, List.of(), source.getWidth(), source.getHeight(),
                new ByteTracker(config(event.getJob())).snapshot(), null);
        job.live(io.argus.schemas.net.SourceSchemes.isLive(event.getJob().getUri()));
        return true;
    }

    /**
     * @param request the job's request
     * @return the lost time of the job's traces: {@value #MIN_LOST_TTL_MS} ms, or 4 sampling intervals
     *         when longer
     */
    static TrackerConfig config(JobRequest request) {
        double intervalMs = request.getVframe() == null ? 0 : request.getVframe().getIntervalS() * 1000;
        return CONFIG.withLostTtlMs(Math.max(MIN_LOST_TTL_MS, Math.round(4 * intervalMs)));
    }

    private static boolean embedsFaces(JobRequest request) {
        if (request == null) {
            return false;
        }
        for (OpSpec op : request.getOps()) {
            if (OP.equals(op.getOp())) {
                return true;
            }
        }
        return false;
    }

    @Override
    void step(TrackingJob job, TrackInput input) {
        trace(job, input);
    }

    private void trace(TrackingJob job, TrackInput input) {
        if (input.error() != null) {
            job.advance(null, job.tracker(), null);
            return;
        }
        ByteTracker tracker = ByteTracker.restore(job.tracker());
        long offset = Math.max(input.offsetMs(), job.nextSeq() == 0 ? input.offsetMs() : job.lastOffsetMs());
        Map<ScoredBox, TrackInput.DetectionData> sources = new IdentityHashMap<>();
        List<ScoredBox> faces = new ArrayList<>();
        for (TrackInput.DetectionData d : input.detections()) {
            if (d.embedding() == null || !(d.score() >= 0 && d.score() <= 1) || d.right() <= d.left()
                    || d.bottom() <= d.top()) {
                continue;
            }
            ScoredBox box = new ScoredBox(new Box(d.left(), d.top(), d.right(), d.bottom()), d.score(),
                    d.label() == null ? "face" : d.label(), d.embedding());
            sources.put(box, d);
            faces.add(box);
        }
        FrameTracks frame = tracker.update(offset, faces);
        for (Map.Entry<Long, ScoredBox> m : frame.matched().entrySet()) {
            TrackInput.DetectionData d = sources.get(m.getValue());
            if (d != null) {
                FaceEvent face = face(job, m.getKey(), input.seq(), offset, input.uri(), d);
                context.forward(new Record<>(job.jobId() + "/" + m.getKey() + "/" + input.seq(),
                        (SpecificRecord) face, timestamp), AggregatorTopology.FACES_SINK);
            }
        }
        if (job.live()) {
            placeWhileSeen(job, tracker, frame.matched().keySet());
        }
        ended(job, frame.ended());
        job.advance(offset, tracker.snapshot(), null);
    }

    private void ended(TrackingJob job, List<TrackSummary> ended) {
        for (TrackSummary s : ended) {
            if (s.confirmed() && s.feature() != null) {
                toIdentities(job, s);
            }
        }
    }

    /**
     * Live jobs: a trace still on screen goes to the identity stage when its face count reaches
     * {@value #PLACE_FIRST_AT} and each time it doubles (3, 6, 12, 24… faces), so a person who stays
     * in view gets an identity within a few frames and the identity sharpens while they stay; the
     * identity stage updates the trace it has ({@code IdentityClustering.addTrace}). Files are placed
     * when their traces end only (the whole trace is known within the job's run).
     */
    private void placeWhileSeen(TrackingJob job, ByteTracker tracker, java.util.Set<Long> matched) {
        for (TrackSummary s : tracker.summaries(FaceTraceProcessor::placesAt)) {
            if (matched.contains(s.id()) && s.confirmed() && s.feature() != null) {
                toIdentities(job, s);
            }
        }
    }

    /** @return whether a live trace of this many faces goes to the identity stage: 3 × 2^k */
    static boolean placesAt(int faces) {
        if (faces < PLACE_FIRST_AT || faces % PLACE_FIRST_AT != 0) {
            return false;
        }
        int k = faces / PLACE_FIRST_AT;
        return (k & (k - 1)) == 0;
    }

    private void toIdentities(TrackingJob job, TrackSummary s) {
        List<Float> feature = new ArrayList<>(s.feature().length);
        for (float f : s.feature()) {
            feature.add(f);
        }
        FaceTrace trace = FaceTrace.newBuilder().setJobId(job.jobId()).setVideoId(job.videoId())
                .setTraceId(s.id()).setFaceCount(s.matches()).setFirstSeenMs(s.firstSeenMs())
                .setLastSeenMs(s.lastSeenMs()).setModel(MODEL).setFeature(feature).build();
        context.forward(new Record<>(Topics.IDENTITY_LOG_KEY,
                (SpecificRecord) IdentityInput.newBuilder().setTrace(trace).build(), timestamp),
                AggregatorTopology.IDENTITY_LOG_SINK);
    }

    private static FaceEvent face(TrackingJob job, long traceId, long seq, long offsetMs, String uri,
                                  TrackInput.DetectionData d) {
        List<Float> vector = new ArrayList<>(d.embedding().length);
        for (float f : d.embedding()) {
            vector.add(f);
        }
        return FaceEvent.newBuilder().setJobId(job.jobId()).setVideoId(job.videoId()).setTraceId(traceId)
                .setSeq(seq).setOffsetMs(offsetMs)
                .setBox(io.argus.schemas.avro.Box.newBuilder().setLeft(d.left()).setTop(d.top())
                        .setRight(d.right()).setBottom(d.bottom()).build())
                .setScore((float) d.score()).setBlur(d.blur()).setWidth(job.width()).setHeight(job.height())
                .setFrameUri(uri).setModel(MODEL).setEmbedding(vector).build();
    }

    /** Closes every trace and ends the job's tracing. */
    @Override
    void flush(TrackingJob job) {
        ByteTracker tracker = ByteTracker.restore(job.tracker());
        ended(job, tracker.close().ended());
        LOG.info("Job {}: face traces over after {} frames, {} traces", job.jobId(), job.nextSeq(),
                tracker.snapshot().nextId() - 1);
        job.finish();
    }
}
