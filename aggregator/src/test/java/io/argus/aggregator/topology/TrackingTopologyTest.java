package io.argus.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.argus.aggregator.counting.CountEvent;
import io.argus.aggregator.counting.CountedLine;
import io.argus.aggregator.counting.CountingLine;
import io.argus.aggregator.counting.IntervalTotals;
import io.argus.aggregator.counting.NormPoint;
import io.argus.aggregator.counting.Recount;
import io.argus.aggregator.counting.TrackRecords;
import io.argus.aggregator.counting.TrackingSpecs;
import io.argus.aggregator.counting.TrafficSettings;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.CountLine;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.IntervalTally;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.LinePoint;
import io.argus.schemas.avro.LineTally;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;
import io.argus.schemas.avro.TrackSummary;
import io.argus.schemas.avro.TrackingSpec;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.avro.Vframe;

/**
 * The tracking stage of the aggregator topology on hand-made detection sequences of a 1280 x 720
 * video sampled at 5 fps (one frame every 200 ms; a lost track is then kept 1000 ms): crossing
 * paths, an occlusion, a box flickering across a line, a parked car, a restart from the stores, and
 * the recount from the tracks topic. Expected ids and counts follow from the sequences as written.
 */
class TrackingTopologyTest {

    static final int W = 1280;
    static final int H = 720;
    static final long STEP_MS = 200;
    static final String OP = "detection";

    /** Horizontal line across the middle, drawn left to right: moving down the image is "in". */
    static final CountLine DOOR = line("door", "both", 0, 0.5, 1, 0.5);
    /** Vertical line down the middle, drawn top to bottom: moving right is "out"; counts out only. */
    static final CountLine GATE = line("gate", "out", 0.5, 0, 0.5, 1);

    static CountLine line(String name, String direction, double x1, double y1, double x2, double y2) {
        return CountLine.newBuilder().setName(name).setDirection(direction)
                .setPoints(List.of(new LinePoint(x1, y1), new LinePoint(x2, y2))).build();
    }

    static TrackingSpec spec(long intervalMs, CountLine... lines) {
        return TrackingSpec.newBuilder().setOp(OP).setLines(List.of(lines)).setIntervalMs(intervalMs).build();
    }

    static FrameEvent begin(String jobId, TrackingSpec tracking) {
        JobRequest request = JobRequest.newBuilder()
                .setJobId(jobId).setVideoId(Fixtures.VIDEO).setUri("file:///videos/" + jobId + ".mp4")
                .setVframe(new Vframe(0, STEP_MS / 1000.0, null, null))
                .setOps(List.of(OpSpec.newBuilder().setOp(OP).build()))
                .setCreatedAt(Fixtures.CREATED_AT)
                .setRequestJson(Fixtures.requestJson(jobId))
                .setTracking(tracking)
                .build();
        return FrameEvent.newBuilder().setJobId(jobId).setVideoId(Fixtures.VIDEO).setKind(FrameKind.BEGIN).setSeq(0)
                .setOffsetMs(0).setJob(request).setSource(new SourceInfo(W, H, 25.0, 60_000L, "h264", -1L)).build();
    }

    /** A detection by its centre and size, px. */
    static Detection det(String label, double cx, double cy, double w, double h) {
        return new Detection(label, 0.9f, new Box((int) Math.round(cx - w / 2), (int) Math.round(cy - h / 2),
                (int) Math.round(cx + w / 2), (int) Math.round(cy + h / 2)), null, null);
    }

    static FrameResult result(String jobId, long seq, List<Detection> detections) {
        return FrameResult.newBuilder(Fixtures.result(jobId, OP, seq)).setOffsetMs(seq * STEP_MS)
                .setDetections(detections).build();
    }

    /**
     * Crossing paths: a car (160 x 90) drives right along y = 360 from x = 100, 40 px a frame; a person
     * (50 x 140) walks down along x = 700 from y = 100, 20 px a frame; their boxes overlap around frame
     * 14. Frames 28 to 30 are empty (both gone).
     */
    static List<FrameResult> crossing(String jobId) {
        List<FrameResult> out = new ArrayList<>();
        for (int f = 0; f <= 30; f++) {
            List<Detection> d = f <= 27
                    ? List.of(det("car", 100 + 40 * f, 360, 160, 90), det("person", 700, 100 + 20 * f, 50, 140))
                    : List.of();
            out.add(result(jobId, f, d));
        }
        return out;
    }

