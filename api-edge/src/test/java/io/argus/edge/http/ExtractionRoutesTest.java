package io.argus.edge.http;

import static io.argus.edge.extract.IndexFixture.flow;
import static io.argus.edge.extract.IndexFixture.frame;
import static io.argus.edge.extract.IndexFixture.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.security.ApiKeys;
import io.argus.edge.extract.DriverSink;
import io.argus.edge.extract.ExtractionCatalog;
import io.argus.edge.extract.ExtractionRequestParser;
import io.argus.edge.extract.ExtractionRoutes;
import io.argus.edge.extract.IndexFixture;
import io.argus.edge.extract.MemoryStorage;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionState;

/** The frame & flow routes over real HTTP, with the index in a TopologyTestDriver and in-memory sink/storage. */
class ExtractionRoutesTest {

    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private IndexFixture index;
    private DriverSink sink;
    private MemoryStorage storage;
    private final AtomicLong now = new AtomicLong(T0);
    private final AtomicInteger ids = new AtomicInteger();
    private JobView view;
    private EdgeServer server;
    private Http http;

    @BeforeEach
    void start() {
        index = new IndexFixture(dir);
        sink = new DriverSink(index);
        storage = new MemoryStorage();
        view = new JobView();
        ExtractionRequestParser parser = new ExtractionRequestParser(() -> "req-" + ids.incrementAndGet(),
                () -> now.addAndGet(1000), () -> 77L);
        server = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(5), List.of(jobRoutes(),
                new ExtractionRoutes(parser, sink, index.catalog(now::get), storage)));
        http = new Http(server.start(0));
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
        index.close();
    }

    @Test
    void postFrameProducesWaitingStatusAndRequest() throws Exception {
        Http.Answer a = http.post("/frame", "{\"uri\":\"/videos/a.mp4\",\"video_id\":\"cam1\",\"pattern\":\"uniform\","
                + "\"interval\":2}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode j = a.json();
        assertThat(j.get("id").asText()).isEqualTo("req-1");
        assertThat(j.get("kind").asText()).isEqualTo("frame");
        assertThat(j.get("pattern").asText()).isEqualTo("uniform");
        assertThat(j.get("video_id").asText()).isEqualTo("cam1");
        assertThat(j.has("seed")).isFalse();

        assertThat(sink.requests).hasSize(1);
        ExtractionRequest r = sink.requests.get(0);
        assertThat(r.getKind()).isEqualTo(ExtractionKind.FRAME);
        assertThat(r.getIntervalS()).isEqualTo(2.0);
        assertThat(sink.statuses.get(0).getState()).isEqualTo(ExtractionState.WAITING);

        Http.Answer one = http.get("/frame/req-1");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("state").asText()).isEqualTo("WAITING");
        assertThat(one.json().get("stored").asLong()).isZero();
        assertThat(one.json().get("request").get("interval").asInt()).isEqualTo(2);
        assertThat(http.get("/flow/req-1").status()).isEqualTo(404);
    }

    @Test
    void ownSubmissionIsVisibleBeforeKafkaDeliversIt() throws Exception {
        sink.deliverStatuses = false;
        Http.Answer a = http.post("/frame", "{\"uri\":\"/videos/a.mp4\",\"pattern\":\"keyframe\"}");
        String id = a.json().get("id").asText();
        assertThat(a.json().get("video_id").asText()).isEqualTo(ExtractionRequestParser.videoIdOf("/videos/a.mp4"));
        assertThat(index.statusStore().get(id)).isNull();
        assertThat(http.get("/frame/" + id).json().get("state").asText()).isEqualTo("WAITING");
        assertThat(http.get("/frame/history").json().get("requests")).hasSize(1);
    }

    @Test
    void postRandomAnswersTheSeedAndPostFlowCarriesTheFlowSpec() throws Exception {
        Http.Answer a = http.post("/frame", "{\"uri\":\"http://h/v.mp4\",\"pattern\":\"random\",\"count\":3}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("seed").asLong()).isEqualTo(77L);
        Http.Answer f = http.post("/flow", "{\"uri\":\"file:///v.mp4\",\"pattern\":\"random\",\"seed\":5,"
                + "\"flow\":{\"algorithm\":\"FARNEBACK\",\"gap\":2,\"scale\":0.5}}");
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.json().get("kind").asText()).isEqualTo("flow");
        assertThat(f.json().get("seed").asLong()).isEqualTo(5L);
        ExtractionRequest r = sink.requests.get(1);
        assertThat(r.getKind()).isEqualTo(ExtractionKind.FLOW);
        assertThat(r.getFlow().getAlgorithm()).isEqualTo("FARNEBACK");
        assertThat(r.getFlow().getGap()).isEqualTo(2);
        assertThat(r.getFlow().getScale()).isEqualTo(0.5);
    }

    @Test
    void badPostsAre400WithTheFieldNamedAndNothingProduced() throws Exception {
        assertError(http.post("/frame", "{\"uri\":\"v.mp4\",\"pattern\":\"every\"}"), 400,
                "pattern must be one of uniform, keyframe, random, scene, not 'every'");
        assertError(http.post("/frame", "{\"uri\":\"rtsp://cam/1\",\"pattern\":\"uniform\"}"), 400,
                "live sources are not supported for extraction");
        assertError(http.post("/frame", "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"interval\":0}"), 400,
                "interval must be a number of seconds in (0, 3600]");
        assertError(http.post("/flow", "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"flow\":{\"gap\":0}}"), 400,
                "flow.gap must be an integer from 1 to 25");
        assertError(http.post("/frame", "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"flow\":{}}"), 400,
                "flow is only valid for POST /flow");
        assertThat(http.post("/frame", "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\",\"extra\":1}").json()
                .get("error").asText()).startsWith("unknown field 'extra'");
        assertThat(http.post("/frame", "not json").status()).isEqualTo(400);
        assertThat(sink.requests).isEmpty();
        assertThat(sink.statuses).isEmpty();
    }

    @Test
    void sinkFailureIs503() throws Exception {
        sink.failing = true;
        Http.Answer a = http.post("/frame", "{\"uri\":\"v.mp4\",\"pattern\":\"uniform\"}");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("error").asText()).isEqualTo("service unavailable");
        assertThat(a.json().get("detail").asText()).contains("broker down");
    }

    @Test
    void getFramesByPatternVideoAndCount() throws Exception {
        for (long s = 0; s < 4; s++) {
            index.put(frame("r1", "uniform", "v1", s));
        }
        index.put(frame("r2", "uniform", "v2", 0));
        index.put(frame("r3", "random", "v1", 0));

        Http.Answer a = http.get("/frame?pattern=uniform&count=3");
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(j.get("pattern").asText()).isEqualTo("uniform");
        assertThat(j.get("kind").asText()).isEqualTo("frame");
        assertThat(j.get("items")).hasSize(3);
        JsonNode first = j.get("items").get(0);
        assertThat(first.get("id").asText()).isEqualTo("r1");
        assertThat(first.get("video_id").asText()).isEqualTo("v1");
        assertThat(first.get("offset_ms").asLong()).isZero();
        assertThat(first.get("uri").asText()).isEqualTo("file:///store/extractions/r1/0.jpg");
        assertThat(first.get("width").asInt()).isEqualTo(768);
        assertThat(first.get("height").asInt()).isEqualTo(576);
        assertThat(first.has("frame_uri")).isFalse();
        assertThat(j.get("items").get(2).get("offset_ms").asLong()).isEqualTo(10_000);

        assertThat(http.get("/frame?pattern=uniform").json().get("items")).hasSize(5);
        assertThat(http.get("/frame?pattern=uniform&video=v2").json().get("items")).hasSize(1);
        assertThat(http.get("/frame?pattern=keyframe").json().get("items")).isEmpty();
        // the spec's JSON body
        Http.Answer b = http.get("/frame", "{\"pattern\":\"random\",\"count\":1}");
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().get("items")).hasSize(1);
        assertThat(b.json().get("items").get(0).get("id").asText()).isEqualTo("r3");
    }

    @Test
    void getFlowsCarryTheFlowFields() throws Exception {
        index.put(flow("f1", "scene", "v1", 0));
        index.put(flow("f1", "scene", "v1", 1));
        index.put(frame("r1", "scene", "v1", 0));
        JsonNode items = http.get("/flow?pattern=scene").json().get("items");
        assertThat(items).hasSize(2);
        JsonNode i = items.get(1);
        assertThat(i.get("id").asText()).isEqualTo("f1");
        assertThat(i.get("uri").asText()).endsWith("/1.flo");
        assertThat(i.get("frame_uri").asText()).endsWith("/1.jpg");
        assertThat(i.get("pair_offset_ms").asLong()).isEqualTo(1040);
        assertThat(i.get("visualization_uri").asText()).endsWith("/1-flow.jpg");
        assertThat(i.get("algorithm").asText()).isEqualTo("DIS/FAST");
        assertThat(i.get("stats").get("mean_px").asDouble()).isEqualTo(1.5);
        assertThat(i.get("stats").get("p95_px").asDouble()).isEqualTo(4.25);
        assertThat(i.get("stats").get("moving_fraction").asDouble()).isEqualTo(0.3);
        assertThat(i.get("stats").get("direction_deg").asDouble()).isEqualTo(90.0);
        assertThat(items.get(0).get("stats").get("direction_deg").isNull()).isTrue();
    }

    @Test
    void badGetsAre400() throws Exception {
        assertError(http.get("/frame"), 400, "pattern is required: one of uniform, keyframe, random, scene");
        assertError(http.get("/frame?pattern=bogus"), 400,
                "pattern must be one of uniform, keyframe, random, scene, not 'bogus'");
        assertError(http.get("/flow?pattern=random&count=0"), 400, "count must be an integer from 1 to 100");
        assertError(http.get("/flow?pattern=random&count=101"), 400, "count must be an integer from 1 to 100");
        assertError(http.get("/frame/history?count=0"), 400, "count must be an integer from 1 to 100");
        assertThat(http.get("/frame?pattern=random&count=100").status()).isEqualTo(200);
    }

    @Test
    void historyNewestFirstWithStoredAndFlowsStillComputing() throws Exception {
        index.put(status("a", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 2, T0 - 3000));
        index.put(status("b", ExtractionKind.FRAME, "random", "v2", ExtractionState.FAILED, 0, T0 - 2000));
        index.put(status("c", ExtractionKind.FLOW, "uniform", "v1", ExtractionState.FINISHED, 2, T0 - 1000));
        index.put(frame("a", "uniform", "v1", 0));
        index.put(frame("a", "uniform", "v1", 1));
        index.put(flow("c", "uniform", "v1", 0));

        JsonNode h = http.get("/frame/history").json();
        assertThat(h.get("kind").asText()).isEqualTo("frame");
        JsonNode reqs = h.get("requests");
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(0).get("id").asText()).isEqualTo("b");
        assertThat(reqs.get(0).get("state").asText()).isEqualTo("FAILED");
        assertThat(reqs.get(0).get("error").asText()).isEqualTo("cannot open the video");
        JsonNode a = reqs.get(1);
        assertThat(a.get("id").asText()).isEqualTo("a");
        assertThat(a.get("video_id").asText()).isEqualTo("v1");
        assertThat(a.get("uri").asText()).isEqualTo("/videos/v1.mp4");
        assertThat(a.get("pattern").asText()).isEqualTo("uniform");
        assertThat(a.get("state").asText()).isEqualTo("FINISHED");
        assertThat(a.get("error").isNull()).isTrue();
        assertThat(a.get("frames").asLong()).isEqualTo(2);
        assertThat(a.get("stored").asLong()).isEqualTo(2);
        assertThat(a.get("created_at").asText()).isEqualTo("2023-11-14T22:13:17Z");
        assertThat(a.get("updated_at").asText()).isEqualTo("2023-11-14T22:13:18Z");

        assertThat(http.get("/frame/history?video=v1&count=1").json().get("requests")).hasSize(1);
        assertThat(http.get("/frame/history?video=v3").json().get("requests")).isEmpty();

        JsonNode flows = http.get("/flow/history").json().get("requests");
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).get("state").asText()).isEqualTo("DOING"); // 1 of 2 flows stored
        index.put(flow("c", "uniform", "v1", 1));
        assertThat(http.get("/flow/c").json().get("state").asText()).isEqualTo("FINISHED");
    }

    @Test
    void unknownRequestIs404() throws Exception {
        assertError(http.get("/frame/nope"), 404, "extraction not found");
        assertError(http.delete("/flow/nope"), 404, "extraction not found");
    }

    @Test
    void deleteOneRequestTombstonesItsItemsAndStatusAndDeletesItsFiles() throws Exception {
        index.put(status("a", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 2, T0));
        index.put(status("b", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, T0));
        index.put(frame("a", "uniform", "v1", 0));
        index.put(frame("a", "uniform", "v1", 1));
        index.put(frame("b", "uniform", "v1", 0));
        storage.add("extractions/a/0.jpg");
        storage.add("extractions/a/1.jpg");
        storage.add("extractions/b/0.jpg");

        assertThat(http.delete("/flow/a").status()).isEqualTo(404); // a frame request
        Http.Answer d = http.delete("/frame/a");
        assertThat(d.status()).isEqualTo(200);
        JsonNode del = d.json().get("deleted");
        assertThat(del.get("requests")).hasSize(1);
        assertThat(del.get("requests").get(0).asText()).isEqualTo("a");
        assertThat(del.get("items").asLong()).isEqualTo(2);
        assertThat(del.get("files").asLong()).isEqualTo(2);

        assertThat(sink.itemTombstones).containsExactly("frame/uniform/v1/a/0000000000", "frame/uniform/v1/a/0000000001");
        assertThat(sink.statusTombstones).containsExactly("a");
        assertThat(storage.deletedPrefixes).containsExactly("extractions/a");
        assertThat(storage.files).containsOnlyKeys("extractions/b/0.jpg");
        // the tombstones reached the global stores
        assertThat(index.itemStore().get("frame/uniform/v1/a/0000000000")).isNull();
        assertThat(index.statusStore().get("a")).isNull();

        assertThat(http.get("/frame/a").status()).isEqualTo(404);
        JsonNode items = http.get("/frame?pattern=uniform").json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("id").asText()).isEqualTo("b");
        assertThat(http.delete("/frame/a").status()).isEqualTo(404);
    }

    @Test
    void deleteByVideoDeletesEveryRequestOfThatKindAndVideo() throws Exception {
        index.put(status("a", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, T0));
        index.put(status("b", ExtractionKind.FRAME, "scene", "v1", ExtractionState.FINISHED, 1, T0 + 1));
        index.put(status("c", ExtractionKind.FRAME, "uniform", "v2", ExtractionState.FINISHED, 1, T0));
        index.put(status("d", ExtractionKind.FLOW, "uniform", "v1", ExtractionState.FINISHED, 1, T0));
        index.put(frame("a", "uniform", "v1", 0));
        index.put(frame("b", "scene", "v1", 0));
        index.put(frame("c", "uniform", "v2", 0));
        index.put(flow("d", "uniform", "v1", 0));

        assertError(http.delete("/frame"), 400,
                "video is required: DELETE /frame?video=<video_id>, or DELETE /frame/<id> for one request");
        assertThat(http.delete("/frame?video=a/b").status()).isEqualTo(400);
        Http.Answer d = http.delete("/frame?video=v1");
        assertThat(d.status()).isEqualTo(200);
        JsonNode del = d.json().get("deleted");
        assertThat(List.of(del.get("requests").get(0).asText(), del.get("requests").get(1).asText()))
                .containsExactly("b", "a"); // newest first
        assertThat(del.get("items").asLong()).isEqualTo(2);
        assertThat(sink.statusTombstones).containsExactlyInAnyOrder("a", "b");
        assertThat(storage.deletedPrefixes).containsExactlyInAnyOrder("extractions/a", "extractions/b");
        assertThat(index.statusStore().get("c")).isNotNull();
        assertThat(index.statusStore().get("d")).isNotNull();
        assertThat(http.get("/flow?pattern=uniform").json().get("items")).hasSize(1);

        Http.Answer none = http.delete("/frame?video=v9");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().get("deleted").get("requests")).isEmpty();
    }

    @Test
    void failedDeletionIs503AndKeepsTheRequest() throws Exception {
        index.put(status("a", ExtractionKind.FRAME, "uniform", "v1", ExtractionState.FINISHED, 1, T0));
        storage.failing = true;
        Http.Answer d = http.delete("/frame/a");
        assertThat(d.status()).isEqualTo(503);
        assertThat(d.json().get("error").asText()).isEqualTo("service unavailable");
        assertThat(d.json().get("detail").asText()).contains("disk on fire");
        assertThat(d.json().get("deleted").get("requests")).isEmpty();
        assertThat(http.get("/frame/a").status()).isEqualTo(200);
        assertThat(sink.statusTombstones).isEmpty();
    }

    @Test
    void indexNotReadyIs503() throws Exception {
        server.stop();
        sink = new DriverSink(index);
        ExtractionCatalog notReady = new ExtractionCatalog(() -> {
            throw new InvalidStateStoreException("restoring");
        }, () -> {
            throw new InvalidStateStoreException("restoring");
        });
        server = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(5), List.of(jobRoutes(),
                new ExtractionRoutes(new ExtractionRequestParser(), sink, notReady, storage)));
        http = new Http(server.start(0));
        Http.Answer a = http.get("/frame?pattern=uniform");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("error").asText()).isEqualTo("service unavailable");
        assertThat(http.get("/frame/history").status()).isEqualTo(503);
        assertThat(http.delete("/frame/x").status()).isEqualTo(503);
    }

    @Test
    void stopClosesTheExtractionSink() {
        server.stop();
        assertThat(sink.closed).isTrue();
    }

    @Test
    void withoutExtractionRoutesTheyAre404() throws Exception {
        EdgeServer plain = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(5), List.of(jobRoutes()));
        try {
            Http h = new Http(plain.start(0));
            assertThat(h.get("/frame?pattern=uniform").status()).isEqualTo(404);
            assertThat(h.post("/frame", "{}").status()).isEqualTo(404);
        } finally {
            plain.stop();
        }
    }

    private JobRoutes jobRoutes() {
        return new JobRoutes(new RecordingSink(), new RecordingControlSink(), new JobRequestParser(Set.of("pulp")),
                view, Duration.ofSeconds(5), Duration.ofSeconds(1), Map.of());
    }

    private static void assertError(Http.Answer a, int status, String error) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().get("error").asText()).isEqualTo(error);
    }
}
