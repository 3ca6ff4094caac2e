package io.argus.aggregator.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.counting.CountEvent;
import io.argus.aggregator.counting.FrameCounting;
import io.argus.aggregator.counting.IntervalTotals;
import io.argus.aggregator.counting.TrackRecords;
import io.argus.aggregator.counting.TrackingSpecs;
import io.argus.aggregator.counting.TrafficCounting;
import io.argus.aggregator.counting.TrafficSettings;
import io.argus.aggregator.state.FrameUri;
import io.argus.aggregator.state.TrackInput;
import io.argus.aggregator.state.TrackingJob;
import io.argus.aggregator.plates.PlateSighting;
import io.argus.aggregator.plates.PlateTally;
import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.ByteTracker;
import io.argus.aggregator.tracking.FrameTracks;
import io.argus.aggregator.tracking.ScoredBox;
import io.argus.aggregator.tracking.TrackSummary;
import io.argus.aggregator.tracking.TrackedObject;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.PlateRead;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.avro.TrackingSpec;
import io.argus.schemas.metrics.DroppedRecords;

/**
 * Tracking and counting as a stage of the aggregator topology (README "Tracking and counting"): for
 * jobs whose request has {@code params.tracking}, feeds each frame's detections of the tracked op
 * ({@link FrameResult#getDetections()}, labels filtered by {@code classes}, sorted so that their order in
 * the result does not matter) to the job's
 * {@link ByteTracker} in {@code seq} order, frames without detections included, and counts the
 * tracks with {@link TrafficCounting}.
 *
 * <p>Per frame tracked, in this order: a {@code TrackFrame} on {@code argus.tracks}; a
 * {@code TrackSummary} on {@code argus.track-summaries} for each track removed on the frame that was
 * ever confirmed; on {@code argus.counts} an EVENT per pass or crossing, the FRAME counts, and an
 * INTERVAL per interval settled. A frame on which the op failed is skipped (not tracked, no output).
 * Results out of order, or before the job's BEGIN, wait in {@link AggregatorTopology#TRACKING_PENDING_STORE}
 * until the missing ones arrive; duplicates are dropped.
 *
 * <p>The job's tracking ends once every frame below END's count is tracked, or at END with an error,
 * at KILL, or when the aggregator stops the tracked op (STOP_OP, read back from the control topic;
 * results still in flight for the op are then not tracked). It then flushes: every live track is
 * closed (summaries, then an end {@code TrackFrame} with the tracks REMOVED), the intervals not
 * reported yet are reported, then the TOTAL.
 *
 * <p>The whole state of a job ({@link TrackingJob}: tracker and counter snapshots, next seq) is in
 * {@link AggregatorTopology#TRACKING_STORE} (RocksDB with a changelog) and written with the outputs in
 * the application's exactly-once transactions, so a process killed mid-job resumes with the same track
 * ids and counts. A job's state is kept (reduced to a marker once over, so late records are ignored)
 * until not updated for the retention time.
 */
