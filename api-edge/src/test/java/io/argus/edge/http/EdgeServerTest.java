package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.security.ApiKeys;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.submit.JobSinkException;
import io.argus.schemas.avro.Cut;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.Label;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.edge.view.JobView;

class EdgeServerTest {

    private static final String ASYNC = "{\"data\":{\"uri\":\"http://example.com/v.mp4\"},"
            + "\"params\":{\"async\":true},\"ops\":[{\"op\":\"pulp\"},{\"op\":\"terror\"}]}";
    private static final String SYNC = "{\"data\":{\"uri\":\"/videos/v.mp4\"},\"ops\":[{\"op\":\"pulp\"}]}";

    private static final String FORM = "application/x-www-form-urlencoded";

    private RecordingSink sink;
    private RecordingControlSink control;
    private JobView view;
    private EdgeServer server;
    private Http http;

    @BeforeEach
    void start() {
        startWith(Duration.ofSeconds(5));
    }

    private void startWith(Duration syncTimeout) {
        startWith(syncTimeout, Duration.ofSeconds(3));
    }

    private void startWith(Duration syncTimeout, Duration killWait) {
        sink = new RecordingSink();
        control = new RecordingControlSink();
        view = new JobView();
        server = new EdgeServer(ApiKeys.open(), syncTimeout, List.of(new JobRoutes(sink, control,
                new JobRequestParser(Set.of("terror", "pulp", "detection")), view, syncTimeout, killWait, Map.of())));
        http = new Http(server.start(0));
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
    }

    static JobStatus next(JobStatus s, JobState state, ErrorInfo error) {
        return JobStatus.newBuilder(s).setStatus(state).setError(error).setUpdatedAt(s.getCreatedAt() + 1000).build();
    }

    static OpResult pulpResult(String jobId) {
        Segment seg = Segment.newBuilder().setJobId(jobId).setVideoId("v").setOp("pulp").setIndex(0)
                .setOffsetBegin(0).setOffsetEnd(5000).setLabels(List.of(Label.newBuilder().setLabel("2").setScore(0.75f).build()))
                .setCuts(List.of(Cut.newBuilder().setOffsetMs(5000).setUri("file:///f/1.jpg")
                        .setResultJson("{\"label\":2,\"score\":0.75}").build()))
                .build();
        return OpResult.newBuilder().setJobId(jobId).setVideoId("v").setOp("pulp")
                .setLabels(List.of(Label.newBuilder().setLabel("2").setScore(0.75f).build()))
                .setSegments(List.of(seg)).setFrames(2).build();
    }

