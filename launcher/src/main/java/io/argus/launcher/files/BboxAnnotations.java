package io.argus.launcher.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.argus.media.render.Annotations;
import io.argus.media.render.Overlay;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;

/**
 * What {@code GET /api/v1/file/{file_uuid}/video/bbox} draws, from a job's stored records (nothing
 * is detected again):
 * <ul>
 *   <li>the tracked op ({@link TrackFrame#getOp()}): on each analysed frame, every track that is
 *       confirmed and matched there, with class, track id and score (colour by track id); on the
 *       frames between, {@link Annotations} interpolates each track between its analysed frames
 *       (at most {@link Annotations#DEFAULT_MAX_GAP_MS} apart). A confirmed track that the
 *       tracker missed on one analysed frame (lost, then matched again within that gap) is drawn
 *       there too, at the interpolation of its boxes before and after, so that it does not blink.
 *   <li>every other op's detections ({@link FrameResult#getDetections()}, e.g. {@code face_detect}),
 *       with class and score (colour by class), held on the frames nearest to their analysed frame;
 *       with no tracking, the detections of every op.
 *   <li>{@code debug}: the tracked op's raw detections as well, in grey ({@value #RAW_GREY}), and a
 *       caption from each analysed frame on: {@code result <seq> @ <ms> ms} and the boxes of each op.
 * </ul>
 * Boxes are in pixels of the analysed frames ({@link TrackFrame#getWidth()} × height, which is
 * the source's unless ingest scaled it) and are scaled to the video's size.
 */
final class BboxAnnotations {

    /** Colour of the raw detections of the tracked op in debug mode, 0xRRGGBB. */
    static final int RAW_GREY = 0xA0A0A0;

    private BboxAnnotations() {
    }

