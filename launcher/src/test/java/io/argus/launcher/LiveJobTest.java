package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Segment;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;
import io.argus.testkit.servers.RtspTestServer;

/**
 * Live jobs end to end: every stage in one JVM on the embedded broker, a real RTMP server (Debian
 * nginx + libnginx-mod-rtmp) fed by ffmpeg publishers looping vtest.avi (H.264, one keyframe a
 * second, 10 fps), an RTSP server (gst-rtsp-server), driven over real HTTP; per-frame results and
 * segments read back as a read_committed subscriber sees them.
 */
class LiveJobTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static RtmpTestServer rtmp;
    static Path clip;
    static String base;
    static TopicTail<FrameResult> results;
    static TopicTail<FrameEvent> frames;
    static TopicTail<Segment> segments;

    @BeforeAll
    static void start() throws Exception {
        clip = SampleVideos.h264Loop("vtest.avi", 20, 10);
        rtmp = RtmpTestServer.start(dir.resolve("rtmp"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        results = new TopicTail<>(rt.kafka(), rt.topics().frameResults());
        frames = new TopicTail<>(rt.kafka(), rt.topics().frames());
        segments = new TopicTail<>(rt.kafka(), rt.topics().segments());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {results, frames, segments, rt, rtmp}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Submits a live job (answered at once: live jobs are always asynchronous) and returns its job id. */
    static String submit(String videoId, String uri, String params, String ops) throws Exception {
        String body = "{\"data\":{\"uri\":\"" + uri + "\"},\"params\":{" + params + "},\"ops\":[" + ops + "]}";
        HttpResponse<String> r = post("/v1/video/" + videoId, "application/json", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("job").asText();
    }

    static HttpResponse<String> kill(String jobId) throws Exception {
        return post("/v1/jobs/video/" + jobId, "application/x-www-form-urlencoded", "op=kill");
    }

    static JsonNode awaitStatus(String jobId, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = get("/v1/jobs/video/" + jobId);
        while (!job.path("status").asText().equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            job = get("/v1/jobs/video/" + jobId);
        }
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo(status);
        return job;
    }

    /** Milliseconds until the RTMP server lists no player of the stream (our source released). */
    static long awaitReleased(String stream, Duration timeout) throws Exception {
        long t0 = System.currentTimeMillis();
        while (rtmp.players(stream) > 0 && System.currentTimeMillis() - t0 < timeout.toMillis()) {
            Thread.sleep(10);
        }
        assertThat(rtmp.players(stream)).as("players of " + stream).isZero();
        return System.currentTimeMillis() - t0;
    }

    @Test
    void aLiveJobStreamsResultsAndSegmentsUntilKilledWithinOneSecond() throws Exception {
        try (ExternalProcess publisher = rtmp.publish("cam-kill", clip)) {
            // Label select keeps confident person frames only, so segments open and close as people come and go.
            String job = submit("cam-kill", rtmp.url("cam-kill"), "\"vframe\":{\"mode\":0,\"interval\":0.5}",
                    "{\"op\":\"person\",\"params\":{\"labels\":[{\"label\":\"person\",\"select\":2,\"score\":0.9}]}}");
            List<FrameResult> live = results.await(r -> r.getJobId().equals(job), 8, Duration.ofSeconds(30));
            assertThat(live).hasSizeGreaterThanOrEqualTo(8);
            for (int i = 1; i < live.size(); i++) {
                assertThat(live.get(i).getOffsetMs()).isGreaterThan(live.get(i - 1).getOffsetMs());
                assertThat(live.get(i).getCaptureTimeMs()).isNotNull();
            }
            assertThat(awaitStatus(job, "DOING", Duration.ofSeconds(5)).path("status").asText()).isEqualTo("DOING");
            List<Segment> running = segments.await(s -> s.getJobId().equals(job), 1, Duration.ofSeconds(30));
            assertThat(running).as("segments close while the stream runs").isNotEmpty();

            long t0 = System.currentTimeMillis();
            HttpResponse<String> killed = kill(job);
            assertThat(killed.statusCode()).as(killed.body()).isEqualTo(200);
            awaitReleased("cam-kill", Duration.ofSeconds(5));
            long sinceKill = System.currentTimeMillis() - t0;
            System.out.printf("kill: source released %d ms after the kill request%n", sinceKill);
            assertThat(sinceKill).as("source stopped within 1 s").isLessThan(1000);
            JsonNode done = awaitStatus(job, "CANCELLED", Duration.ofSeconds(10));
            JsonNode person = done.path("result").path("person");
            assertThat(person.path("segments").size()).as("results kept: " + done).isPositive();
            long framesAtKill = frames.values(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME).size();
            Thread.sleep(1000);
            assertThat(frames.values(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME))
                    .as("no frame after the kill").hasSize((int) framesAtKill);
            assertThat(publisher.alive()).isTrue();
        }
    }

    @Test
    void aDroppedPublisherIsFollowedAndOffsetsKeepIncreasing() throws Exception {
        ExternalProcess publisher = rtmp.publish("cam-outage", clip);
        String job = submit("cam-outage", rtmp.url("cam-outage"), "\"vframe\":{\"mode\":0,\"interval\":0.5}",
                "{\"op\":\"person\"}");
        try {
            List<FrameEvent> before = frames.await(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME,
                    3, Duration.ofSeconds(30));
            assertThat(before).hasSizeGreaterThanOrEqualTo(3);
            publisher.kill();
            Thread.sleep(2000);
            int seen = frames.values(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME).size();
            publisher = rtmp.publish("cam-outage", clip);
            long back = System.currentTimeMillis();
            List<FrameEvent> after = frames.await(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME,
                    seen + 3, Duration.ofSeconds(20));
            assertThat(after).hasSizeGreaterThanOrEqualTo(seen + 3);
            FrameEvent resumed = after.get(seen);
            System.out.printf("outage: first frame captured %d ms after the stream's return%n",
                    resumed.getCaptureTimeMs() - back);
            assertThat(resumed.getCaptureTimeMs() - back).as("resumed within 2 s").isLessThan(2000);
            assertThat(resumed.getOffsetMs() - after.get(seen - 1).getOffsetMs()).as("outage in offsets")
                    .isGreaterThan(2000);
            for (int i = 1; i < after.size(); i++) {
                assertThat(after.get(i).getOffsetMs()).isGreaterThan(after.get(i - 1).getOffsetMs());
                assertThat(after.get(i).getSeq()).isEqualTo(after.get(i - 1).getSeq() + 1);
            }
            assertThat(get("/v1/jobs/video/" + job).path("status").asText()).isEqualTo("DOING");
        } finally {
            kill(job);
            publisher.close();
        }
    }

    @Test
    void aStreamThatNeverComesBackEndsTheJobWith499Timeout() throws Exception {
        ExternalProcess publisher = rtmp.publish("cam-gone", clip);
        String job = submit("cam-gone", rtmp.url("cam-gone"),
                "\"vframe\":{\"mode\":0,\"interval\":1},\"live\":{\"timeout\":2}", "{\"op\":\"person\"}");
        frames.await(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.FRAME, 2, Duration.ofSeconds(30));
        publisher.kill();
        long t0 = System.currentTimeMillis();
        JsonNode failed = awaitStatus(job, "FAILED", Duration.ofSeconds(15));
        assertThat(System.currentTimeMillis() - t0).isBetween(1500L, 8000L);
        assertThat(failed.toString()).contains("timeout");
        FrameEvent end = frames.await(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.END, 1,
                Duration.ofSeconds(5)).get(0);
        assertThat(end.getError().getCode()).isEqualTo(499);
        assertThat(end.getError().getMessage()).isEqualTo("timeout");
    }

    @Test
    void segmentIntervalClosesSegmentsWhoseLabelsNeverChangeAndTheirHooksArrive() throws Exception {
        java.util.concurrent.BlockingQueue<JsonNode> hooks = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/segment";
        try (ExternalProcess publisher = rtmp.publish("cam-windows", clip)) {
            // No label rule: every frame is kept, so a segment closes only when the label set changes or
            // when its 2 s window ends.
            String job = submit("cam-windows", rtmp.url("cam-windows"),
                    "\"vframe\":{\"mode\":0,\"interval\":0.5},\"segment\":{\"interval\":2}",
                    "{\"op\":\"person\",\"hookURL_segment\":\"" + hook + "\"}");
            List<Segment> closed = segments.await(s -> s.getJobId().equals(job), 5, Duration.ofSeconds(40));
            kill(job);
            assertThat(closed).as("segments closed while %d results came",
                    results.values(r -> r.getJobId().equals(job)).size()).hasSizeGreaterThanOrEqualTo(5);
            long anchor = results.values(r -> r.getJobId().equals(job)).stream()
                    .mapToLong(FrameResult::getOffsetMs).min().orElseThrow();
            boolean windowSplit = false;
            for (int i = 0; i < closed.size(); i++) {
                Segment s = closed.get(i);
                assertThat(Math.floorDiv(s.getOffsetEnd() - anchor, 2000))
                        .as("segment %d–%d ms lies in one 2 s window from %d", s.getOffsetBegin(), s.getOffsetEnd(), anchor)
                        .isEqualTo(Math.floorDiv(s.getOffsetBegin() - anchor, 2000));
                if (i > 0 && labelNames(closed.get(i - 1)).equals(labelNames(s))) {
                    windowSplit = true; // same labels on both sides: only the window can have closed it
                }
            }
            assertThat(windowSplit).as("two neighbouring segments with the same labels: " + closed).isTrue();
            for (int i = 0; i < 3; i++) {
                JsonNode call = hooks.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(call).as("segment hook %d", i).isNotNull();
                assertThat(call.toString()).contains(job);
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static java.util.Set<String> labelNames(Segment s) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        s.getLabels().forEach(l -> names.add(l.getLabel()));
        return names;
    }

    @Test
    void terminateAfterThreePersonFramesStopsTheOpAndReleasesTheSource() throws Exception {
        try (ExternalProcess publisher = rtmp.publish("cam-term", clip)) {
            String job = submit("cam-term", rtmp.url("cam-term"), "\"vframe\":{\"mode\":0,\"interval\":1}",
                    "{\"op\":\"person\",\"params\":{\"terminate\":{\"mode\":1,\"labels\":{\"person\":3}}}}");
            JsonNode done = awaitStatus(job, "FINISHED", Duration.ofSeconds(40));
            JsonNode person = done.path("result").path("person");
            assertThat(person.path("terminated").asBoolean()).as(done.toString()).isTrue();
            int cuts = 0;
            for (JsonNode s : person.path("segments")) {
                cuts += s.path("cuts").size();
            }
            assertThat(cuts).as("stopped after the third kept frame").isEqualTo(3);
            long released = awaitReleased("cam-term", Duration.ofSeconds(3));
            System.out.printf("terminate: source released %d ms after FINISHED was seen%n", released);
            FrameEvent end = frames.await(f -> f.getJobId().equals(job) && f.getKind() == FrameKind.END, 1,
                    Duration.ofSeconds(5)).get(0);
            assertThat(end.getError()).isNull();
            assertThat(end.getSeq()).as("frames sent before the source stopped").isBetween(3L, 6L);
        }
    }

    @Test
    void anRtspSourceGivesFrames() throws Exception {
        try (RtspTestServer rtsp = RtspTestServer.start(dir.resolve("rtsp"), SampleVideos.ensure("vtest.avi"))) {
            String job = submit("rtsp-cam", rtsp.url(), "\"vframe\":{\"mode\":0,\"interval\":1}", "{\"op\":\"person\"}");
            List<FrameResult> got = results.await(r -> r.getJobId().equals(job), 3, Duration.ofSeconds(30));
            assertThat(got).hasSizeGreaterThanOrEqualTo(3);
            assertThat(got).allSatisfy(r -> assertThat(r.getUri()).isNotNull());
            // The README's subscriber: argus results reads the same records through the registry facade.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream saved = System.out;
            int code;
            try {
                System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
                code = new picocli.CommandLine(new io.argus.launcher.cli.ArgusCommand()).execute("results",
                        "--bootstrap-servers", rt.kafka().bootstrapServers(), "--schema-registry-url", base,
                        "--job", job, "--from", "beginning", "--max", "3", "--idle-timeout", "20");
            } finally {
                System.setOut(saved);
            }
            assertThat(code).isZero();
            List<String> lines = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).hasSize(3);
            for (int i = 0; i < 3; i++) {
                JsonNode line = JSON.readTree(lines.get(i));
                assertThat(line.path("job_id").asText()).isEqualTo(job);
                assertThat(line.path("op").asText()).isEqualTo("person");
                assertThat(line.path("seq").asLong()).isEqualTo(got.get(i).getSeq());
                assertThat(line.path("capture_time_ms").asLong()).isEqualTo(got.get(i).getCaptureTimeMs());
            }
            assertThat(kill(job).statusCode()).isEqualTo(200);
            awaitStatus(job, "CANCELLED", Duration.ofSeconds(10));
        }
    }
}
