package io.argus.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.testkit.servers.ExternalProcess;

/**
 * Benchmark, not a timed test (run it alone: {@code ./mvnw -B verify -pl launcher -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterBenchmark}): analyzer throughput on a
 * 3-broker KRaft cluster with every stage as its own JVM, first with one analyzer process, then
 * with a second one joining the group. Each round submits {@link #JOBS} jobs at once, then one job
 * alone (vtest.avi, a frame every 0.5 s, 160 frames each, op {@code person}); a job's frames are
 * spread over the partitions of argus.analyzer-frames, so two analyzers share the frames of one
 * job as well as the jobs. Prints a Markdown table for
 * BENCHMARKS.md. On 2 cores that also run the brokers, ingest and the aggregator, little speed-up
 * is to be expected.
 */
class ClusterBenchmark {

    private static final int JOBS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void oneAgainstTwoAnalyzers() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        List<StageProcess> stages = new ArrayList<>();
        try (KafkaCluster cluster = new KafkaCluster(Files.createDirectories(dir.resolve("kafka")), 3).start()) {
            int port = ExternalProcess.freePort();
            Path data = Files.createDirectories(dir.resolve("data"));
            List<String> common = List.of("--bootstrap-servers", cluster.bootstrap(), "--replication-factor", "3",
                    "--partitions", "4", "--data-dir", data.toString());
            String registry = "http://127.0.0.1:" + port;
            stages.add(stage("edge", common, "--stages", "edge", "--port", String.valueOf(port), "--instance-id", "edge"));
            stages.add(stage("aggregator", common, "--stages", "aggregator", "--schema-registry-url", registry,
                    "--instance-id", "agg"));
            stages.add(stage("ingest", common, "--stages", "ingest", "--schema-registry-url", registry,
                    "--instance-id", "ingest", "--ingest-slots", String.valueOf(JOBS)));
            stages.add(stage("analyzer-1", common, "--stages", "analyzer", "--schema-registry-url", registry,
                    "--instance-id", "a1", "--analyzer-threads", "1"));
            round(port, vtest, "warmup", JOBS);
            double one = round(port, vtest, "one", JOBS);
            double oneSingle = round(port, vtest, "one-single", 1);
            stages.add(stage("analyzer-2", common, "--stages", "analyzer", "--schema-registry-url", registry,
                    "--instance-id", "a2", "--analyzer-threads", "1"));
            Thread.sleep(5000); // the group rebalances onto both
            double two = round(port, vtest, "two", JOBS);
            double twoSingle = round(port, vtest, "two-single", 1);
            assertThat(stages.get(4).lines("Argus running stages")).isPositive();
            System.out.println("| analyzer processes | jobs × frames | wall s | frames/s |");
            System.out.println("|---:|---|---:|---:|");
            System.out.printf(Locale.ROOT, "| 1 | %d × 160 | %.1f | %.1f |%n", JOBS, one, JOBS * 160 / one);
            System.out.printf(Locale.ROOT, "| 2 | %d × 160 | %.1f | %.1f |%n", JOBS, two, JOBS * 160 / two);
            System.out.printf(Locale.ROOT, "| 1 | 1 × 160 | %.1f | %.1f |%n", oneSingle, 160 / oneSingle);
            System.out.printf(Locale.ROOT, "| 2 | 1 × 160 | %.1f | %.1f |%n", twoSingle, 160 / twoSingle);
            System.out.printf(Locale.ROOT, "speed-up with a second analyzer: %.2f× (%d jobs), %.2f× (one job)%n",
                    one / two, JOBS, oneSingle / twoSingle);
        } finally {
            stages.forEach(StageProcess::close);
        }
    }

    private StageProcess stage(String name, List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        return new StageProcess(name, dir.resolve(name + ".log"), all, List.of()).start(Duration.ofMinutes(2));
    }

    /** @return seconds from submitting the jobs to the last one FINISHED */
    private static double round(int port, Path video, String name, int jobs) throws Exception {
        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            String body = "{\"data\":{\"uri\":\"" + video + "\"},\"params\":{\"async\":true,"
                    + "\"vframe\":{\"mode\":0,\"interval\":0.5}},\"ops\":[{\"op\":\"person\"}]}";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/video/" + name + "-" + i)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            ids.add(JSON.readTree(r.body()).get("job").asText());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        for (String id : ids) {
            while (true) {
                String status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/jobs/video/" + id)).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                        .path("status").asText();
                if (status.equals("FINISHED")) {
                    break;
                }
                assertThat(status).isNotIn("FAILED", "CANCELLED");
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