    /**
     * @param tracks  a job's {@code argus.tracks} records (any order; the end record is skipped)
     * @param results its {@code argus.frame-results} records
     * @param width   the video's width, pixels
     * @param height  the video's height, pixels
     * @param debug   true for the debug drawing
     * @return what to draw
     */
    static Annotations of(List<TrackFrame> tracks, List<FrameResult> results, int width, int height, boolean debug) {
        Annotations.Builder a = Annotations.builder();
        String trackedOp = null;
        Map<Long, double[]> scaleBySeq = new HashMap<>();
        // per track: offset -> box where it is drawn (confirmed and matched)
        Map<Long, NavigableMap<Long, TrackBox>> drawn = new HashMap<>();
        Map<Long, double[]> scaleByOffset = new HashMap<>();
        for (TrackFrame f : tracks) {
            if (f.getEnd()) {
                continue;
            }
            trackedOp = f.getOp();
            double[] scale = {f.getWidth() > 0 ? width / (double) f.getWidth() : 1,
                    f.getHeight() > 0 ? height / (double) f.getHeight() : 1};
            scaleBySeq.put(f.getSeq(), scale);
            scaleByOffset.put(f.getOffsetMs(), scale);
            for (TrackBox t : f.getTracks()) {
                if (t.getState() == TrackPhase.CONFIRMED && t.getMatched()) {
                    drawn.computeIfAbsent(t.getTrackId(), k -> new TreeMap<>()).put(f.getOffsetMs(), t);
                }
            }
        }
        for (TrackFrame f : tracks) {
            if (f.getEnd()) {
                continue;
            }
            double[] s = scaleByOffset.get(f.getOffsetMs());
            List<Overlay> out = new ArrayList<>();
            for (TrackBox t : f.getTracks()) {
                NavigableMap<Long, TrackBox> track = drawn.get(t.getTrackId());
                if (track == null) {
                    continue;
                }
                TrackBox here = track.get(f.getOffsetMs());
                if (here != null) {
                    add(out, t.getLeft(), t.getTop(), t.getRight(), t.getBottom(), s, width, height, t.getLabel(),
                            t.getTrackId(), t.getScore(), Overlay.AUTO);
                    continue;
                }
                Map.Entry<Long, TrackBox> before = track.lowerEntry(f.getOffsetMs());
                Map.Entry<Long, TrackBox> after = track.higherEntry(f.getOffsetMs());
                if (before != null && after != null && after.getKey() - before.getKey() <= Annotations.DEFAULT_MAX_GAP_MS) {
                    double w = (f.getOffsetMs() - before.getKey()) / (double) (after.getKey() - before.getKey());
                    TrackBox b = before.getValue();
                    TrackBox n = after.getValue();
                    add(out, lerp(b.getLeft(), n.getLeft(), w), lerp(b.getTop(), n.getTop(), w),
                            lerp(b.getRight(), n.getRight(), w), lerp(b.getBottom(), n.getBottom(), w), s, width,
                            height, b.getLabel(), b.getTrackId(), b.getScore(), Overlay.AUTO);
                }
            }
            a.frame(f.getOffsetMs(), out);
        }
        Map<Long, Map<String, Integer>> counts = new TreeMap<>();
        Map<Long, Long> seqAt = new HashMap<>();
        for (TrackFrame f : tracks) {
            if (!f.getEnd()) {
                int n = 0;
                for (TrackBox t : f.getTracks()) {
                    n += t.getState() == TrackPhase.CONFIRMED && t.getMatched() ? 1 : 0;
                }
                counts.computeIfAbsent(f.getOffsetMs(), k -> new TreeMap<>()).put("tracks", n);
                seqAt.put(f.getOffsetMs(), f.getSeq());
            }
        }
        for (FrameResult r : results) {
            if (r.getError() != null) {
                continue;
            }
            boolean raw = r.getOp().equals(trackedOp);
            if (raw && !debug) {
                a.frame(r.getOffsetMs(), List.of()); // the frame was analysed: nothing is held across it
                continue;
            }
            double[] s = scaleBySeq.getOrDefault(r.getSeq(), new double[] {1, 1});
            List<Overlay> out = new ArrayList<>();
            for (Detection d : r.getDetections()) {
                add(out, d.getBox().getLeft(), d.getBox().getTop(), d.getBox().getRight(), d.getBox().getBottom(), s,
                        width, height, d.getLabel(), Overlay.NO_TRACK, d.getScore(), raw ? RAW_GREY : Overlay.AUTO);
            }
            a.frame(r.getOffsetMs(), out);
            counts.computeIfAbsent(r.getOffsetMs(), k -> new TreeMap<>()).put(r.getOp(), out.size());
            seqAt.putIfAbsent(r.getOffsetMs(), r.getSeq());
        }
        if (debug) {
            counts.forEach((ms, byOp) -> {
                StringBuilder boxes = new StringBuilder();
                byOp.forEach((op, n) -> boxes.append(boxes.length() > 0 ? "  " : "").append(op).append(' ').append(n));
                a.caption(ms, List.of(String.format(Locale.ROOT, "DEBUG result %d @ %d ms", seqAt.get(ms), ms),
                        boxes.toString()));
            });
        }
        return a.build();
    }

    private static double lerp(double a, double b, double w) {
        return a + (b - a) * w;
    }

    /** Adds the box scaled to the video and clipped to it, when something of it is left. */
    private static void add(List<Overlay> out, double left, double top, double right, double bottom, double[] scale,
                            int width, int height, String label, long trackId, double score, int rgb) {
        double x = Math.max(0, left * scale[0]);
        double y = Math.max(0, top * scale[1]);
        double w = Math.min(width, right * scale[0]) - x;
        double h = Math.min(height, bottom * scale[1]) - y;
        if (w > 0 && h > 0) {
            out.add(new Overlay(x, y, w, h, label == null ? "" : label, trackId,
                    Double.isNaN(score) ? Double.NaN : Math.max(0, Math.min(1, score)), rgb));
        }
    }
}
