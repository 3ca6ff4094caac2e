package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.request.JobRequestParser;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;

/** The edge's HTTP framing, HEAD and query rules, spoken byte by byte over a real socket. */
class RawHttpTest {

    private static final String POST_HEAD = "POST /v1/video/v1 HTTP/1.1\r\nHost: argus\r\n"
            + "Content-Type: application/json\r\nConnection: close\r\n";

    private JobView view;
    private EdgeServer server;
    private int port;

    @BeforeEach
    void start() {
        view = new JobView();
        server = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(5), Duration.ofSeconds(1),
                List.of(new JobRoutes(new RecordingSink(), new RecordingControlSink(),
                        new JobRequestParser(Set.of("pulp")), view, Duration.ofSeconds(5), Duration.ofSeconds(1),
                        Map.of())));
        port = server.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
    }

    /** An answer as read off the socket. */
    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() throws IOException {
            return Http.JSON.readTree(body);
        }
    }

    /**
     * Writes {@code request}, optionally waits and half-closes, then reads the answer to its end.
     *
     * @param pauseMs  wait after writing; negative: neither wait nor half-close (the body stalls)
     */
    private Raw exchange(String request, long pauseMs) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            if (pauseMs >= 0) {
                Thread.sleep(pauseMs);
                s.shutdownOutput();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            String text = out.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as(text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    /** Runs {@code action} and returns what the process logged meanwhile (slf4j-simple writes to System.err). */
    private static String logged(ThrowingRunnable action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void assertBadRequest(String name, String request) throws Exception {
        Raw[] answer = new Raw[1];
        String log = logged(() -> answer[0] = exchange(request, 300));
        assertThat(answer[0].status()).as(name).isEqualTo(400);
        assertThat(answer[0].header("Content-Type")).as(name).startsWith("application/json");
        assertThat(answer[0].json().get("error").asText()).as(name).isEqualTo("bad request");
        assertThat(answer[0].json().get("detail").asText()).as(name).contains("malformed or cut short");
        assertThat(log).as(name).contains("POST /v1/video/v1").contains("400");
    }

    @Test
    void aChunkSizeThatIsNotHexIs400JsonAndLogged() throws Exception {
        assertBadRequest("bad chunk size", POST_HEAD + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    }

    @Test
    void aHugeChunkSizeIs400JsonAndLogged() throws Exception {
        assertBadRequest("huge chunk size",
                POST_HEAD + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n");
        assertBadRequest("chunk larger than what follows",
                POST_HEAD + "Transfer-Encoding: chunked\r\n\r\n7FFFFFFF\r\n{\"data\":\r\n");
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400JsonAndLogged() throws Exception {
        assertBadRequest("short body", POST_HEAD + "Content-Length: 100\r\n\r\n{\"data\":");
    }

    @Test
    void aStalledBodyIs408JsonAfterTheBodyTimeout() throws Exception {
        Raw[] answer = new Raw[1];
        long t0 = System.nanoTime();
        String log = logged(() -> answer[0] = exchange(POST_HEAD + "Content-Length: 100\r\n\r\n{\"data\":", -1));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(answer[0].status()).isEqualTo(408);
        assertThat(answer[0].json().get("error").asText()).isEqualTo("request timeout");
        assertThat(answer[0].json().get("detail").asText()).contains("stopped arriving");
        assertThat(ms).as("the 1 s body timeout, not Jetty's 30 s").isLessThan(10_000);
        assertThat(log).contains("POST /v1/video/v1").contains("408");
    }

    @Test
    void aWellFramedChunkedBodyStillWorks() throws Exception {
        String body = "{\"data\":{\"uri\":\"http://example.com/v.mp4\"},\"params\":{\"async\":true},\"ops\":[{\"op\":\"pulp\"}]}";
        Raw a = exchange(POST_HEAD + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length())
                + "\r\n" + body + "\r\n0\r\n\r\n", 0);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("job").asText()).isNotBlank();
    }

    private Raw head(String path) throws Exception {
        return exchange("HEAD " + path + " HTTP/1.1\r\nHost: argus\r\nConnection: close\r\n\r\n", 0);
    }

    private Raw get(String path) throws Exception {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: argus\r\nConnection: close\r\n\r\n", 0);
    }

    @Test
    void headAnswersWhatGetAnswersWithoutTheBody() throws Exception {
        long now = System.currentTimeMillis();
        view.apply(JobStatus.newBuilder().setJobId("job-1").setVideoId("v").setStatus(JobState.DOING)
                .setError(null).setRequestJson("{}").setCreatedAt(now).setUpdatedAt(now).setOps(List.of("pulp"))
                .build());
        for (String path : List.of("/v1/jobs/video/no-such-job", "/v1/jobs/video/job-1", "/healthz", "/v1/ops",
                "/v1/jobs/video", "/v1/jobs/video?status=RUNNING", "/v1/jobs/video?limit=0", "/openapi.json")) {
            Raw g = get(path);
            Raw h = head(path);
            assertThat(h.status()).as(path).isEqualTo(g.status());
            assertThat(h.header("Content-Type")).as(path).isEqualTo(g.header("Content-Type"));
            assertThat(h.header("Content-Length")).as(path).isEqualTo(g.header("Content-Length"));
            assertThat(h.header("Transfer-Encoding")).as(path).isEqualTo(g.header("Transfer-Encoding"));
            assertThat(h.body()).as(path).isEmpty();
            assertThat(g.body()).as(path).isNotEmpty();
        }
        // no route: 404 JSON for both (the detail names the method, so the lengths differ by one)
        Raw noRoute = head("/v1/no/such/route");
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.header("Content-Type")).startsWith("application/json");
        assertThat(noRoute.body()).isEmpty();
        Raw unknown = head("/v1/jobs/video/no-such-job");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Length")).isEqualTo(String.valueOf(get("/v1/jobs/video/no-such-job").body().length()));
    }

    @Test
    void statusGivenTwiceIs400LikeARepeatedLimit() throws Exception {
        for (String query : List.of("status=DOING&status=FOO", "status=DOING&status=DOING", "status=&status=DOING")) {
            Raw a = get("/v1/jobs/video?" + query);
            assertThat(a.status()).as(query).isEqualTo(400);
            assertThat(a.json().get("error").asText()).isEqualTo("invalid parameters");
            assertThat(a.json().get("detail").asText()).as(query).contains("status").contains("once");
        }
        assertThat(get("/v1/jobs/video?status=doing").status()).isEqualTo(200);
    }
}