    /** Plays the pipeline: after a short delay, DOING, then the results and the terminal status. */
    private void pipelineEnds(JobState state, ErrorInfo error, boolean withResult) {
        sink.onSubmit = (waiting, request) -> CompletableFuture.runAsync(() -> {
            sleep(100);
            view.apply(next(waiting, JobState.DOING, null));
            if (withResult) {
                view.apply(pulpResult(waiting.getJobId()));
            }
            view.apply(next(waiting, state, error));
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void healthz() throws Exception {
        Http.Answer a = http.get("/healthz");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void opsAreListedSorted() throws Exception {
        Http.Answer a = http.get("/v1/ops");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().findValuesAsText("op")).containsExactly("detection", "pulp", "terror");
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        Http.Answer a = http.get("/v1/nothing/here");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().get("error").asText()).isEqualTo("not found");
        assertThat(http.post("/v1/video", SYNC).status()).isEqualTo(404);
    }

    @Test
    void malformedJsonIs400InvalidParameters() throws Exception {
        Http.Answer a = http.post("/v1/video/v1", "{\"data\": {\"uri\": ");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().get("error").asText()).isEqualTo("invalid parameters");
        assertThat(a.json().get("detail").asText()).contains("not valid JSON");
        assertThat(sink.requests).isEmpty();
    }

    @Test
    void validationErrorsCarryTheSpecMessages() throws Exception {
        Http.Answer mode = http.post("/v1/video/v1",
                "{\"data\":{\"uri\":\"a.mp4\"},\"params\":{\"vframe\":{\"mode\":3}},\"ops\":[{\"op\":\"pulp\"}]}");
        assertThat(mode.status()).isEqualTo(400);
        assertThat(mode.json().get("error").asText()).isEqualTo("invalid mode, allow mode is [0, 1]");

        Http.Answer badOp = http.post("/v1/video/v1", "{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[{\"op\":\"nudity\"}]}");
        assertThat(badOp.status()).isEqualTo(400);
        assertThat(badOp.json().get("error").asText()).isEqualTo("bad op");

        Http.Answer empty = http.post("/v1/video/v1", "{\"data\":{\"uri\":\"a.mp4\"},\"ops\":[]}");
        assertThat(empty.json().get("error").asText()).isEqualTo("empty op");
        assertThat(sink.requests).isEmpty();
    }

    @Test
    void bodyAboveOneMebibyteIs413() throws Exception {
        byte[] big = new byte[(int) EdgeServer.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        Http.Answer a = http.post("/v1/video/v1", big);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.json().get("error").asText()).isEqualTo("request body too large");

        // exactly 1 MiB is accepted (and then validated)
        byte[] limit = new byte[(int) EdgeServer.MAX_BODY_BYTES];
        Arrays.fill(limit, (byte) ' ');
        byte[] body = SYNC.replace("\"ops\"", "\"params\":{\"async\":true},\"ops\"").getBytes();
        System.arraycopy(body, 0, limit, 0, body.length);
        assertThat(http.post("/v1/video/v1", limit).status()).isEqualTo(200);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void asyncPostAnswersTheJobIdAndGetFindsItAtOnce() throws Exception {
        Http.Answer a = http.post("/v1/video/video-9", ASYNC);
        assertThat(a.status()).isEqualTo(200);
        String jobId = a.json().get("job").asText();
        assertThat(a.json().size()).isEqualTo(1);

        assertThat(sink.statuses).singleElement().satisfies(s -> {
            assertThat(s.getJobId()).isEqualTo(jobId);
            assertThat(s.getStatus()).isEqualTo(JobState.WAITING);
            assertThat(s.getOps()).containsExactly("pulp", "terror");
        });
        assertThat(sink.requests).singleElement().satisfies(r -> {
            assertThat(r.getJobId()).isEqualTo(jobId);
            assertThat(r.getVideoId()).isEqualTo("video-9");
            assertThat(r.getAsync()).isTrue();
        });

        Http.Answer job = http.get("/v1/jobs/video/" + jobId);
        assertThat(job.status()).isEqualTo(200);
        JsonNode j = job.json();
        assertThat(j.get("id").asText()).isEqualTo(jobId);
        assertThat(j.get("vid").asText()).isEqualTo("video-9");
        assertThat(j.get("status").asText()).isEqualTo("WAITING");
        assertThat(j.get("request")).isEqualTo(Http.JSON.readTree(ASYNC));
        assertThat(j.get("result")).isEmpty();
        assertThat(j.has("error")).isFalse();
        assertThat(j.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(j.at("/progress/frames_expected").asLong()).isEqualTo(-1);
    }

    @Test
    void getShowsTheRequestWithoutCredentialsWhileTheJobKeepsThem() throws Exception {
        String body = "{\"data\":{\"uri\":\"rtsp://admin:hunter2@cam.example.com/live?token=t0k3n&ch=1\"},"
                + "\"params\":{\"async\":true,\"hookURL\":\"https://hooks:s3cret@hooks.example.com/h?sig=abc\"},"
                + "\"ops\":[{\"op\":\"pulp\",\"hookURL_segment\":\"http://u:p@hooks.example.com/seg\"}]}";
        Http.Answer a = http.post("/v1/video/cam", body);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        String jobId = a.json().get("job").asText();
        // the source and the hooks still get the credentials
        assertThat(sink.requests.get(0).getUri()).isEqualTo("rtsp://admin:hunter2@cam.example.com/live?token=t0k3n&ch=1");

        Http.Answer job = http.get("/v1/jobs/video/" + jobId);
        assertThat(job.body()).doesNotContain("hunter2").doesNotContain("t0k3n").doesNotContain("s3cret")
                .doesNotContain("u:p@").doesNotContain("sig=abc");
        JsonNode request = job.json().get("request");
        assertThat(request.at("/data/uri").asText()).isEqualTo("rtsp://***@cam.example.com/live?token=***&ch=1");
        assertThat(request.at("/params/hookURL").asText()).isEqualTo("https://***@hooks.example.com/h?sig=***");
        assertThat(request.at("/ops/0/hookURL_segment").asText()).isEqualTo("http://***@hooks.example.com/seg");
        assertThat(request.at("/ops/0/op").asText()).isEqualTo("pulp");
    }

    @Test
    void getOfAnUnknownJobIs404() throws Exception {
        Http.Answer a = http.get("/v1/jobs/video/no-such-job");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").asText()).isEqualTo("job not found");
    }

    @Test
    void getShowsResultsAndErrorsFromTheView() throws Exception {
        String jobId = http.post("/v1/video/v", ASYNC).json().get("job").asText();
        JobStatus waiting = sink.statuses.get(0);
        view.apply(next(waiting, JobState.DOING, null));
        view.apply(pulpResult(jobId));

        JsonNode doing = http.get("/v1/jobs/video/" + jobId).json();
        assertThat(doing.get("status").asText()).isEqualTo("DOING");
        assertThat(doing.get("result").fieldNames()).toIterable().containsExactly("pulp");
        assertThat(doing.at("/result/pulp/segments/0/cuts/0/result/score").asDouble()).isEqualTo(0.75);

        view.apply(next(waiting, JobState.FAILED,
                ErrorInfo.newBuilder().setCode(400).setMessage("cannot open the file").build()));
        JsonNode failed = http.get("/v1/jobs/video/" + jobId).json();
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).isEqualTo("cannot open the file");
    }

    @Test
    void listFiltersByStatusCaseInsensitivelyNewestFirst() throws Exception {
        String first = http.post("/v1/video/a", ASYNC).json().get("job").asText();
        Thread.sleep(5);
        String second = http.post("/v1/video/b", ASYNC).json().get("job").asText();
        view.apply(next(sink.statuses.get(0), JobState.DOING, null));

        JsonNode all = http.get("/v1/jobs/video").json();
        assertThat(all.findValuesAsText("id")).containsExactly(second, first);
        assertThat(all.get(0).fieldNames()).toIterable().containsExactly("id", "status", "created_at", "updated_at");

        assertThat(http.get("/v1/jobs/video?status=waiting").json().findValuesAsText("id")).containsExactly(second);
        assertThat(http.get("/v1/jobs/video?status=Doing").json().findValuesAsText("id")).containsExactly(first);
        assertThat(http.get("/v1/jobs/video?status=FINISHED").json()).isEmpty();
        assertThat(http.get("/v1/jobs/video?status=").json()).hasSize(2);

        Http.Answer bad = http.get("/v1/jobs/video?status=RUNNING");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid parameters");
    }

    @Test
    void syncPostAnswersTheOpResultsWhenTheJobFinishes() throws Exception {
        pipelineEnds(JobState.FINISHED, null, true);
        Http.Answer a = http.post("/v1/video/v", SYNC);
        assertThat(a.status()).isEqualTo(200);
        JsonNode r = a.json();
        assertThat(r.fieldNames()).toIterable().containsExactly("pulp", "job");
        String jobId = sink.statuses.get(0).getJobId();
        assertThat(r.get("job").asText()).isEqualTo(jobId);
        assertThat(http.get("/v1/jobs/video/" + r.get("job").asText()).json().get("status").asText())
                .isEqualTo("FINISHED");
        assertThat(r.at("/pulp/labels/0/label").asText()).isEqualTo("2");
        assertThat(r.at("/pulp/segments/0/offset_end").asLong()).isEqualTo(5000);
        assertThat(r.at("/pulp/segments/0/cuts/0/uri").asText()).isEqualTo("file:///f/1.jpg");
        assertThat(r.at("/pulp/terminated").isMissingNode()).isTrue();
    }

    @Test
    void syncPostOfAFailedJobAnswersItsErrorCode() throws Exception {
        pipelineEnds(JobState.FAILED, ErrorInfo.newBuilder().setCode(424).setMessage("cannot find the video").build(),
                false);
        Http.Answer a = http.post("/v1/video/v", SYNC);
        assertThat(a.status()).isEqualTo(424);
        assertThat(a.json().get("error").asText()).isEqualTo("cannot find the video");
        assertThat(a.json().get("job").asText()).isEqualTo(sink.requests.get(0).getJobId());
    }

    @Test
    void syncPostOfACancelledJobIs409() throws Exception {
        pipelineEnds(JobState.CANCELLED, null, false);
        Http.Answer a = http.post("/v1/video/v", SYNC);
        assertThat(a.status()).isEqualTo(409);
        assertThat(a.json().get("error").asText()).isEqualTo("cancelled");
    }

    @Test
    void syncPostTimesOutWith504AndTheJobId() throws Exception {
        stop();
        startWith(Duration.ofMillis(300));
        Http.Answer a = http.post("/v1/video/v", SYNC);
        assertThat(a.status()).isEqualTo(504);
        assertThat(a.json().get("error").asText()).isEqualTo("timeout");
        String jobId = a.json().get("job").asText();
        assertThat(jobId).isEqualTo(sink.requests.get(0).getJobId());
        assertThat(http.get("/v1/jobs/video/" + jobId).json().get("status").asText()).isEqualTo("WAITING");
    }

    @Test
    void sinkFailureIs503AndNothingIsShown() throws Exception {
        sink.onSubmit = (s, r) -> {
            throw new JobSinkException("broker down", null);
        };
        Http.Answer a = http.post("/v1/video/v", ASYNC);
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("error").asText()).isEqualTo("service unavailable");
        assertThat(http.get("/v1/jobs/video").json()).isEmpty();
    }

    @Test
    void unexpectedExceptionIs500AndTheServerKeepsServing() throws Exception {
        sink.onSubmit = (s, r) -> {
            throw new IllegalStateException("boom");
        };
        Http.Answer a = http.post("/v1/video/v", ASYNC);
        assertThat(a.status()).isEqualTo(500);
        assertThat(a.json().get("error").asText()).isEqualTo("internal error");
        assertThat(a.body()).doesNotContain("boom");
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void stopClosesTheSinkAndRegistryRoutesAreAbsentWithoutARegistry() throws Exception {
        assertThat(http.get("/subjects").status()).isEqualTo(404);
        server.stop();
        assertThat(sink.closed).isTrue();
        assertThat(control.closed).isTrue();
        assertThat(server.port()).isEqualTo(-1);
        startWith(Duration.ofSeconds(1));
    }

    // ---- live sources ----

    @Test
    void liveSourcesAreAnsweredAsynchronouslyEvenWithoutAsync() throws Exception {
        for (String uri : List.of("rtmp://live.example.com/app/s", "rtmps://live.example.com/app/s",
                "RTSP://cam.example.com:554/stream")) {
            long t0 = System.nanoTime();
            Http.Answer a = http.post("/v1/video/cam", "{\"data\":{\"uri\":\"" + uri + "\"},"
                    + "\"params\":{\"async\":false,\"live\":{\"timeout\":30}},\"ops\":[{\"op\":\"pulp\"}]}");
            assertThat(a.status()).as(uri).isEqualTo(200);
            assertThat(a.json().fieldNames()).toIterable().containsExactly("job");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            String jobId = a.json().get("job").asText();
            assertThat(sink.requests).last().satisfies(r -> {
                assertThat(r.getJobId()).isEqualTo(jobId);
                assertThat(r.getLiveTimeoutS()).isEqualTo(30.0);
            });
            assertThat(http.get("/v1/jobs/video/" + jobId).json().get("status").asText()).isEqualTo("WAITING");
        }
        // without params at all too
        Http.Answer bare = http.post("/v1/video/cam",
                "{\"data\":{\"uri\":\"rtsp://cam.example.com/s\"},\"ops\":[{\"op\":\"pulp\"}]}");
        assertThat(bare.status()).isEqualTo(200);
        assertThat(bare.json().has("job")).isTrue();
    }

    // ---- kill ----

    private String runningJob() throws Exception {
        String jobId = http.post("/v1/video/video-k", ASYNC).json().get("job").asText();
        view.apply(next(sink.statuses.get(sink.statuses.size() - 1), JobState.DOING, null));
        return jobId;
    }

    /** Plays the aggregator: a KILL becomes CANCELLED shortly after. */
    private void aggregatorCancels() {
        control.onSend = c -> CompletableFuture.runAsync(() -> {
            sleep(100);
            JobStatus s = view.status(c.getJobId()).orElseThrow();
            view.apply(JobStatus.newBuilder(s).setStatus(JobState.CANCELLED).setUpdatedAt(s.getCreatedAt() + 7000).build());
        });
    }

    @Test
    void killWithTheSpecFormBodySendsAKillAndAnswersCancelled() throws Exception {
        aggregatorCancels();
        String jobId = runningJob();
        JobStatus before = view.status(jobId).orElseThrow();
        long t0 = System.currentTimeMillis();

        Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode j = a.json();
        assertThat(j.fieldNames()).toIterable().containsExactly("status", "created_at", "updated_at");
        assertThat(j.get("status").asText()).isEqualTo("CANCELLED");
        JsonNode got = http.get("/v1/jobs/video/" + jobId).json();
        assertThat(j.get("created_at")).isEqualTo(got.get("created_at"));
        assertThat(j.get("updated_at")).isEqualTo(got.get("updated_at"));
        assertThat(j.get("updated_at").asText()).isNotEqualTo(j.get("created_at").asText());

        assertThat(control.commands).singleElement().satisfies(c -> {
            assertThat(c.getAction()).isEqualTo(io.argus.schemas.avro.ControlAction.KILL);
            assertThat(c.getJobId()).isEqualTo(jobId);
            assertThat(c.getVideoId()).isEqualTo(before.getVideoId()).isEqualTo("video-k");
            assertThat(c.getOp()).isNull();
            assertThat(c.getAtMs()).isBetween(t0, System.currentTimeMillis());
        });
    }

    @Test
    void killAcceptsTheQueryStringAndAJsonBody() throws Exception {
        aggregatorCancels();
        String viaQuery = runningJob();
        Http.Answer q = http.post("/v1/jobs/video/" + viaQuery + "?op=kill", FORM, "");
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.json().get("status").asText()).isEqualTo("CANCELLED");

        String viaJson = runningJob();
        Http.Answer j = http.post("/v1/jobs/video/" + viaJson, "{\"op\":\"kill\"}");
        assertThat(j.status()).isEqualTo(200);
        assertThat(j.json().get("status").asText()).isEqualTo("CANCELLED");

        String viaUpper = runningJob();
        assertThat(http.post("/v1/jobs/video/" + viaUpper, FORM, "op=KILL&x=1").status()).isEqualTo(200);

        assertThat(control.commands).extracting(c -> c.getJobId()).containsExactly(viaQuery, viaJson, viaUpper);
    }

    @Test
    void killOfAnUnknownJobIs404AndSendsNothing() throws Exception {
        Http.Answer a = http.post("/v1/jobs/video/no-such-job", FORM, "op=kill");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("error").asText()).isEqualTo("job not found");
        assertThat(control.commands).isEmpty();
    }

