package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.argus.edge.hooks.HookSettings;
import io.argus.edge.hooks.HookSignature;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.Segment;

/**
 * Hook delivery end to end: jobs on vtest.avi with segment, op-result and result hooks, the
 * embedded runtime delivering to a real local HTTP receiver that fails the first attempts of every
 * call and checks each signature; a restart of the runtime (the edge) in the middle; a receiver
 * that refuses a call (to the dead-letter topic). One partition per topic, so calls of different
 * jobs share a partition and a retried call really holds back the committed offset.
 */
class HookDeliveryTest {

    static final String SECRET = "hook-test-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Path vtest;
    static ArgusRuntime rt;
    static HttpServer receiver;
    static String hooks;
    /** Accepted deliveries: idempotency key -> bodies. */
    static final Map<String, List<JsonNode>> accepted = new ConcurrentHashMap<>();
    static final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    static final List<String> badSignatures = new CopyOnWriteArrayList<>();
    static final AtomicBoolean slowAccepts = new AtomicBoolean();

    static RuntimeConfig config() {
        RuntimeConfig c = RuntimeConfig.embedded(dir.resolve("data"), 0);
        HookSettings h = HookSettings.defaults().withSecret(SECRET)
                .withBackoff(Duration.ofMillis(100), 2, Duration.ofMillis(400), 0.5)
                .withAttempts(1000, Duration.ofSeconds(5));
        return new RuntimeConfig(c.dataDir(), null, null, 1, (short) 1, 2, 4, 2, "127.0.0.1", 0, "0", h,
                c.extractionRetention());
    }

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", HookDeliveryTest::receive);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        receiver.start();
        hooks = "http://127.0.0.1:" + receiver.getAddress().getPort();
        rt = ArgusRuntime.start(config());
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
        receiver.stop(0);
    }

    /**
     * /flaky fails each call's first two attempts with 500; /slow fails until {@link #slowAccepts};
     * /refuse answers 400; /fast accepts at once. Signatures are checked on every attempt.
     */
    static void receive(HttpExchange ex) throws java.io.IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        if (!HookSignature.verify(SECRET, ex.getRequestHeaders().getFirst(HookSignature.HEADER), body, 300)) {
            badSignatures.add(key);
        }
        int n = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String path = ex.getRequestURI().getPath();
        int status = switch (path) {
            case "/flaky" -> n <= 2 ? 500 : 200;
            case "/slow" -> slowAccepts.get() ? 200 : 503;
            case "/refuse" -> 400;
            default -> 200;
        };
        if (status == 200) {
            acceptedAt.putIfAbsent(key, System.currentTimeMillis());
            accepted.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(JSON.readTree(body));
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    static String submit(String videoId, String params, String op) throws Exception {
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"async\":true," + params + "},\"ops\":["
                + op + "]}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort()
                + "/v1/video/" + videoId)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("job").asText();
    }

    static JsonNode awaitFinal(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + rt.httpPort() + "/v1/jobs/video/" + jobId)).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (job.path("status").asText().equals("FINISHED")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " did not finish");
    }

    static void awaitKeys(int n, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (accepted.keySet().stream().filter(k -> k.startsWith(prefix)).count() < n
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyHookArrivesOnceSignedDespiteFailuresAndARestartOfTheEdge() throws Exception {
        // A call that keeps failing holds back the committed offset of the (single) hooks partition.
        String held = submit("held", "\"vframe\":{\"mode\":1},\"hookURL\":\"" + hooks + "/slow\"", "{\"op\":\"person\"}");
        awaitFinal(held);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!attempts.containsKey(held + "/result") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(attempts).containsKey(held + "/result");

        // Label select (person >= 0.9) makes segments open and close along vtest.avi.
        String job = submit("hooked", "\"vframe\":{\"mode\":0,\"interval\":5},\"hookURL\":\"" + hooks + "/flaky\"",
                "{\"op\":\"person\",\"hookURL\":\"" + hooks + "/flaky\",\"hookURL_segment\":\"" + hooks + "/flaky\","
                        + "\"params\":{\"labels\":[{\"label\":\"person\",\"select\":2,\"score\":0.9}]}}");
        JsonNode finished = awaitFinal(job);
        int segments = finished.path("result").path("person").path("segments").size();
        assertThat(segments).isPositive();
        int expected = segments + 2;
        awaitKeys(expected, job + "/");
        assertThat(accepted.keySet().stream().filter(k -> k.startsWith(job + "/"))).hasSize(expected);

        // Restart the runtime (the edge among it) while the held call is still failing.
        rt.close();
        rt = ArgusRuntime.start(config());
        slowAccepts.set(true);
        awaitKeys(1, held + "/");
        Thread.sleep(2000);

        assertThat(badSignatures).isEmpty();
        for (int i = 0; i < segments; i++) {
            assertThat(accepted.get(job + "/segment/person/" + i)).as("segment %d", i).hasSize(1);
            assertThat(attempts.get(job + "/segment/person/" + i).get()).isEqualTo(3);
        }
        assertThat(accepted.get(job + "/op-result/person")).hasSize(1);
        assertThat(accepted.get(job + "/result")).hasSize(1);
        assertThat(accepted.get(held + "/result")).hasSize(1);
        assertThat(accepted.keySet().stream().filter(k -> k.startsWith(job + "/"))).hasSize(expected);

        JsonNode segment = accepted.get(job + "/segment/person/0").get(0);
        assertThat(segment.path("id").asText()).isEqualTo("hooked");
        assertThat(segment.path("op").asText()).isEqualTo("person");
        assertThat(segment.path("result")).isEqualTo(finished.path("result").path("person").path("segments").get(0));
        JsonNode opResult = accepted.get(job + "/op-result/person").get(0);
        assertThat(opResult.path("result").path("segments")).isEqualTo(finished.path("result").path("person").path("segments"));
        JsonNode result = accepted.get(job + "/result").get(0);
        assertThat(result.path("id").asText()).isEqualTo("hooked");
        assertThat(result.path("status").asText()).isEqualTo("FINISHED");
        assertThat(result.path("result").path("person").path("labels"))
                .isEqualTo(finished.path("result").path("person").path("labels"));
    }

    @Test
    void segmentHooksArriveWithinASecondOfTheSegmentClosing() throws Exception {
        try (TopicTail<Segment> closed = new TopicTail<>(rt.kafka(), rt.topics().segments())) {
            String job = submit("prompt", "\"vframe\":{\"mode\":0,\"interval\":5}",
                    "{\"op\":\"person\",\"hookURL_segment\":\"" + hooks + "/fast\","
                            + "\"params\":{\"labels\":[{\"label\":\"person\",\"select\":2,\"score\":0.9}]}}");
            JsonNode finished = awaitFinal(job);
            int segments = finished.path("result").path("person").path("segments").size();
            awaitKeys(segments, job + "/segment/");
            List<TopicTail.Seen<Segment>> seen = closed.seen(s -> s.getJobId().equals(job));
            assertThat(seen).hasSize(segments);
            for (TopicTail.Seen<Segment> s : seen) {
                Long at = acceptedAt.get(job + "/segment/person/" + s.value().getIndex());
                assertThat(at).isNotNull();
                long delay = at - s.receivedAtMs();
                System.out.printf("segment %d hook %d ms after the segment was readable%n", s.value().getIndex(), delay);
                assertThat(delay).isLessThan(1000);
            }
        }
    }

    @Test
    void aRefusedCallGoesToTheDeadLetterTopic() throws Exception {
        try (TopicTail<HookCall> dlq = new TopicTail<>(rt.kafka(), rt.topics().hooksDlq())) {
            String job = submit("refused", "\"vframe\":{\"mode\":1},\"hookURL\":\"" + hooks + "/refuse\"",
                    "{\"op\":\"person\"}");
            awaitFinal(job);
            List<HookCall> dead = dlq.await(c -> c.getJobId().equals(job), 1, Duration.ofSeconds(20));
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getIdempotencyKey()).isEqualTo(job + "/result");
            assertThat(dead.get(0).getAttempts()).isEqualTo(1);
            assertThat(dead.get(0).getLastError()).contains("400");
            assertThat(accepted).doesNotContainKey(job + "/result");
        }
    }
}
