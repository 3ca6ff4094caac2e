package io.argus.aggregator.counting;

import java.util.ArrayList;
import java.util.List;

import io.argus.aggregator.tracking.TrackerConfig;
import io.argus.schemas.avro.CountLine;
import io.argus.schemas.avro.LinePoint;
import io.argus.schemas.avro.TrackingSpec;
import io.argus.schemas.avro.Vframe;

/**
 * From a job's {@code params.tracking} ({@link TrackingSpec}, validated by api-edge) to the tracker's
 * and the counting's settings; shared by the aggregator and recounts.
 */
public final class TrackingSpecs {

    /** Shortest lost time of a track, ms: the ByteTrack reference's 30-frame buffer at 30 fps. */
    public static final long MIN_LOST_TTL_MS = 1000;
    /** Default lost time in sampling intervals: a track survives two missed frames. */
    public static final int LOST_TTL_FRAMES = 3;

    private TrackingSpecs() {
    }

    /**
     * @param spec   the job's tracking request
     * @param vframe the job's sampling
     * @return how long a lost track is kept, ms: {@code lost_ttl_ms}, or by default
     *         {@code max(}{@value #MIN_LOST_TTL_MS}{@code , }{@value #LOST_TTL_FRAMES}{@code  x
     *         vframe.interval)}
     */
    public static long lostTtlMs(TrackingSpec spec, Vframe vframe) {
        if (spec.getLostTtlMs() != null) {
            return spec.getLostTtlMs();
        }
        double intervalMs = vframe == null ? 0 : vframe.getIntervalS() * 1000;
        return Math.max(MIN_LOST_TTL_MS, Math.round(LOST_TTL_FRAMES * intervalMs));
    }

    /**
     * Points of path a job's tracks keep: the tracker's whole state is saved after every frame, so a
     * short path keeps that write small (a track's 64 anchors are about 3 KB of JSON).
     */
    public static final int PATH_LENGTH = 64;

    /**
     * @param spec   the job's tracking request
     * @param vframe the job's sampling
     * @return ByteTrack's reference parameters ({@link TrackerConfig#defaults()}) with the job's lost time
     *         and a path of {@value #PATH_LENGTH} points
     */
    public static TrackerConfig trackerConfig(TrackingSpec spec, Vframe vframe) {
        TrackerConfig d = TrackerConfig.defaults();
        return new TrackerConfig(d.highScore(), d.lowScore(), d.newTrackScore(), d.matchCost(), d.lowMatchCost(),
                d.tentativeMatchCost(), d.fuseScore(), d.minHits(), d.confirmOnFirstFrame(), lostTtlMs(spec, vframe),
                d.nominalFrameMs(), PATH_LENGTH, d.duplicateCost(), d.appearanceCost());
    }

    /**
     * @param spec        the job's tracking request
     * @param vframe      the job's sampling
     * @param frameWidth  width of the frames, px, at least 1
     * @param frameHeight height of the frames, px, at least 1
     * @return the counting's settings; settle time = dwell + lost time
     * @throws IllegalArgumentException when a value is out of range (api-edge refuses such requests)
     */
    public static TrafficSettings settings(TrackingSpec spec, Vframe vframe, int frameWidth, int frameHeight) {
        long lost = lostTtlMs(spec, vframe);
        return new TrafficSettings(frameWidth, frameHeight, lines(spec.getLines()), spec.getMinDwellMs(),
                spec.getMinTravel(), spec.getIntervalMs(), spec.getMinDwellMs() + lost);
    }

    /**
     * @param lines lines as in the request
     * @return the same lines for counting
     * @throws IllegalArgumentException when a line is malformed ({@link CountingLine}, {@link CountedLine})
     */
    public static List<CountedLine> lines(List<CountLine> lines) {
        List<CountedLine> out = new ArrayList<>(lines.size());
        for (CountLine l : lines) {
            List<NormPoint> points = new ArrayList<>(l.getPoints().size());
            for (LinePoint p : l.getPoints()) {
                points.add(new NormPoint(p.getX(), p.getY()));
            }
            out.add(new CountedLine(new CountingLine(l.getName(), points), l.getDirection()));
        }
        return out;
    }
}