    static <T> List<T> of(List<TrafficCount> counts, CountKind kind, java.util.function.Function<TrafficCount, T> f) {
        return counts.stream().filter(c -> c.getKind() == kind).map(f).toList();
    }

    static int lineCount(IntervalTally t, String line, String direction, boolean vehicles) {
        return t.getLines().stream().filter(l -> l.getLine().equals(line) && l.getDirection().equals(direction))
                .mapToInt(l -> vehicles ? l.getVehicles() : l.getPedestrians()).sum();
    }

    /** @return the ids of the confirmed tracks whose box contains the point, per frame seq */
    static Map<Long, Set<Long>> idsAt(List<TrackFrame> frames, Predicate<TrackBox> where) {
        Map<Long, Set<Long>> out = new TreeMap<>();
        for (TrackFrame f : frames) {
            for (TrackBox b : f.getTracks()) {
                if (b.getState() == TrackPhase.CONFIRMED && where.test(b)) {
                    out.computeIfAbsent(f.getSeq(), s -> new HashSet<>()).add(b.getTrackId());
                }
            }
        }
        return out;
    }

    static Set<Long> allIds(Map<Long, Set<Long>> bySeq) {
        return bySeq.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
    }

    @Test
    void crossingPathsKeepTheirIdsAndCountOncePerLineAndPass() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j1", spec(2000, DOOR, GATE)));
            crossing("j1").forEach(d::pipe);
            d.pipe(Fixtures.end("j1", 31));

