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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.ExternalProcess;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.topics.Topics;

/**
 * Every stage as its own JVM on a real 3-broker KRaft cluster (replication 3, min ISR 2), with frames
 * in a real S3-compatible store (s3proxy, its own JVM too): a job's
 * per-frame results and segments, read with read_committed, are the same with each process killed
 * by SIGKILL mid-job (and started again) as in an uninterrupted run: nothing missing, nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Results seen before the kill: the job is well under way, far from its end. */
    private static final int KILL_AFTER_RESULTS = 12;

    @TempDir
    static Path dir;

    private KafkaCluster cluster;
    private S3ProxyProcess s3;
    private final Map<String, StageProcess> stages = new HashMap<>();
    private int httpPort;
    private Path vtest;
    private TopicTail<FrameResult> results;
    private TopicTail<Segment> segments;
    private TopicTail<FrameEvent> frameEvents;
    private Map<String, String> referenceFrames;
    private List<String> referenceSegments;

    @BeforeAll
    void startClusterAndStages() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        s3 = S3ProxyProcess.start(dir, "argus-frames");
        cluster = new KafkaCluster(Files.createDirectories(dir.resolve("kafka")), 3).start();
        httpPort = ExternalProcess.freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        // frames go to a real S3-compatible server, as stages on separate machines would share them
        List<String> common = List.of("--bootstrap-servers", cluster.bootstrap(), "--replication-factor", "3",
                "--partitions", "4", "--data-dir", data.toString(),
                "--frame-store", "s3://argus-frames/cluster?endpoint=" + s3.endpoint());
        // the edge first: it serves the schema registry the other stages use
        stage("edge", common, "--stages", "edge", "--port", String.valueOf(httpPort), "--instance-id", "edge");
        String registry = "http://127.0.0.1:" + httpPort;
        stage("aggregator", common, "--stages", "aggregator", "--schema-registry-url", registry, "--instance-id", "agg");
        stage("ingest", common, "--stages", "ingest", "--schema-registry-url", registry, "--instance-id", "ingest");
        stage("analyzer", common, "--stages", "analyzer,flow", "--schema-registry-url", registry,
                "--instance-id", "analyzer", "--analyzer-threads", "1");
        KafkaSettings kafka = new KafkaSettings(cluster.bootstrap(), 4, (short) 3);
        Topics topics = new Topics(new RestSchemaRegistry(registry, Duration.ofSeconds(10)), Topics.DEFAULT_PREFIX);
        results = new TopicTail<>(kafka, topics.frameResults());
        frameEvents = new TopicTail<>(kafka, topics.frames());
        segments = new TopicTail<>(kafka, topics.segments());
    }

    private void stage(String name, List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        StageProcess p = new StageProcess(name, dir.resolve(name + ".log"), all,
                S3ProxyProcess.credentialOptions());
        stages.put(name, p);
        p.start(Duration.ofMinutes(2));
    }

    @AfterAll
    void stop() throws Exception {
        if (results != null) {
            results.close();
            segments.close();
            frameEvents.close();
        }
        stages.values().forEach(StageProcess::close);
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    @Order(1)
    void uninterruptedRunIsTheReference() throws Exception {
        String job = submit("reference");
        awaitFinished(job, Duration.ofMinutes(3));
        referenceFrames = frames(job);
        referenceSegments = segmentsOf(job);
        assertThat(referenceFrames).hasSize(160); // 80 frames × 2 ops
        assertThat(results.values(r -> r.getJobId().equals(job)).get(0).getUri()).startsWith("s3://argus-frames/cluster/");
        assertThat(referenceSegments).isNotEmpty();
    }

    @Test
    @Order(2)
    void analyzerKilledMidJob() throws Exception {
        killMidJob("analyzer");
    }

    @Test
    @Order(3)
    void aggregatorKilledMidJob() throws Exception {
        killMidJob("aggregator");
    }

    @Test
    @Order(4)
    void edgeKilledMidJob() throws Exception {
        killMidJob("edge");
    }

    @Test
    @Order(5)
    void brokerKilledMidJob() throws Exception {
        String job = submit("broker-kill");
        awaitResults(job, KILL_AFTER_RESULTS);
        long t0 = System.nanoTime();
        cluster.kill(3);
        awaitFinished(job, Duration.ofMinutes(4));
        System.err.printf("broker 3 killed: job finished %.1f s later on 2 brokers%n", (System.nanoTime() - t0) / 1e9);
        assertSameAsReference(job);
        cluster.startNode(3);
        cluster.awaitBrokers(3, Duration.ofSeconds(90));
    }

    @Test
    @Order(6)
    void ingestKilledWhileSendingFramesResumesWhereItGotTo() throws Exception {
        // 795 frames of cheap motion analysis: ingest is still sending when it is killed
        String reference = submit("motion-reference", 0.1, "motion");
        awaitFinished(reference, Duration.ofMinutes(4));
        Map<String, String> expected = frames(reference);
        assertThat(expected).hasSizeGreaterThan(700);

        String job = submit("ingest-kill", 0.1, "motion");
        frameEvents.await(e -> e.getJobId().equals(job) && e.getKind() == FrameKind.FRAME, 100, Duration.ofMinutes(2));
        StageProcess ingest = stages.get("ingest");
        long t0 = System.nanoTime();
        ingest.kill();
        long sentBeforeKill = frameEvents.values(e -> e.getJobId().equals(job) && e.getKind() == FrameKind.FRAME).size();
        ingest.start(Duration.ofMinutes(2));
        awaitFinished(job, Duration.ofMinutes(4));
        System.err.printf("ingest killed -9 after %d of %d frame events: job finished %.1f s after the kill%n",
                sentBeforeKill, expected.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(sentBeforeKill).as("killed mid-job").isLessThan(expected.size());
        List<FrameEvent> events = frameEvents.values(e -> e.getJobId().equals(job));
        assertThat(events.stream().filter(e -> e.getKind() == FrameKind.FRAME)
                .collect(Collectors.groupingBy(FrameEvent::getSeq, Collectors.counting())).values())
                .as("each frame event once").containsOnly(1L).hasSize(expected.size());
        assertThat(events.stream().filter(e -> e.getKind() == FrameKind.BEGIN).count()).isEqualTo(1);
        assertThat(events.stream().filter(e -> e.getKind() == FrameKind.END).count()).isEqualTo(1);
        assertThat(ingest.lines("resumes after frame")).as("the new instance resumed the job").isPositive();
        assertThat(frames(job)).as("per-frame results equal the uninterrupted run's").isEqualTo(expected);
    }

    private void killMidJob(String name) throws Exception {
        String job = submit(name + "-kill");
        awaitResults(job, KILL_AFTER_RESULTS);
        StageProcess victim = stages.get(name);
        long t0 = System.nanoTime();
        victim.kill();
        victim.start(Duration.ofMinutes(2));
        double restartS = (System.nanoTime() - t0) / 1e9;
        awaitFinished(job, Duration.ofMinutes(4));
        System.err.printf("%s killed -9: restarted in %.1f s, job finished %.1f s after the kill%n", name,
                restartS, (System.nanoTime() - t0) / 1e9);
        assertSameAsReference(job);
    }

    private void assertSameAsReference(String job) {
        List<FrameResult> all = results.values(r -> r.getJobId().equals(job));
        Map<String, Long> perKey = all.stream()
                .collect(Collectors.groupingBy(r -> r.getOp() + "/" + r.getSeq(), Collectors.counting()));
        assertThat(perKey.values()).as("each (job, op, frame) exactly once").containsOnly(1L);
        assertThat(frames(job)).as("per-frame results equal the uninterrupted run's").isEqualTo(referenceFrames);
        assertThat(segmentsOf(job)).as("segments equal the uninterrupted run's, each once").isEqualTo(referenceSegments);
    }

    /** op/seq → offset and labels of the job's per-frame results. */
    private Map<String, String> frames(String job) {
        return results.values(r -> r.getJobId().equals(job)).stream()
                .collect(Collectors.toMap(r -> r.getOp() + "/" + r.getSeq(), r -> r.getOffsetMs() + " " + r.getLabels(),
                        (a, b) -> a + " | DUPLICATE " + b, TreeMap::new));
    }

    private List<String> segmentsOf(String job) {
        return segments.values(s -> s.getJobId().equals(job)).stream()
                .map(s -> s.getOp() + "#" + s.getIndex() + " " + s.getOffsetBegin() + "-" + s.getOffsetEnd() + " "
                        + s.getLabels() + " cuts " + s.getCuts().size())
                .toList();
    }

    /** A file job with two ops: {@code person} and {@code motion} (which reads the previous frame). */
    private String submit(String videoId) throws Exception {
        return submit(videoId, 1, "person", "motion");
    }

    private String submit(String videoId, double interval, String... ops) throws Exception {
        String opList = java.util.Arrays.stream(ops).map(op -> "{\"op\":\"" + op + "\"}")
                .collect(Collectors.joining(","));
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"async\":true,"
                + "\"vframe\":{\"mode\":0,\"interval\":" + interval + "}},\"ops\":[" + opList + "]}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/video/" + videoId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("job").asText();
    }

    private void awaitResults(String job, int n) throws Exception {
        results.await(r -> r.getJobId().equals(job), n, Duration.ofMinutes(2));
        assertThat(results.values(r -> r.getJobId().equals(job)).size()).isGreaterThanOrEqualTo(n);
    }

    private void awaitFinished(String job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "?";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/jobs/video/" + job)).GET().build());
                if (r.statusCode() == 200) {
                    JsonNode j = JSON.readTree(r.body());
                    status = j.path("status").asText();
                    if (status.equals("FINISHED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                        assertThat(status).as(r.body()).isEqualTo("FINISHED");
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                status = "edge unreachable: " + e;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + job + " not finished in " + timeout + " (last: " + status + ")\n"
                + stages.values().stream().map(s -> {
                    try {
                        return s + ":\n" + s.tail();
                    } catch (java.io.IOException e) {
                        return s + ": " + e;
                    }
                }).collect(Collectors.joining("\n")));
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