final class TrackingProcessor extends OrderedJobProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingProcessor.class);
    /** Detections by descending score, then position and size, then label. */
    private static final Comparator<ScoredBox> DETECTION_ORDER = Comparator.comparingDouble((ScoredBox d) -> -d.score())
            .thenComparingDouble(d -> d.box().left()).thenComparingDouble(d -> d.box().top())
            .thenComparingDouble(d -> d.box().right()).thenComparingDouble(d -> d.box().bottom())
            .thenComparing(ScoredBox::label);

    /** Least IoU of a vehicle's box with a track's filtered box for its plate read to join the track. */
    static final double PLATE_MATCH_IOU = 0.5;
    /**
     * Laplacian variance at which a read's sharpness weight is 0.5 (the analyzer's
     * {@code PlateReader.SHARPNESS_HALF}).
     */
    static final double SHARPNESS_HALF = 100;

    /**
     * @param jobRetention how long a job's tracking state is kept after its last update
     * @param drops        counts the records dropped
     */
    TrackingProcessor(Duration jobRetention, DroppedRecords drops) {
        super(jobRetention, drops, AggregatorTopology.TRACKING_STORE, AggregatorTopology.TRACKING_PENDING_STORE,
                "tracking");
    }

    @Override
    boolean begin(TrackingJob job, FrameEvent event) {
        JobRequest request = event.getJob();
        TrackingSpec spec = request == null ? null : request.getTracking();
        SourceInfo source = event.getSource();
        if (spec == null) {
            return false;
        }
        if (source == null || source.getWidth() < 1 || source.getHeight() < 1) {
            LOG.warn("Job {}: no frame size at BEGIN; not tracked", job.jobId());
            return false;
        }
        TrafficSettings settings = TrackingSpecs.settings(spec, request.getVframe(), source.getWidth(),
                source.getHeight());
        ByteTracker tracker = new ByteTracker(TrackingSpecs.trackerConfig(spec, request.getVframe()));
        job.beginTracked(spec.getOp(), spec.getClasses(), source.getWidth(), source.getHeight(), tracker.snapshot(),
                new TrafficCounting(settings).snapshot());
        return true;
    }

    @Override
    void step(TrackingJob job, TrackInput input) {
        track(job, input);
    }

    private void track(TrackingJob job, TrackInput input) {
        if (input.error() != null) {
            job.advance(null, job.tracker(), job.counting());
            return;
        }
        ByteTracker tracker = ByteTracker.restore(job.tracker());
        TrafficCounting counting = TrafficCounting.restore(job.counting());
        long offset = Math.max(input.offsetMs(), job.nextSeq() == 0 ? input.offsetMs() : job.lastOffsetMs());
        FrameTracks frame = tracker.update(offset, detections(job, input));
        sightings(job, input, frame, offset);
        FrameCounting counts = counting.onFrame(offset, frame.tracks());
        job.remember(new FrameUri(offset, input.uri()), counting.settings().settleMs() + 1);

        long seq = input.seq();
        context.forward(new Record<>(job.jobId(), TrackOutputs.frame(job, seq, offset, input.uri(), false,
                frame.tracks()), timestamp), AggregatorTopology.TRACKS_SINK);
        summaries(job, frame.ended());
        counts(job, seq, counts, true);
        job.advance(offset, tracker.snapshot(), counting.snapshot());
    }

    private void summaries(TrackingJob job, List<TrackSummary> ended) {
        for (TrackSummary s : ended) {
            PlateTally.Outcome plate = job.plates().close(s.id());
            if (s.confirmed()) {
                context.forward(new Record<>(job.jobId(), TrackOutputs.summary(job, s), timestamp),
                        AggregatorTopology.TRACK_SUMMARIES_SINK);
                if (plate != null) {
                    context.forward(new Record<>(TrackOutputs.plateKey(job.jobId(), s.id()),
                            (SpecificRecord) TrackOutputs.plate(job, s, plate), timestamp), AggregatorTopology.PLATES_SINK);
                }
            }
        }
    }

    /**
     * Gives each readable plate of the frame to the track its vehicle was matched to: the matched
     * track whose filtered box overlaps the vehicle's box most, at IoU ≥ {@value #PLATE_MATCH_IOU}.
     */
    private void sightings(TrackingJob job, TrackInput input, FrameTracks frame, long offsetMs) {
        java.util.Map<Long, TrackedObject> read = new java.util.TreeMap<>();
        for (TrackInput.DetectionData d : input.detections()) {
            TrackInput.PlateData p = d.plate();
            if (p == null || p.text() == null || p.text().isEmpty()) {
                continue;
            }
            Box box = new Box(d.left(), d.top(), d.right(), d.bottom());
            TrackedObject best = null;
            double bestIou = PLATE_MATCH_IOU;
            for (TrackedObject t : frame.tracks()) {
                double iou = t.matched() ? t.box().iou(box) : 0;
                if (iou >= bestIou) {
                    best = t;
                    bestIou = iou;
                }
            }
            if (best != null) {
                float weight = (float) (p.sharpness() / (p.sharpness() + SHARPNESS_HALF));
                job.plates().add(best.id(), new PlateSighting(p.text(), p.raw(), p.score(), weight, offsetMs,
                        input.uri(), new int[] {d.left(), d.top(), d.right(), d.bottom()},
                        new int[] {p.left(), p.top(), p.right(), p.bottom()}));
                read.put(best.id(), best);
            }
        }
        // a live camera's plates are searchable while the vehicle is in view: the vote so far, when it changes
        for (TrackedObject t : read.values()) {
            PlateTally.Outcome so = job.plates().publishable(t.id());
            if (so != null && t.state() == io.argus.aggregator.tracking.TrackState.CONFIRMED) {
                context.forward(new Record<>(TrackOutputs.plateKey(job.jobId(), t.id()),
                        (SpecificRecord) TrackOutputs.plateSoFar(job, t, so, offsetMs), timestamp),
                        AggregatorTopology.PLATES_SINK);
            }
        }
    }

    private void counts(TrackingJob job, long seq, FrameCounting counts, boolean withFrame) {
        for (CountEvent e : counts.events()) {
            forwardCount(job, TrackOutputs.event(job, seq, counts.offsetMs(), e));
        }
        if (withFrame) {
            forwardCount(job, TrackOutputs.frameCount(job, seq, counts));
        }
        for (IntervalTotals t : counts.settled()) {
            forwardCount(job, TrackOutputs.interval(job, seq, counts.offsetMs(), CountKind.INTERVAL,
                    TrackRecords.toRecord(t)));
        }
    }

    private void forwardCount(TrackingJob job, SpecificRecord count) {
        context.forward(new Record<>(job.jobId(), count, timestamp), AggregatorTopology.COUNTS_SINK);
    }

    /** Closes every track, reports the remaining intervals and the total, and ends the job's tracking. */
    @Override
    void flush(TrackingJob job) {
        ByteTracker tracker = ByteTracker.restore(job.tracker());
        TrafficCounting counting = TrafficCounting.restore(job.counting());
        FrameTracks closed = tracker.close();
        long seq = job.endSeq() >= 0 ? Math.max(job.endSeq(), job.nextSeq()) : job.nextSeq();
        long offset = job.lastOffsetMs();
        FrameCounting last = counting.onFrame(offset, closed.tracks());
        summaries(job, closed.ended());
        context.forward(new Record<>(job.jobId(), TrackOutputs.frame(job, seq, offset, null, true, closed.tracks()),
                timestamp), AggregatorTopology.TRACKS_SINK);
        counts(job, seq, last, false);
        for (IntervalTotals t : counting.finish()) {
            forwardCount(job, TrackOutputs.interval(job, seq, offset, CountKind.INTERVAL, TrackRecords.toRecord(t)));
        }
        forwardCount(job, TrackOutputs.interval(job, seq, offset, CountKind.TOTAL,
                TrackRecords.toRecord(counting.total())));
        LOG.info("Job {}: tracking over after {} frames, {} tracks", job.jobId(), job.nextSeq(),
                tracker.snapshot().nextId() - 1);
        job.finish();
    }

    private static List<ScoredBox> detections(TrackingJob job, TrackInput input) {
        List<ScoredBox> out = new ArrayList<>(input.detections().size());
        for (TrackInput.DetectionData d : input.detections()) {
            if (d.label() == null || (!job.classes().isEmpty() && !job.classes().contains(d.label()))) {
                continue;
            }
            if (!(d.score() >= 0 && d.score() <= 1) || d.right() < d.left() || d.bottom() < d.top()) {
                continue;
            }
            out.add(new ScoredBox(new Box(d.left(), d.top(), d.right(), d.bottom()), d.score(), d.label()));
        }
        // A detector may list a frame's boxes in any order (OpenCV's HOG runs in parallel): sorted, the
        // same boxes always give the same ids.
        out.sort(DETECTION_ORDER);
        return out;
    }

    /**
     * @param r a frame result
     * @return what tracking keeps of it (face embeddings and blur included)
     */
    static TrackInput input(FrameResult r) {
        List<TrackInput.DetectionData> detections = new ArrayList<>(r.getDetections().size());
        for (Detection d : r.getDetections()) {
            PlateRead p = d.getPlate();
            TrackInput.PlateData plate = p == null || !p.getReadable() ? null : new TrackInput.PlateData(p.getText(),
                    p.getRaw(), p.getScore(), p.getSharpness(), p.getBox().getLeft(), p.getBox().getTop(),
                    p.getBox().getRight(), p.getBox().getBottom());
            detections.add(new TrackInput.DetectionData(d.getLabel(), d.getScore(), d.getBox().getLeft(),
                    d.getBox().getTop(), d.getBox().getRight(), d.getBox().getBottom(), plate, floats(d.getEmbedding()),
                    d.getBlur()));
        }
        return new TrackInput(r.getOp(), r.getSeq(), r.getOffsetMs(), r.getUri(), r.getError(), detections);
    }

    private static float[] floats(List<Float> values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