            List<TrackFrame> tracks = d.tracks();
            assertThat(tracks).hasSize(32);
            assertThat(tracks.subList(0, 31)).extracting(TrackFrame::getSeq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 31).boxed().toList());
            assertThat(tracks.get(31).getEnd()).isTrue();
            assertThat(tracks.get(31).getTracks()).allMatch(b -> b.getState() == TrackPhase.REMOVED);

            Map<Long, Set<Long>> carIds = idsAt(tracks.subList(0, 31), b -> b.getLabel().equals("car"));
            Map<Long, Set<Long>> personIds = idsAt(tracks.subList(0, 31), b -> b.getLabel().equals("person"));
            // one id each, all along, through the overlap: ids 1 (car) and 2 (person), born on frame 0
            assertThat(allIds(carIds)).containsExactly(1L);
            assertThat(allIds(personIds)).containsExactly(2L);
            assertThat(carIds.keySet()).contains(13L, 14L, 15L, 27L);
            assertThat(personIds.keySet()).contains(13L, 14L, 15L, 27L);
            // the car's box follows its detections (x = 100 + 40 f)
            TrackBox car27 = tracks.get(27).getTracks().stream().filter(b -> b.getTrackId() == 1).findFirst().orElseThrow();
            assertThat((car27.getLeft() + car27.getRight()) / 2).isCloseTo(1180, org.assertj.core.data.Offset.offset(5.0));

            List<TrafficCount> counts = d.counts();
            List<io.argus.schemas.avro.CountEventRecord> events = of(counts, CountKind.EVENT, TrafficCount::getEvent);
            assertThat(events).extracting(e -> e.getTrackId() + " " + e.getLine() + " " + e.getDirection())
                    .containsExactlyInAnyOrder("1 null pass", "2 null pass", "2 door in", "1 gate out");
            assertThat(events).allMatch(e -> e.getUri() != null && e.getUri().startsWith("file:///frames/j1/"));
            assertThat(events).filteredOn(e -> e.getTrackId() == 1).allMatch(e -> "vehicle".equals(e.getCategory()));

            // people and vehicles in view per frame: both confirmed from frame 0 to 27, none after
            List<io.argus.schemas.avro.FrameCount> frames = of(counts, CountKind.FRAME, TrafficCount::getFrame);
            assertThat(frames).hasSize(31);
            assertThat(frames.subList(0, 28)).allMatch(f -> f.getPeopleCount() == 1 && f.getVehicleCount() == 1);
            assertThat(frames.subList(28, 31)).allMatch(f -> f.getPeopleCount() == 0 && f.getVehicleCount() == 0);

            // intervals of 2 s over offsets 0..6000 ms: 0, 1, 2 and 3, each once, summing to the total
            List<IntervalTally> intervals = of(counts, CountKind.INTERVAL, TrafficCount::getInterval);
            assertThat(intervals).extracting(IntervalTally::getIndex).containsExactly(0L, 1L, 2L, 3L);
            IntervalTally total = of(counts, CountKind.TOTAL, TrafficCount::getInterval).get(0);
            assertThat(total.getPedestrians()).isEqualTo(1);
            assertThat(total.getVehicles()).isEqualTo(1);
            assertThat(intervals.stream().mapToInt(IntervalTally::getPedestrians).sum()).isEqualTo(1);
            assertThat(intervals.stream().mapToInt(IntervalTally::getVehicles).sum()).isEqualTo(1);
            assertThat(lineCount(total, "door", "in", false)).isEqualTo(1);
            assertThat(lineCount(total, "door", "out", false) + lineCount(total, "door", "out", true)).isZero();
            assertThat(lineCount(total, "gate", "out", true)).isEqualTo(1);
            // gate counts out only: no "in" row
            assertThat(total.getLines()).extracting(LineTally::getLine).containsExactly("door", "door", "gate");
            // the interval of each pass is the interval of its event
            for (var e : events) {
                if (e.getLine() == null) {
                    IntervalTally in = intervals.get((int) (e.getOffsetMs() / 2000));
                    assertThat(in.getPedestrians() + in.getVehicles()).isPositive();
                }
            }
            // the last record is the TOTAL
            assertThat(counts.get(counts.size() - 1).getKind()).isEqualTo(CountKind.TOTAL);

            List<TrackSummary> summaries = d.summaries();
            assertThat(summaries).extracting(TrackSummary::getTrackId).containsExactly(1L, 2L);
            assertThat(summaries.get(0).getLabel()).isEqualTo("car");
            assertThat(summaries.get(0).getFirstSeenMs()).isZero();
            assertThat(summaries.get(0).getLastSeenMs()).isEqualTo(27 * STEP_MS);
            assertThat(summaries.get(0).getMatches()).isEqualTo(28);
            // path: anchors (bottom centre) of the car, y = 360 + 45
            assertThat(summaries.get(0).getPath().get(10).getY()).isCloseTo(405, org.assertj.core.data.Offset.offset(3.0));
            assertThat(summaries.get(1).getClassVotes()).containsOnlyKeys("person");

            // state: a marker of the job over, nothing pending
            assertThat(d.storeSize(AggregatorTopology.TRACKING_PENDING_STORE)).isZero();
        }
    }

    @Test
    void anObjectOccludedForAFewFramesKeepsItsIdAndCountsOnce() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j2", spec(60_000, GATE)));
            // a car drives right along y = 500, 40 px a frame; undetected on frames 12, 13 and 14 (600 ms,
            // under the 1000 ms lost time), while its anchor passes the gate at x = 640
            for (int f = 0; f <= 24; f++) {
                boolean hidden = f >= 12 && f <= 14;
                d.pipe(result("j2", f, hidden ? List.of() : List.of(det("car", 100 + 40 * f, 500, 160, 90))));
            }
            d.pipe(Fixtures.end("j2", 25));
            List<TrackFrame> tracks = d.tracks();
            Set<Long> ids = new HashSet<>();
            tracks.forEach(t -> t.getTracks().forEach(b -> ids.add(b.getTrackId())));
            assertThat(ids).containsExactly(1L);
            for (int f = 12; f <= 14; f++) {
                assertThat(tracks.get(f).getTracks()).singleElement()
                        .satisfies(b -> assertThat(b.getState()).isEqualTo(TrackPhase.LOST));
            }
            assertThat(tracks.get(15).getTracks().get(0).getState()).isEqualTo(TrackPhase.CONFIRMED);
            List<TrafficCount> counts = d.counts();
            assertThat(of(counts, CountKind.EVENT, TrafficCount::getEvent))
                    .extracting(e -> e.getTrackId() + " " + e.getLine() + " " + e.getDirection())
                    .containsExactlyInAnyOrder("1 null pass", "1 gate out");
            // the vehicle is out of view while occluded
            List<io.argus.schemas.avro.FrameCount> frames = of(counts, CountKind.FRAME, TrafficCount::getFrame);
            assertThat(frames.get(13).getVehicleCount()).isZero();
            assertThat(frames.get(16).getVehicleCount()).isEqualTo(1);
            assertThat(d.summaries()).singleElement().satisfies(s -> assertThat(s.getMatches()).isEqualTo(22));
        }
    }

    @Test
    void aBoxFlickeringAcrossALineCountsOnce() {
        CountLine floor = line("floor", "both", 0, 0.6, 1, 0.6); // y = 432 px
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j3", spec(60_000, floor)));
            List<Double> bottoms = new ArrayList<>();
            for (int f = 0; f <= 9; f++) {
                bottoms.add(200.0 + 25 * f); // walks down to 425, just above the line
            }
            for (int f = 10; f <= 21; f++) {
                // flickers across it: two frames (400 ms, under the 500 ms dwell) on each side in turn
                bottoms.add((f / 2) % 2 == 0 ? 455.0 : 410.0);
            }
            for (int f = 22; f <= 31; f++) {
                bottoms.add(470.0 + 15 * (f - 22)); // then walks on down, below it
            }
            for (int f = 0; f < bottoms.size(); f++) {
                d.pipe(result("j3", f, List.of(det("person", 300, bottoms.get(f) - 70, 50, 140))));
            }
            d.pipe(Fixtures.end("j3", bottoms.size()));

            // one track all along, whose filtered anchor itself changes sides of the line again and again
            List<TrackFrame> tracks = d.tracks();
            assertThat(tracks).allMatch(t -> t.getTracks().size() == 1 && t.getTracks().get(0).getTrackId() == 1);
            int changes = 0;
            Boolean below = null;
            for (TrackFrame t : tracks) {
                if (t.getEnd()) {
                    continue;
                }
                boolean b = t.getTracks().get(0).getBottom() >= 432;
                if (below != null && b != below) {
                    changes++;
                }
                below = b;
            }
            assertThat(changes).isGreaterThanOrEqualTo(3);

            List<TrafficCount> counts = d.counts();
            assertThat(of(counts, CountKind.EVENT, TrafficCount::getEvent))
                    .extracting(e -> e.getLine() + " " + e.getDirection())
                    .containsExactlyInAnyOrder("floor in", "null pass");
            IntervalTally total = of(counts, CountKind.TOTAL, TrafficCount::getInterval).get(0);
            assertThat(lineCount(total, "floor", "in", false)).isEqualTo(1);
            assertThat(lineCount(total, "floor", "out", false)).isZero();
        }
    }

    @Test
    void aParkedCarIsInViewButNeverAPass() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j4", spec(2000, DOOR)));
            for (int f = 0; f < 40; f++) {
                double jitter = f % 2 == 0 ? 3 : -3;
                d.pipe(result("j4", f, List.of(det("car", 900 + jitter, 300 - jitter, 200, 110))));
            }
            d.pipe(Fixtures.end("j4", 40));
            List<TrafficCount> counts = d.counts();
            assertThat(of(counts, CountKind.EVENT, TrafficCount::getEvent)).isEmpty();
            assertThat(of(counts, CountKind.FRAME, TrafficCount::getFrame))
                    .hasSize(40).allMatch(f -> f.getVehicleCount() == 1 && f.getPeopleCount() == 0);
            IntervalTally total = of(counts, CountKind.TOTAL, TrafficCount::getInterval).get(0);
            assertThat(total.getVehicles()).isZero();
            // 40 frames of 200 ms: offsets 0..7800, intervals 0..3, all reported, all empty
            assertThat(of(counts, CountKind.INTERVAL, TrafficCount::getInterval)).extracting(IntervalTally::getIndex)
                    .containsExactly(0L, 1L, 2L, 3L);
            assertThat(d.summaries()).singleElement().satisfies(s -> {
                assertThat(s.getTrackId()).isEqualTo(1L);
                assertThat(s.getMatches()).isEqualTo(40);
                assertThat(s.getCategory()).isEqualTo("vehicle");
            });
        }
    }

    @Test
    void aRestartFromTheStoresGivesTheSameIdsAndCounts() {
        List<TrackFrame> straight;
        List<TrafficCount> straightCounts;
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j5", spec(2000, DOOR, GATE)));
            crossing("j5").forEach(d::pipe);
            d.pipe(Fixtures.end("j5", 31));
            straight = d.tracks();
            straightCounts = d.counts();
        }
        List<TrackFrame> resumed = new ArrayList<>();
        List<TrafficCount> resumedCounts = new ArrayList<>();
        List<FrameResult> results = crossing("j5");
        try (TrackingDriver first = new TrackingDriver(); TrackingDriver second = new TrackingDriver()) {
            first.pipe(begin("j5", spec(2000, DOOR, GATE)));
            results.subList(0, 14).forEach(first::pipe);
            first.pipe(results.get(15)); // out of order: waits in the pending store
            resumed.addAll(first.tracks());
            resumedCounts.addAll(first.counts());
            assertThat(first.storeSize(AggregatorTopology.TRACKING_PENDING_STORE)).isEqualTo(1);
            // the process dies here; the next one starts from the stores' changelogs
            first.moveStoresTo(second);
            second.pipe(results.get(14));
            results.subList(15, 31).forEach(second::pipe); // 15 again: a duplicate, dropped
            second.pipe(Fixtures.end("j5", 31));
            resumed.addAll(second.tracks());
            resumedCounts.addAll(second.counts());
        }
        assertThat(resumed).isEqualTo(straight);
        assertThat(resumedCounts).isEqualTo(straightCounts);
    }

    @Test
    void recountWithTheJobsOwnLinesGivesTheLiveCountsAndOtherLinesTheirOwn() {
        TrackingSpec spec = spec(2000, DOOR, GATE);
        List<TrackFrame> tracks;
        List<TrafficCount> live;
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("j6", spec));
            crossing("j6").forEach(d::pipe);
            d.pipe(Fixtures.end("j6", 31));
            tracks = d.tracks();
            live = d.counts();
        }
        TrafficSettings settings = TrackingSpecs.settings(spec, new Vframe(0, STEP_MS / 1000.0, null, null), W, H);
        List<TrackFrame> shuffled = new ArrayList<>(tracks);
        java.util.Collections.reverse(shuffled);
        shuffled.add(tracks.get(5)); // a duplicate record
        Recount again = Recount.of(shuffled, settings);
        assertThat(again.events()).extracting(e -> TrackRecords.toRecord(e, null))
                .isEqualTo(of(live, CountKind.EVENT, TrafficCount::getEvent).stream()
                        .map(e -> io.argus.schemas.avro.CountEventRecord.newBuilder(e).setUri(null).build()).toList());
        assertThat(again.intervals()).extracting(TrackRecords::toRecord)
                .isEqualTo(of(live, CountKind.INTERVAL, TrafficCount::getInterval));
        assertThat(TrackRecords.toRecord(again.total())).isEqualTo(of(live, CountKind.TOTAL, TrafficCount::getInterval).get(0));

        // a new line at x = 0.25, both ways: only the car crosses it, moving right (out)
        CountingLine quarter = new CountingLine("quarter", List.of(new NormPoint(0.25, 0), new NormPoint(0.25, 1)));
        Recount other = Recount.of(tracks, settings.withLines(List.of(new CountedLine(quarter, "both"))));
        assertThat(other.events()).filteredOn(e -> e.line() != null)
                .extracting(CountEvent::trackId, CountEvent::line, CountEvent::direction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "quarter", "out"));
        IntervalTotals total = other.total();
        assertThat(total.lines()).extracting(l -> l.line() + " " + l.direction() + " " + l.vehicles())
                .containsExactly("quarter in 0", "quarter out 1");
        assertThat(total.vehicles()).isEqualTo(1);
        assertThat(total.pedestrians()).isEqualTo(1);
    }

    @Test
    void killFlushesAndUntrackedJobsWriteNothing() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(Fixtures.begin("plain", Fixtures.source(3), Fixtures.op(OP)));
            d.pipe(result("plain", 0, List.of(det("car", 100, 100, 50, 50))));
            d.pipe(Fixtures.end("plain", 1));
            assertThat(d.tracks()).isEmpty();
            assertThat(d.counts()).isEmpty();

            d.pipe(begin("j7", spec(1000, DOOR)));
            for (int f = 0; f < 5; f++) {
                d.pipe(result("j7", f, List.of(det("person", 300, 200 + 10 * f, 50, 140))));
            }
            d.kill("j7");
            List<TrackFrame> tracks = d.tracks();
            assertThat(tracks).hasSize(6);
            assertThat(tracks.get(5).getEnd()).isTrue();
            assertThat(tracks.get(5).getSeq()).isEqualTo(5);
            assertThat(d.summaries()).hasSize(1);
            List<TrafficCount> counts = d.counts();
            assertThat(counts.get(counts.size() - 1).getKind()).isEqualTo(CountKind.TOTAL);
            // results after the kill are ignored
            d.pipe(result("j7", 5, List.of(det("person", 300, 260, 50, 140))));
            assertThat(d.tracks()).isEmpty();
        }
    }
}
