package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.view.JobView;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * What happens to jobs after they run, on the embedded default over real HTTP with a real video:
 * a kill drops the frames still queued for the analyzers, and {@code DELETE /v1/jobs/video/<id>}
 * removes an ended job's stored frames and its status.
 */
class JobLifecycleTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
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
    void deleteRemovesAnEndedJobsFramesAndStatus() throws Exception {
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"async\":true,"
                + "\"vframe\":{\"mode\":0,\"interval\":10}},\"ops\":[{\"op\":\"motion\"}]}";
        String job = JSON.readTree(send("POST", "/v1/video/deleted", body).body()).get("job").asText();
        assertThat(send("DELETE", "/v1/jobs/video/nope", null).statusCode()).isEqualTo(404);
        // DELETE is refused (409) while the job runs and deletes it once it has ended; the job may
        // end between any two requests, so the loop stops at the first DELETE that is not refused
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Path frames = dir.resolve("data").resolve("frames").resolve(job);
        HttpResponse<String> deleted = send("DELETE", "/v1/jobs/video/" + job, null);
        while (deleted.statusCode() == 409 && System.nanoTime() < deadline) {
            assertThat(JSON.readTree(deleted.body()).get("error").asText()).isEqualTo("job not ended");
            Thread.sleep(200);
            deleted = send("DELETE", "/v1/jobs/video/" + job, null);
        }
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode d = JSON.readTree(deleted.body());
        assertThat(d.get("job").asText()).isEqualTo(job);
        assertThat(d.get("deleted").get("frames").asInt()).isEqualTo(8);
        assertThat(frames).doesNotExist();
        assertThat(send("GET", "/v1/jobs/video/" + job, null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(send("GET", "/v1/jobs/video", null).body()).findValuesAsText("id"))
                .doesNotContain(job);
        // the tombstone is on the compacted job-status topic: a view built anew from Kafka (as a
        // restarted or another edge builds it) does not know the job either
        try (JobView fresh = new JobView(rt.topics(), rt.kafka())) {
            fresh.start();
            fresh.caughtUp().get(30, TimeUnit.SECONDS);
            assertThat(fresh.status(job)).isEmpty();
        }
        assertThat(send("DELETE", "/v1/jobs/video/" + job, null).statusCode()).isEqualTo(404);
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Kill of a job with hundreds of frames queued: the analyzers drop the rest (they read the
     * control topic as ingest does) instead of analysing them, and count what they dropped.
     */
    @Test
    void aKilledJobsQueuedFramesAreDroppedNotAnalysed() throws Exception {
        String key = "argus_frames_analysed_total{op=\"person\",outcome=\"ok\"}";
        String dropped = "argus_records_dropped_total{reason=\"job_killed\",stage=\"analyzer\"}";
        Map<String, Double> before = MetricsTest.scrape(base);
        // a frame every 0.1 s of vtest.avi's 79.5 s: ~795 frames, sampled in seconds, analysed at
        // ~0.1 s each (the HOG detector: no models in this data directory)
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"async\":true,"
                + "\"vframe\":{\"mode\":0,\"interval\":0.1}},\"ops\":[{\"op\":\"person\"}]}";
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/video/backlog"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String job = JSON.readTree(answer.body()).get("job").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (after(before, key) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        HttpResponse<String> kill = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/jobs/video/" + job))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("op=kill")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(kill.statusCode()).as(kill.body()).isEqualTo(200);
        while (!JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/jobs/video/" + job)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("status").asText().equals("CANCELLED")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // the batches on the pool finish
        double atKill = after(before, key);
        Thread.sleep(4000);
        double later = after(before, key);
        // without dropping, two analyzer threads go on at ~10 frames/s each for over a minute
        assertThat(later - atKill).as("frames analysed after the kill").isLessThanOrEqualTo(4);
        // every frame ingest sampled before its source stopped was either analysed or dropped
        double sampled = after(before, "argus_frames_sampled_total{source=\"file\"}");
        assertThat(after(before, dropped)).isPositive();
        assertThat(after(before, key) + after(before, dropped)).isEqualTo(sampled);
    }

    private static double after(Map<String, Double> before, String key) throws Exception {
        Map<String, Double> now = MetricsTest.scrape(base);
        return now.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

}
