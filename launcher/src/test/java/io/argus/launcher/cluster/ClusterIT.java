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

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;

/**
 * Every stage as its own JVM on a real 3-broker KRaft cluster (replication 3, min ISR 2), with frames
 * in a real S3-compatible store (s3proxy, its own JVM too): a job's
 * per-frame results and segments, read with read_committed, are the same with each process killed
 * by SIGKILL mid-job (and started again) as in an uninterrupted run: nothing missing, nothing twice.
 * Two analyzer instances share one job's frames; a live RTMP job goes on exactly once while each
 * process (and a broker) is killed in turn; the flow worker killed mid-extraction still stores
 * every flow once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Results seen before the kill: the job is well under way, far from its end. */
    private static final int KILL_AFTER_RESULTS = 12;

    /** Brokers' and stages' logs; kept when a test fails (its path is in the test's output). */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    static Path dir;

    private KafkaCluster cluster;
    private S3ProxyProcess s3;
    private final Map<String, StageProcess> stages = new HashMap<>();
    private int httpPort;
    private Path vtest;
    private TopicTail<FrameResult> results;
    private TopicTail<Segment> segments;
    private TopicTail<FrameEvent> frameEvents;
    private TopicTail<TrackFrame> tracks;
    private TopicTail<TrafficCount> counts;
    private TopicTail<io.argus.schemas.avro.FaceEvent> faces;
    private List<String> referenceTracks;
    private List<String> referenceCounts;
    private Map<String, String> referenceFrames;
    private List<String> referenceSegments;
    private List<String> common;
    private String registry;

    @BeforeAll
    void startClusterAndStages() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        System.err.println("cluster logs: " + dir);
        s3 = S3ProxyProcess.start(dir, "argus-frames");
        cluster = new KafkaCluster(Files.createDirectories(dir.resolve("kafka")), 3).start();
        httpPort = ExternalProcess.freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        // the default models (installed once by the unit tests' runs): face_embed for the faces test
        io.argus.launcher.support.DefaultModels.linkInto(data);
        // frames go to a real S3-compatible server, as stages on separate machines would share them
        common = List.of("--bootstrap-servers", cluster.bootstrap(), "--replication-factor", "3",
                "--partitions", "4", "--data-dir", data.toString(),
                "--frame-store", "s3://argus-frames/cluster?endpoint=" + s3.endpoint());
        // the edge first: it serves the schema registry the other stages use
        stage("edge", common, "--stages", "edge", "--port", String.valueOf(httpPort), "--instance-id", "edge");
        registry = "http://127.0.0.1:" + httpPort;
        stage("aggregator", common, "--stages", "aggregator", "--schema-registry-url", registry, "--instance-id", "agg");
        stage("ingest", common, "--stages", "ingest", "--schema-registry-url", registry, "--instance-id", "ingest");
        stage("analyzer", common, "--stages", "analyzer", "--schema-registry-url", registry,
                "--instance-id", "analyzer", "--analyzer-threads", "1");
        stage("flow", common, "--stages", "flow", "--schema-registry-url", registry, "--instance-id", "flow");
        KafkaSettings kafka = new KafkaSettings(cluster.bootstrap(), 4, (short) 3);
        Topics topics = new Topics(new RestSchemaRegistry(registry, Duration.ofSeconds(10)), Topics.DEFAULT_PREFIX);
        results = new TopicTail<>(kafka, topics.frameResults());
        frameEvents = new TopicTail<>(kafka, topics.frames());
        segments = new TopicTail<>(kafka, topics.segments());
        tracks = new TopicTail<>(kafka, topics.tracks());
        counts = new TopicTail<>(kafka, topics.counts());
        faces = new TopicTail<>(kafka, topics.faces());
    }

    private void stage(String name, List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(args));
        StageProcess p = new StageProcess(name, dir.resolve(name + ".log"), all,
                S3ProxyProcess.credentialOptions());
        stages.put(name, p);
        p.start(Duration.ofMinutes(2));
    }

    /** Waits until a static member of a consumer group holds partitions in a stable group. */
    private void awaitAssigned(String group, String instance, Duration timeout) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                org.apache.kafka.clients.admin.ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group))
                        .all().get().get(group);
                boolean assigned = d.state() == org.apache.kafka.common.ConsumerGroupState.STABLE && d.members().stream()
                        .anyMatch(m -> m.groupInstanceId().orElse("").equals(instance)
                                && !m.assignment().topicPartitions().isEmpty());
                if (assigned) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(instance + " got no partitions of " + group + " in " + timeout + ": " + d);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (results != null) {
            results.close();
            segments.close();
            frameEvents.close();
            tracks.close();
            counts.close();
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
        referenceTracks = tracksOf(job);
        referenceCounts = countsOf(job);
        assertThat(referenceTracks).hasSize(81); // a record per frame of the person op, then the end record
        assertThat(referenceTracks.stream().filter(t -> t.contains(" id ")).count()).as("tracks appear").isPositive();
        assertThat(referenceCounts.get(referenceCounts.size() - 1)).startsWith("TOTAL");
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

    @Test
    @Order(7)
    void twoAnalyzersShareOneJobsFrames() throws Exception {
        stage("analyzer-2", common, "--stages", "analyzer", "--schema-registry-url", registry,
                "--instance-id", "analyzer-2", "--analyzer-threads", "1");
        // "running" is logged before the group's rebalance gives the new member its partitions: a
        // job sent in between went mostly to the first analyzer
        awaitAssigned("argus-analyzer", "argus-analyzer-analyzer-2", Duration.ofMinutes(1));
        String job = submit("two-analyzers");
        awaitFinished(job, Duration.ofMinutes(4));
        Map<String, Long> byAnalyzer = results.values(r -> r.getJobId().equals(job)).stream()
                .collect(Collectors.groupingBy(r -> String.valueOf(r.getAnalyzer()), TreeMap::new, Collectors.counting()));
        System.err.printf("one job on two analyzers: results per instance %s%n", byAnalyzer);
        assertThat(byAnalyzer).as("both instances computed results of the one job")
                .containsOnlyKeys("analyzer", "analyzer-2")
                .allSatisfy((instance, n) -> assertThat(n).isGreaterThanOrEqualTo(referenceFrames.size() / 4));
        assertSameAsReference(job);
    }

    @Test
    @Order(8)
    void liveJobGoesOnExactlyOnceWhileEachProcessIsKilledInTurn() throws Exception {
        Path clip = SampleVideos.h264Loop("vtest.avi", 20, 10);
        try (RtmpTestServer rtmp = RtmpTestServer.start(dir.resolve("rtmp"));
             ExternalProcess publisher = rtmp.publish("cam", clip)) {
            String body = "{\"data\":{\"uri\":\"" + rtmp.url("cam") + "\"},\"params\":{"
                    + "\"vframe\":{\"mode\":0,\"interval\":0.5}},\"ops\":[{\"op\":\"person\"},{\"op\":\"motion\"}]}";
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/video/live-kills"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String job = JSON.readTree(r.body()).get("job").asText();
            int seen = awaitMoreResults(job, 0);
            for (String victim : List.of("analyzer", "aggregator", "edge", "ingest", "broker")) {
                long t0 = System.nanoTime();
                if (victim.equals("broker")) {
                    cluster.kill(3);
                } else {
                    stages.get(victim).kill();
                    stages.get(victim).start(Duration.ofMinutes(2));
                }
                seen = awaitMoreResults(job, seen);
                System.err.printf("live job: %s killed -9, results going on %.1f s after the kill (%d so far)%n",
                        victim, (System.nanoTime() - t0) / 1e9, seen);
            }
            cluster.startNode(3);
            cluster.awaitBrokers(3, Duration.ofSeconds(90));
            HttpResponse<String> kill = send(HttpRequest.newBuilder(URI.create(base() + "/v1/jobs/video/" + job))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("op=kill")).build());
            assertThat(kill.statusCode()).as(kill.body()).isEqualTo(200);
            awaitStatus(job, "CANCELLED", Duration.ofMinutes(2));

            List<FrameEvent> events = frameEvents.await(e -> e.getJobId().equals(job) && e.getKind() == FrameKind.END,
                    1, Duration.ofMinutes(1));
            assertThat(events).as("END sent once the job was killed").hasSize(1);
            List<Long> seqs = frameEvents.values(e -> e.getJobId().equals(job) && e.getKind() == FrameKind.FRAME)
                    .stream().map(FrameEvent::getSeq).sorted().toList();
            assertThat(seqs).as("each frame event once, numbered without gaps across the ingest restart")
                    .isEqualTo(java.util.stream.LongStream.range(0, seqs.size()).boxed().toList());
            assertThat(stages.get("ingest").lines("resumes after frame")).as("the new ingest went on with the job")
                    .isPositive();
            results.await(x -> x.getJobId().equals(job), 2 * seqs.size(), Duration.ofMinutes(2));
            List<FrameResult> all = results.values(x -> x.getJobId().equals(job));
            Map<String, Long> perKey = all.stream()
                    .collect(Collectors.groupingBy(x -> x.getOp() + "/" + x.getSeq(), Collectors.counting()));
            assertThat(perKey.values()).as("each (job, op, frame) exactly once").containsOnly(1L);
            // the analyzers drop the frames still queued when the kill arrives (they read the control
            // topic), so the results are those of the frames sent, every one seen before the kill kept
            assertThat(perKey.keySet()).as("results only of frames sent").isSubsetOf(
                    seqs.stream().flatMap(q -> java.util.stream.Stream.of("person/" + q, "motion/" + q))
                            .collect(Collectors.toSet()));
            assertThat((long) perKey.size()).as("every result seen before the kill").isGreaterThanOrEqualTo(seen);
            Map<String, Long> perSegment = segments.values(x -> x.getJobId().equals(job)).stream()
                    .collect(Collectors.groupingBy(x -> x.getOp() + "#" + x.getIndex(), Collectors.counting()));
            assertThat(perSegment.values()).as("each segment once").containsOnly(1L);
        }
    }

    /**
     * Faces exactly once through kills: a clip of two people (56 frames, face_embed on every frame)
     * run once uninterrupted, then again with the analyzer (the embedding stage) killed -9 after 12
     * results and the aggregator (the face tracer) killed -9 a few results later: every face of
     * {@code argus.faces} (read_committed) comes once per key, and the faces (trace, frame, box,
     * score) equal the uninterrupted run's.
     */
    @Test
    @Order(10)
    void facesComeOnceWhenTheEmbeddingAndTracingStagesAreKilled() throws Exception {
        Path clip = Path.of("..", "analyzer", "src", "test", "resources", "faces",
                "head-pose-face-detection-female-and-male.mp4").toAbsolutePath().normalize();
        String reference = submitFaces("faces-reference", clip);
        awaitFinished(reference, Duration.ofMinutes(4));
        List<String> expected = facesOf(reference);
        assertThat(expected).as("both people's faces on most of the 56 frames").hasSizeGreaterThan(80);
        String job = submitFaces("faces-kill", clip);
        awaitResults(job, KILL_AFTER_RESULTS);
        for (String name : List.of("analyzer", "aggregator")) {
            StageProcess victim = stages.get(name);
            victim.kill();
            victim.start(Duration.ofMinutes(2));
            System.err.printf("faces: %s killed -9 and restarted%n", name);
        }
        awaitFinished(job, Duration.ofMinutes(4));
        assertThat(facesOf(job)).as("the faces of the killed run equal the uninterrupted run's, each once")
                .isEqualTo(expected);
    }

    private String submitFaces(String videoId, Path clip) throws Exception {
        String body = "{\"data\":{\"uri\":\"" + clip + "\"},\"params\":{\"async\":true,"
                + "\"vframe\":{\"mode\":0,\"interval\":0.001}},\"ops\":[{\"op\":\"face_embed\"}]}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/video/" + videoId))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("job").asText();
    }

    /** The job's faces, read_committed, each as "trace/seq box score"; fails on a key read twice. */
    private List<String> facesOf(String job) throws Exception {
        Thread.sleep(3000); // the traces' last faces are written with the job's end
        List<io.argus.schemas.avro.FaceEvent> all = faces.values(f -> f.getJobId().equals(job));
        Map<String, Long> perKey = all.stream().collect(Collectors.groupingBy(
                f -> f.getTraceId() + "/" + f.getSeq(), Collectors.counting()));
        assertThat(perKey.values()).as("each face once").containsOnly(1L);
        return all.stream().map(f -> f.getTraceId() + "/" + f.getSeq() + " " + f.getBox() + " "
                + String.format("%.4f", f.getScore())).sorted().toList();
    }

    @Test
    @Order(9)
    void flowWorkerKilledMidExtractionStoresEveryFlowOnce() throws Exception {
        Map<Long, String> expected = flows(awaitStored(postFlow("flow-reference")), "flow-reference");
        assertThat(expected).hasSizeGreaterThan(60);
        String id = postFlow("flow-kill");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (stored(id) < 10 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long before = stored(id);
        StageProcess flow = stages.get("flow");
        long t0 = System.nanoTime();
        flow.kill();
        flow.start(Duration.ofMinutes(2));
        JsonNode done = awaitStored(id);
        System.err.printf("flow worker killed -9 after %d of %d flows: extraction done %.1f s after the kill%n",
                before, expected.size(), (System.nanoTime() - t0) / 1e9);
        assertThat(before).as("killed mid-extraction").isBetween(10L, expected.size() - 1L);
        assertThat(done.path("stored").asLong()).isEqualTo(expected.size());
        assertThat(flows(done, "flow-kill")).as("every flow once, with the uninterrupted run's statistics")
                .isEqualTo(expected);
    }

    private String postFlow(String video) throws Exception {
        String body = "{\"uri\":\"" + vtest + "\",\"video_id\":\"" + video + "\",\"pattern\":\"uniform\","
                + "\"interval\":1,\"flow\":{\"algorithm\":\"DIS\",\"preset\":\"FAST\"}}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/flow"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private long stored(String id) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/flow/" + id)).GET().build());
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("stored").asLong() : 0;
    }

    /** Waits until the extraction's sampling is over and every flow is in the index. */
    private JsonNode awaitStored(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/flow/" + id)).GET().build());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (last.path("state").asText().equals("FINISHED")
                        && last.path("stored").asLong() == last.path("frames").asLong()) {
                    return last;
                }
                assertThat(last.path("state").asText()).as(last.toString()).isNotEqualTo("FAILED");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("extraction " + id + " not done: " + last);
    }

    /** offset → statistics of the video's flows in the index; fails on an offset listed twice. */
    private Map<Long, String> flows(JsonNode done, String video) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create(base() + "/flow?pattern=uniform&count=100&video=" + video)).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<Long, String> out = new TreeMap<>();
        for (JsonNode item : JSON.readTree(r.body()).path("items")) {
            assertThat(out.put(item.path("offset_ms").asLong(), item.path("stats").toString()))
                    .as("offset %s listed once", item.path("offset_ms")).isNull();
        }
        assertThat((long) out.size()).as(done.toString()).isEqualTo(done.path("stored").asLong());
        return out;
    }

    /** Waits for at least 8 more results of the job than {@code seen}; returns the new count. */
    private int awaitMoreResults(String job, int seen) throws Exception {
        int now = results.await(r -> r.getJobId().equals(job), seen + 8, Duration.ofMinutes(3)).size();
        assertThat(now).as("results of the live job keep coming").isGreaterThanOrEqualTo(seen + 8);
        return now;
    }

    private void awaitStatus(String job, String wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status = "?";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/v1/jobs/video/" + job)).GET().build());
            if (r.statusCode() == 200) {
                status = JSON.readTree(r.body()).path("status").asText();
                if (status.equals(wanted)) {
                    return;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + job + " not " + wanted + " in " + timeout + " (last: " + status + ")\n"
                + stageTails());
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

    private void assertSameAsReference(String job) throws Exception {
        List<FrameResult> all = results.values(r -> r.getJobId().equals(job));
        Map<String, Long> perKey = all.stream()
                .collect(Collectors.groupingBy(r -> r.getOp() + "/" + r.getSeq(), Collectors.counting()));
        assertThat(perKey.values()).as("each (job, op, frame) exactly once").containsOnly(1L);
        assertThat(frames(job)).as("per-frame results equal the uninterrupted run's").isEqualTo(referenceFrames);
        assertThat(segmentsOf(job)).as("segments equal the uninterrupted run's, each once").isEqualTo(referenceSegments);
        assertThat(tracksOf(job)).as("tracks (ids, classes, states, boxes) equal the uninterrupted run's, each frame once")
                .isEqualTo(referenceTracks);
        assertThat(countsOf(job)).as("count events, frame, interval and total counts equal the uninterrupted run's")
                .isEqualTo(referenceCounts);
    }

    /**
     * The job's track records, once its end record is read: per frame, seq, offset and each track's
     * id, class, state and box (the frame URI, which names the job, left out).
     */
    private List<String> tracksOf(String job) throws Exception {
        tracks.await(t -> t.getJobId().equals(job) && t.getEnd(), 1, Duration.ofMinutes(1));
        return tracks.values(t -> t.getJobId().equals(job)).stream()
                .map(t -> t.getSeq() + " " + t.getOffsetMs() + (t.getEnd() ? " end" : "") + t.getTracks().stream()
                        .map(b -> " id " + b.getTrackId() + " " + b.getLabel() + " " + b.getState() + " " + b.getMatched()
                                + String.format(" [%.3f,%.3f,%.3f,%.3f]", b.getLeft(), b.getTop(), b.getRight(), b.getBottom()))
                        .collect(Collectors.joining()))
                .toList();
    }

    /** The job's count records, once its TOTAL is read, without the frame URIs. */
    private List<String> countsOf(String job) throws Exception {
        counts.await(c -> c.getJobId().equals(job) && c.getKind() == CountKind.TOTAL, 1, Duration.ofMinutes(1));
        return counts.values(c -> c.getJobId().equals(job)).stream()
                .map(c -> c.getKind() + " " + c.getSeq() + " " + c.getOffsetMs() + " "
                        + (c.getEvent() == null ? "" : io.argus.schemas.avro.CountEventRecord.newBuilder(c.getEvent())
                                .setUri(null).build())
                        + " " + c.getFrame() + " " + c.getInterval())
                .toList();
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

    /**
     * A file job with two ops: {@code person} and {@code motion} (which reads the previous frame), and
     * {@code person}'s detections tracked and counted across a line through the middle of the image.
     */
    private String submit(String videoId) throws Exception {
        return submitWith(videoId, 1, ",\"tracking\":{\"op\":\"person\",\"interval_ms\":10000,\"lost_ttl_ms\":3000,"
                + "\"lines\":[{\"name\":\"mid\",\"points\":[[0,0.5],[1,0.5]]}]}", "person", "motion");
    }

    private String submit(String videoId, double interval, String... ops) throws Exception {
        return submitWith(videoId, interval, "", ops);
    }

    private String submitWith(String videoId, double interval, String extraParams, String... ops) throws Exception {
        String opList = java.util.Arrays.stream(ops).map(op -> "{\"op\":\"" + op + "\"}")
                .collect(Collectors.joining(","));
        String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"async\":true,"
                + "\"vframe\":{\"mode\":0,\"interval\":" + interval + "}" + extraParams + "},\"ops\":[" + opList + "]}";
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
                + stageTails());
    }

    /** @return the end of every stage's log, for a failure message (the logs' directory may be gone by then) */
    private String stageTails() {
        return stages.values().stream().map(s -> {
            try {
                return s + ":\n" + s.tail();
            } catch (java.io.IOException e) {
                return s + ": " + e;
            }
        }).collect(Collectors.joining("\n"));
    }

    private String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
