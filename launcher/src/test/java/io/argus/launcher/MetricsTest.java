package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * {@code GET /metrics} of the embedded default after real jobs over real HTTP: the counters move
 * by what the jobs did (frames sampled = frames analysed = the job's frame count, one FINISHED job
 * more, a hook delivered at the first attempt), and the Kafka client, consumer lag and JVM meters
 * are there.
 */
class MetricsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;
    static HttpServer hooks;
    static final List<String> hookBodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            hookBodies.add(new String(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hooks.start();
    }

    @AfterAll
    static void stop() {
        if (hooks != null) {
            hooks.stop(0);
        }
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void countersMoveByWhatAJobDid() throws Exception {
        Map<String, Double> before = scrape();
        String hook = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"vframe\":{\"mode\":0,\"interval\":10},"
                + "\"hookURL\":\"" + hook + "\"},\"ops\":[{\"op\":\"person\"}]}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/video/metrics"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).has("person")).as(answer.body()).isTrue();
        // vtest.avi lasts 79.5 s: a frame every 10 s, from 0 to 70 s, is 8 frames
        int frames = 8;

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Double> after = scrape();
        while (delta(before, after, "argus_hook_calls_total{outcome=\"delivered\"}") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = scrape();
        }
        assertThat(delta(before, after, "argus_frames_sampled_total{source=\"file\"}")).isEqualTo(frames);
        assertThat(delta(before, after, "argus_frames_analysed_total{op=\"person\",outcome=\"ok\"}")).isEqualTo(frames);
        assertThat(delta(before, after, "argus_op_duration_seconds_count{op=\"person\"}")).isEqualTo(frames);
        assertThat(delta(before, after, "argus_op_duration_seconds_sum{op=\"person\"}")).isGreaterThan(0);
        assertThat(delta(before, after, "argus_jobs{status=\"FINISHED\"}")).isEqualTo(1);
        assertThat(after.get("argus_jobs{status=\"DOING\"}")).isEqualTo(0);
        assertThat(delta(before, after, "argus_hook_calls_total{outcome=\"delivered\"}")).isEqualTo(1);
        assertThat(delta(before, after, "argus_hook_attempts_total{result=\"ok\"}")).isEqualTo(1);
        assertThat(delta(before, after, "argus_hook_attempts_total{result=\"failed\"}")).isEqualTo(0);
        assertThat(hookBodies).hasSize(1);
        // the consumer groups' lag, the clients' own meters, the Streams app's and the JVM's
        assertThat(after).containsKeys("argus_consumer_lag{group=\"argus-analyzer\"}",
                "argus_consumer_lag{group=\"argus-ingest\"}", "argus_consumer_lag{group=\"argus-hooks\"}",
                "argus_consumer_lag{group=\"argus-flow\"}");
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("kafka_consumer_fetch_manager_records_consumed_total"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("kafka_producer_record_send_total"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("kafka_stream_thread_process_total"));
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
    }

    @Test
    void metricsAreOpenAndInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(r.body()).contains("# TYPE argus_jobs gauge", "# HELP argus_jobs ");
    }

    /** Samples of one scrape: {@code name{labels}} (labels sorted as written) -> value. */
    static Map<String, Double> scrape() throws Exception {
        return scrape(base);
    }

    /**
     * @param base the edge's base URL
     * @return samples of one scrape of its {@code /metrics}: {@code name{labels}} -> value
     */
    static Map<String, Double> scrape(String base) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> out = new HashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");
        for (String line : text.split("\n")) {
            Matcher m = sample.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        assertThat(after).as("scrape has " + key).containsKey(key);
        return after.get(key) - before.getOrDefault(key, 0.0);
    }
}
