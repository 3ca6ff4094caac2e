package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.TrackState;
import io.argus.aggregator.tracking.TrackedObject;
import io.argus.schemas.avro.CountEventRecord;
import io.argus.schemas.avro.IntervalTally;
import io.argus.schemas.avro.LineTally;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackPhase;

/**
 * Between the tracker's and counter's objects and the Avro records of {@code argus.tracks} and
 * {@code argus.counts}. Boxes keep their double pixel coordinates both ways, so tracks read back
 * count exactly as they did live.
 */
public final class TrackRecords {

    private TrackRecords() {
    }

    /**
     * @param t a track after a frame
     * @return its record
     */
    public static TrackBox toRecord(TrackedObject t) {
        return TrackBox.newBuilder()
                .setTrackId(t.id())
                .setLabel(t.label())
                .setScore(t.score())
                .setState(TrackPhase.valueOf(t.state().name()))
                .setMatched(t.matched())
                .setLeft(t.box().left()).setTop(t.box().top()).setRight(t.box().right()).setBottom(t.box().bottom())
                .build();
    }

    /**
     * @param b a track record
     * @return the track it describes
     * @throws IllegalArgumentException when the box is not finite or inverted
     */
    public static TrackedObject fromRecord(TrackBox b) {
        return new TrackedObject(b.getTrackId(), b.getLabel(), new Box(b.getLeft(), b.getTop(), b.getRight(),
                b.getBottom()), b.getScore(), TrackState.valueOf(b.getState().name()), b.getMatched());
    }

    /**
     * @param records a frame's track records
     * @return the tracks
     */
    public static List<TrackedObject> fromRecords(List<TrackBox> records) {
        List<TrackedObject> out = new ArrayList<>(records.size());
        for (TrackBox b : records) {
            out.add(fromRecord(b));
        }
        return out;
    }

    /**
     * @param category a category, or null
     * @return {@code pedestrian}, {@code vehicle}, or null
     */
    public static String category(ObjectCategory category) {
        return category == null ? null : category.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param e   a count
     * @param uri frame-store URI of the frame the count is about, or null
     * @return its record
     */
    public static CountEventRecord toRecord(CountEvent e, String uri) {
        return CountEventRecord.newBuilder()
                .setTrackId(e.trackId())
                .setLabel(e.label())
                .setCategory(category(e.category()))
                .setOffsetMs(e.offsetMs())
                .setLine(e.line())
                .setDirection(e.direction())
                .setUri(uri)
                .setLeft(e.box().left()).setTop(e.box().top()).setRight(e.box().right()).setBottom(e.box().bottom())
                .build();
    }

    /**
     * @param t an interval's or a job's counts
     * @return its record
     */
    public static IntervalTally toRecord(IntervalTotals t) {
        List<LineTally> lines = new ArrayList<>(t.lines().size());
        for (LineTotals l : t.lines()) {
            lines.add(new LineTally(l.line(), l.direction(), l.pedestrians(), l.vehicles()));
        }
        return new IntervalTally(t.index(), t.startMs(), t.endMs(), t.pedestrians(), t.vehicles(), lines);
    }
}
