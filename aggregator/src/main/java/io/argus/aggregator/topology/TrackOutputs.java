package io.argus.aggregator.topology;

import java.util.ArrayList;
import java.util.List;

import io.argus.aggregator.counting.FrameCounting;
import io.argus.aggregator.counting.ObjectCategory;
import io.argus.aggregator.counting.TrackRecords;
import io.argus.aggregator.state.TrackingJob;
import io.argus.aggregator.tracking.PathPoint;
import io.argus.aggregator.tracking.TrackedObject;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.FrameCount;
import io.argus.schemas.avro.IntervalTally;
import io.argus.schemas.avro.PathAnchor;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackSummary;
import io.argus.schemas.avro.TrafficCount;

/** Builds the records of {@code argus.tracks}, {@code argus.track-summaries} and {@code argus.counts}. */
final class TrackOutputs {

    private TrackOutputs() {
    }

    static TrackFrame frame(TrackingJob job, long seq, long offsetMs, String uri, boolean end,
                            List<TrackedObject> tracks) {
        List<TrackBox> boxes = new ArrayList<>(tracks.size());
        for (TrackedObject t : tracks) {
            boxes.add(TrackRecords.toRecord(t));
        }
        return TrackFrame.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setOp(job.op())
                .setSeq(seq)
                .setOffsetMs(offsetMs)
                .setWidth(job.width())
                .setHeight(job.height())
                .setUri(uri)
                .setEnd(end)
                .setTracks(boxes)
                .build();
    }

    static TrackSummary summary(TrackingJob job, io.argus.aggregator.tracking.TrackSummary s) {
        List<PathAnchor> path = new ArrayList<>(s.path().size());
        for (PathPoint p : s.path()) {
            path.add(new PathAnchor(p.offsetMs(), p.x(), p.y()));
        }
        return TrackSummary.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setTrackId(s.id())
                .setLabel(s.label())
                .setCategory(TrackRecords.category(ObjectCategory.of(s.label())))
                .setFirstSeenMs(s.firstSeenMs())
                .setLastSeenMs(s.lastSeenMs())
                .setMatches(s.matches())
                .setClassVotes(s.classVotes())
                .setPath(path)
                .build();
    }

    /**
     * @param job     the job
     * @param s       the ended, confirmed track
     * @param outcome the vote of its plate reads
     * @return its plate event for {@code argus.plates}
     */
    static io.argus.schemas.avro.PlateEvent plate(TrackingJob job, io.argus.aggregator.tracking.TrackSummary s,
                                                  io.argus.aggregator.plates.PlateTally.Outcome outcome) {
        io.argus.aggregator.plates.PlateSighting best = outcome.best();
        return io.argus.schemas.avro.PlateEvent.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setTrackId(s.id())
                .setLabel(s.label())
                .setText(outcome.vote().text())
                .setConfidence(outcome.vote().confidence())
                .setScore(best.score())
                .setReads(outcome.reads())
                .setFirstSeenMs(s.firstSeenMs())
                .setLastSeenMs(s.lastSeenMs())
                .setBestOffsetMs(best.offsetMs())
                .setFrameUri(best.uri())
                .setVehicleBox(new io.argus.schemas.avro.Box(best.vehicle()[0], best.vehicle()[1], best.vehicle()[2],
                        best.vehicle()[3]))
                .setPlateBox(new io.argus.schemas.avro.Box(best.plate()[0], best.plate()[1], best.plate()[2],
                        best.plate()[3]))
                .build();
    }

    /**
     * @param job      the job
     * @param t        an open, confirmed track
     * @param outcome  the vote of its plate reads so far
     * @param offsetMs the current frame's offset, ms (its last seen so far)
     * @return its plate event so far for {@code argus.plates} (rewritten when the track ends)
     */
    static io.argus.schemas.avro.PlateEvent plateSoFar(TrackingJob job, io.argus.aggregator.tracking.TrackedObject t,
                                                       io.argus.aggregator.plates.PlateTally.Outcome outcome,
                                                       long offsetMs) {
        io.argus.aggregator.tracking.TrackSummary s = new io.argus.aggregator.tracking.TrackSummary(t.id(), t.label(),
                outcome.firstOffsetMs(), offsetMs, true, outcome.vote().reads(), java.util.Map.of(), List.of(), null);
        return plate(job, s, outcome);
    }

    /**
     * @param jobId   job id
     * @param trackId track id
     * @return the key of a plate event: {@code <job_id>/<track_id>}
     */
    static String plateKey(String jobId, long trackId) {
        return jobId + "/" + trackId;
    }

    private static TrafficCount.Builder count(TrackingJob job, CountKind kind, long seq, long offsetMs) {
        return TrafficCount.newBuilder()
                .setJobId(job.jobId())
                .setVideoId(job.videoId())
                .setKind(kind)
                .setSeq(seq)
                .setOffsetMs(offsetMs);
    }

    static TrafficCount event(TrackingJob job, long seq, long offsetMs, io.argus.aggregator.counting.CountEvent e) {
        return count(job, CountKind.EVENT, seq, offsetMs).setEvent(TrackRecords.toRecord(e, job.uriAt(e.offsetMs())))
                .build();
    }

    static TrafficCount frameCount(TrackingJob job, long seq, FrameCounting c) {
        return count(job, CountKind.FRAME, seq, c.offsetMs())
                .setFrame(new FrameCount(c.people(), c.vehicles(), c.intervalIndex(), c.pedestriansInInterval(),
                        c.vehiclesInInterval()))
                .build();
    }

    static TrafficCount interval(TrackingJob job, long seq, long offsetMs, CountKind kind, IntervalTally tally) {
        return count(job, kind, seq, offsetMs).setInterval(tally).build();
    }
}
