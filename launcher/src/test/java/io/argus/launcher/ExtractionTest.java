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
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.flow.FloFile;
import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.flow.FlowField;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * The frame &amp; flow service end to end: every stage in one JVM on the embedded broker, real
 * videos (vtest.avi, Megamind.avi), real HTTP. Requests go through ingest's decoding path, flows
 * through the flow worker, and every GET answers from the index (global state stores).
 */
class ExtractionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;
    static Path megamind;

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        megamind = SampleVideos.ensure("Megamind.avi");
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Waits until the request's sampling is over and every item is in the index. */
    static JsonNode awaitStored(String kind, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode r = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = send("GET", "/" + kind + "/" + id, null);
            if (res.statusCode() == 200) {
                r = JSON.readTree(res.body());
                if (r.path("state").asText().equals("FAILED")) {
                    return r;
                }
                if (r.path("state").asText().equals("FINISHED") && r.path("stored").asLong() == r.path("frames").asLong()) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("request " + id + " not done: " + r);
    }

    static List<Long> offsets(JsonNode items) {
        List<Long> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("offset_ms").asLong()));
        return out;
    }

    @Test
    void uniformFramesAreStoredIndexedAndDeleted() throws Exception {
        JsonNode made = ok(send("POST", "/frame", "{\"uri\":\"" + vtest + "\",\"video_id\":\"vt-uniform\","
                + "\"pattern\":\"uniform\",\"interval\":10}"));
        String id = made.path("id").asText();
        JsonNode done = awaitStored("frame", id);
        assertThat(done.path("state").asText()).isEqualTo("FINISHED");
        assertThat(done.path("frames").asLong()).isEqualTo(8);

        JsonNode items = ok(send("GET", "/frame?pattern=uniform&video=vt-uniform&count=100", null)).path("items");
        assertThat(offsets(items)).containsExactly(0L, 10000L, 20000L, 30000L, 40000L, 50000L, 60000L, 70000L);
        for (JsonNode item : items) {
            var img = ImageIO.read(new ByteArrayInputStream(rt.frames().get(URI.create(item.path("uri").asText()))));
            assertThat(img.getWidth()).isEqualTo(768);
            assertThat(item.path("id").asText()).isEqualTo(id);
        }
        assertThat(ok(send("GET", "/frame?pattern=uniform&video=vt-uniform&count=3", null)).path("items")).hasSize(3);
        JsonNode history = ok(send("GET", "/frame/history?video=vt-uniform", null));
        assertThat(history.toString()).contains(id);

        URI first = URI.create(items.get(0).path("uri").asText());
        JsonNode deleted = ok(send("DELETE", "/frame/" + id, null)).path("deleted");
        assertThat(deleted.path("items").asLong()).isEqualTo(8);
        assertThat(deleted.path("files").asLong()).isGreaterThanOrEqualTo(8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rt.frames().get(first))
                .isInstanceOf(java.io.IOException.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode after = ok(send("GET", "/frame?pattern=uniform&video=vt-uniform&count=100", null)).path("items");
        while (after.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            after = ok(send("GET", "/frame?pattern=uniform&video=vt-uniform&count=100", null)).path("items");
        }
        assertThat(after).isEmpty();
        while (send("GET", "/frame/" + id, null).statusCode() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(send("GET", "/frame/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void randomWithTheSameSeedGivesTheSameOffsets() throws Exception {
        List<List<Long>> runs = new ArrayList<>();
        for (String video : List.of("vt-random-a", "vt-random-b")) {
            String id = ok(send("POST", "/frame", "{\"uri\":\"" + vtest + "\",\"video_id\":\"" + video
                    + "\",\"pattern\":\"random\",\"count\":5,\"seed\":42}")).path("id").asText();
            awaitStored("frame", id);
            runs.add(offsets(ok(send("GET", "/frame?pattern=random&video=" + video + "&count=100", null)).path("items")));
        }
        assertThat(runs.get(0)).hasSize(5).isEqualTo(runs.get(1)).isSorted();
    }

    @Test
    void sceneFindsTheCutsOfMegamind() throws Exception {
        String id = ok(send("POST", "/frame", "{\"uri\":\"" + megamind + "\",\"video_id\":\"megamind\","
                + "\"pattern\":\"scene\"}")).path("id").asText();
        awaitStored("frame", id);
        List<Long> cuts = offsets(ok(send("GET", "/frame?pattern=scene&video=megamind&count=100", null)).path("items"));
        assertThat(cuts).hasSize(5);
        assertThat(cuts.subList(2, 5)).allSatisfy(o -> assertThat(o).isBetween(4000L, 9000L));
    }

    @Test
    void keyframeFlowsCarryStatisticsAFloFieldAndAVisualisation() throws Exception {
        String id = ok(send("POST", "/flow", "{\"uri\":\"" + vtest + "\",\"video_id\":\"vt-flow\","
                + "\"pattern\":\"keyframe\",\"flow\":{\"algorithm\":\"DIS\",\"preset\":\"FAST\",\"gap\":1}}"))
                .path("id").asText();
        JsonNode done = awaitStored("flow", id);
        assertThat(done.path("frames").asLong()).isEqualTo(4);
        JsonNode items = ok(send("GET", "/flow?pattern=keyframe&video=vt-flow", null)).path("items");
        assertThat(offsets(items)).containsExactly(0L, 25000L, 50000L, 75000L);
        for (JsonNode item : items) {
            assertThat(item.path("pair_offset_ms").asLong()).isEqualTo(item.path("offset_ms").asLong() + 100);
            JsonNode stats = item.path("stats");
            assertThat(stats.path("moving_fraction").asDouble()).as("people walk in every keyframe").isPositive();
            assertThat(stats.path("p95_px").asDouble()).isGreaterThanOrEqualTo(stats.path("mean_px").asDouble());
            FlowField field = FloFile.fromBytes(rt.frames().get(URI.create(item.path("uri").asText())));
            assertThat(field.width()).isEqualTo(768);
            assertThat(field.height()).isEqualTo(576);
            var viz = ImageIO.read(new ByteArrayInputStream(
                    rt.frames().get(URI.create(item.path("visualization_uri").asText()))));
            assertThat(viz.getWidth()).isEqualTo(768);
            try (var gray = Pgm.decode(rt.frames().get(URI.create(item.path("frame_uri").asText())))) {
                assertThat(gray.cols()).as("the flow's input frame, lossless gray").isEqualTo(768);
                assertThat(gray.channels()).isEqualTo(1);
            }
        }
        assertThat(ok(send("GET", "/flow/history?video=vt-flow", null)).toString()).contains(id);
    }

    @Test
    void badRequestsAreRefusedWithAClearMessage() throws Exception {
        HttpResponse<String> pattern = send("POST", "/frame", "{\"uri\":\"" + vtest + "\",\"pattern\":\"sometimes\"}");
        assertThat(pattern.statusCode()).isEqualTo(400);
        assertThat(pattern.body()).contains("pattern");
        assertThat(send("GET", "/frame?pattern=uniform&count=0", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/frame?pattern=uniform&count=101", null).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/flow", "{\"pattern\":\"uniform\"}").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/frame/no-such-request", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aMissingVideoFailsItsRequestWith424() throws Exception {
        String id = ok(send("POST", "/frame", "{\"uri\":\"" + dir.resolve("missing.mp4") + "\",\"pattern\":\"uniform\"}"))
                .path("id").asText();
        JsonNode failed = awaitStored("frame", id);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.toString()).contains("cannot find the video");
    }
}