    @Test
    void killWithoutAnOpOrWithAnotherOpIs400() throws Exception {
        String jobId = runningJob();
        for (String[] bad : new String[][] {
                {FORM, "", "op is required"},
                {FORM, "op=", "op is required"},
                {FORM, "op=stop", "'stop' is not supported"},
                {null, "{\"op\":\"pause\"}", "'pause' is not supported"},
                {"application/json", "{\"op\":1}", "op must be a string"},
                {"application/json", "{\"op\":", "not valid JSON"},
                {"application/json", "[\"kill\"]", "JSON object"},
                {FORM, "op=%zz", "form encoding"}}) {
            Http.Answer a = http.post("/v1/jobs/video/" + jobId, bad[0], bad[1]);
            assertThat(a.status()).as(bad[1]).isEqualTo(400);
            assertThat(a.json().get("error").asText()).isEqualTo("invalid parameters");
            assertThat(a.json().get("detail").asText()).as(bad[1]).contains(bad[2]);
        }
        Http.Answer both = http.post("/v1/jobs/video/" + jobId + "?op=kill", FORM, "op=stop");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("detail").asText()).contains("more than once");
        assertThat(control.commands).isEmpty();
        assertThat(http.get("/v1/jobs/video/" + jobId).json().get("status").asText()).isEqualTo("DOING");
    }

    @Test
    void killOfAFinalJobAnswersItsStatusAndSendsNothing() throws Exception {
        String jobId = http.post("/v1/video/v", ASYNC).json().get("job").asText();
        JobStatus waiting = sink.statuses.get(0);
        for (JobState state : List.of(JobState.FINISHED, JobState.FAILED, JobState.CANCELLED)) {
            view.apply(next(waiting, state, state == JobState.FAILED
                    ? ErrorInfo.newBuilder().setCode(424).setMessage("cannot find the video").build() : null));
            Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().get("status").asText()).isEqualTo(state.name());
            assertThat(a.json().get("updated_at").asText())
                    .isEqualTo(http.get("/v1/jobs/video/" + jobId).json().get("updated_at").asText());
        }
        assertThat(control.commands).isEmpty();
    }

    @Test
    void killOfAWaitingJobIsSentToo() throws Exception {
        aggregatorCancels();
        String jobId = http.post("/v1/video/v", ASYNC).json().get("job").asText();
        Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(control.commands).hasSize(1);
    }

    @Test
    void killAnswersTheCurrentStatusWhenTheJobDoesNotEndWithinTheWait() throws Exception {
        stop();
        startWith(Duration.ofSeconds(5), Duration.ofMillis(300));
        String jobId = runningJob();
        long t0 = System.nanoTime();
        Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("status").asText()).isEqualTo("DOING");
        assertThat(ms).isBetween(250L, 3000L);
        assertThat(control.commands).hasSize(1);
    }

    @Test
    void killIsAnsweredWithTheTerminalStateTheJobReachedFirst() throws Exception {
        String jobId = runningJob();
        control.onSend = c -> CompletableFuture.runAsync(() -> {
            sleep(50);
            view.apply(next(view.status(jobId).orElseThrow(), JobState.FINISHED, null));
        });
        Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");
        assertThat(a.json().get("status").asText()).isEqualTo("FINISHED");
    }

    @Test
    void controlSinkFailureIs503() throws Exception {
        String jobId = runningJob();
        control.onSend = c -> {
            throw new io.argus.edge.submit.ControlSinkException("broker down", null);
        };
        Http.Answer a = http.post("/v1/jobs/video/" + jobId, FORM, "op=kill");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("error").asText()).isEqualTo("service unavailable");
        assertThat(a.json().get("detail").asText()).contains("broker down");
        assertThat(http.get("/v1/jobs/video/" + jobId).json().get("status").asText()).isEqualTo("DOING");
    }

    @Test
    void getOnTheKillRouteStillAnswersTheJob() throws Exception {
        String jobId = runningJob();
        assertThat(http.get("/v1/jobs/video/" + jobId).json().get("id").asText()).isEqualTo(jobId);
    }
}
