package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.extract.DriverSink;
import io.argus.edge.extract.ExtractionRequestParser;
import io.argus.edge.extract.ExtractionRoutes;
import io.argus.edge.extract.IndexFixture;
import io.argus.edge.extract.MemoryStorage;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.view.JobView;
import io.argus.schemas.net.UrlGuard;
import io.argus.schemas.registry.InMemorySchemaRegistry;

/**
 * The edge's security over real HTTP: API keys, body and header limits, the URL guard on job,
 * hook and extraction URLs, and user input that must not escape its frame-store prefix.
 */
class EdgeSecurityTest {

    private static final String KEY = "k-0123456789abcdef-secret";
    private static final String OTHER_KEY = "k-fedcba9876543210-other";
    private static final String ASYNC = "{\"data\":{\"uri\":\"/videos/v.mp4\"},\"params\":{\"async\":true},"
            + "\"ops\":[{\"op\":\"pulp\"}]}";

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger ids = new AtomicInteger();
    private RecordingSink sink;
    private JobView view;
    private IndexFixture index;
    private MemoryStorage storage;
    private EdgeServer server;
    private int port;

    @BeforeEach
    void setUp() {
        view = new JobView();
        index = new IndexFixture(dir);
        storage = new MemoryStorage();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        view.close();
        index.close();
    }

    /** An edge with the registry facade and the frame routes, keys and guard as given. */
    private void start(ApiKeys keys, UrlGuard guard) {
        sink = new RecordingSink();
        JobRoutes jobs = new JobRoutes(sink, new RecordingControlSink(), new JobRequestParser(Set.of("pulp"), guard),
                view, Duration.ofSeconds(5), Duration.ofSeconds(1), Map.of());
        ExtractionRequestParser parser = new ExtractionRequestParser(() -> "req-" + ids.incrementAndGet(),
                System::currentTimeMillis, () -> 7L, guard);
        server = new EdgeServer(keys, jobs.longestWait(), List.of(jobs,
                new ExtractionRoutes(parser, new DriverSink(index), index.catalog(System::currentTimeMillis), storage),
                new SchemaRegistryRoutes(new InMemorySchemaRegistry())));
        port = server.start(0);
    }

    private record Answer(int status, HttpResponse<String> response) {
        JsonNode json() throws Exception {
            return Http.JSON.readTree(response.body());
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private Answer send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r);
    }

    /** Sends raw bytes on a socket and returns the whole answer (status line, headers, body). */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // the server may reset after answering an oversized request
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    // ---- API keys ----

    @Test
    void aRequestWithoutKeyIs401WithWwwAuthenticateAndJson() throws Exception {
        start(ApiKeys.of(List.of(KEY)), UrlGuard.allowAll());
        Answer a = send("POST", "/v1/video/v1", ASYNC, "Content-Type", "application/json");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"argus\"");
        assertThat(a.header("Content-Type")).startsWith("application/json");
        assertThat(a.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(a.json().get("detail").asText()).contains("Authorization: Bearer").contains("X-Api-Key");
        assertThat(sink.requests).isEmpty();
        assertThat(send("GET", "/v1/jobs/video", null).status()).isEqualTo(401);
        assertThat(send("GET", "/v1/ops", null).status()).isEqualTo(401);
        // unknown routes do not reveal themselves before authentication
        assertThat(send("GET", "/v1/nothing", null).status()).isEqualTo(401);
        assertThat(send("POST", "/frame", "{}").status()).isEqualTo(401);
    }

    @Test
    void aWrongKeyIs401InvalidToken() throws Exception {
        start(ApiKeys.of(List.of(KEY)), UrlGuard.allowAll());
        Answer a = send("GET", "/v1/ops", null, "Authorization", "Bearer " + OTHER_KEY);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(a.json().get("detail").asText()).isEqualTo("the API key is not valid").doesNotContain(OTHER_KEY);
        assertThat(send("GET", "/v1/ops", null, "X-Api-Key", KEY + "x").status()).isEqualTo(401);
        assertThat(send("GET", "/v1/ops", null, "X-Api-Key", KEY.substring(1)).status()).isEqualTo(401);
        // another scheme carries no key
        assertThat(send("GET", "/v1/ops", null, "Authorization", "Basic " + KEY).status()).isEqualTo(401);
    }

    @Test
    void bearerAndXApiKeyAreAccepted() throws Exception {
        start(ApiKeys.of(List.of(KEY, OTHER_KEY)), UrlGuard.allowAll());
        assertThat(send("GET", "/v1/ops", null, "Authorization", "Bearer " + KEY).status()).isEqualTo(200);
        assertThat(send("GET", "/v1/ops", null, "Authorization", "bearer " + OTHER_KEY).status()).isEqualTo(200);
        assertThat(send("GET", "/v1/ops", null, "X-Api-Key", KEY).status()).isEqualTo(200);
        Answer post = send("POST", "/v1/video/v1", ASYNC, "Content-Type", "application/json", "X-Api-Key", KEY);
        assertThat(post.status()).isEqualTo(200);
        assertThat(post.json().get("job").asText()).isNotBlank();
        assertThat(sink.requests).hasSize(1);
    }

    @Test
    void healthzAndRegistryReadsStayOpenRegistryWritesDoNot() throws Exception {
        start(ApiKeys.of(List.of(KEY)), UrlGuard.allowAll());
        Answer health = send("GET", "/healthz", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(send("GET", "/subjects", null).status()).isEqualTo(200);
        assertThat(send("GET", "/schemas/ids/1", null).status()).isEqualTo(404);
        String schema = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";
        assertThat(send("POST", "/subjects/s-value/versions", schema, "Content-Type", "application/json").status())
                .isEqualTo(401);
        Answer registered = send("POST", "/subjects/s-value/versions", schema, "Content-Type", "application/json",
                "Authorization", "Bearer " + KEY);
        assertThat(registered.status()).isEqualTo(200);
        assertThat(send("GET", "/schemas/ids/" + registered.json().get("id").asInt(), null).status()).isEqualTo(200);
    }

    @Test
    void dotSegmentsInTheRawPathDoNotReachAProtectedRouteWithoutKey() throws Exception {
        start(ApiKeys.of(List.of(KEY)), UrlGuard.allowAll());
        for (String path : new String[] {"/schemas/../v1/jobs/video", "/schemas/%2e%2e/v1/jobs/video",
                "/healthz/../v1/ops", "/subjects/..%2f..%2fv1/ops", "//healthz/../v1/ops"}) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(path).isIn(400, 401, 404);
            assertThat(answer).as(path).doesNotContain("\"op\"");
        }
    }

    @Test
    void withoutKeysTheEdgeIsOpenAsBefore() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        assertThat(send("GET", "/v1/ops", null).status()).isEqualTo(200);
        assertThat(send("POST", "/v1/video/v1", ASYNC, "Content-Type", "application/json").status()).isEqualTo(200);
    }

    // ---- size limits ----

    @Test
    void aBodyOverTheLimitIs413WithContentLength() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        byte[] big = new byte[(int) EdgeServer.MAX_BODY_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/video/v1"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Http.JSON.readTree(r.body()).get("error").asText()).isEqualTo("request body too large");
        assertThat(sink.requests).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        byte[] big = new byte[(int) EdgeServer.MAX_BODY_BYTES + 4096];
        Arrays.fill(big, (byte) ' ');
        for (String path : new String[] {"/v1/video/v1", "/frame", "/v1/jobs/video/j1"}) {
            // ofInputStream has no known length: the JDK client sends Transfer-Encoding: chunked
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(413);
            assertThat(Http.JSON.readTree(r.body()).get("error").asText()).isEqualTo("request body too large");
        }
        assertThat(sink.requests).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        // padded inside data.attribute, the spec's free-form object (unknown fields are refused)
        String padded = ASYNC.replace("{\"uri\":\"/videos/v.mp4\"}",
                "{\"uri\":\"/videos/v.mp4\",\"attribute\":{\"pad\":\"" + "x".repeat(900_000) + "\"}}");
        assertThat(padded).hasSizeGreaterThan(900_000);
        byte[] body = padded.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/video/v1"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(sink.requests).hasSize(1);
    }

    @Test
    void aRawChunkedBodyOverTheLimitIs413() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        StringBuilder req = new StringBuilder("POST /v1/video/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = " ".repeat(64 * 1024);
        for (int i = 0; i < 17; i++) { // 17 x 64 KiB > 1 MiB
            req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        req.append("0\r\n\r\n");
        String answer = raw(req.toString());
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("request body too large");
    }

    @Test
    void aLongUrlIs414AndLongHeadersAre431() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        String longPath = "/v1/jobs/video/" + "a".repeat(EdgeServer.MAX_HEADER_BYTES + 100);
        String url = raw("GET " + longPath + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(url).startsWith("HTTP/1.1 414");
        String headers = raw("GET /v1/ops HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(EdgeServer.MAX_HEADER_BYTES + 100)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(headers).startsWith("HTTP/1.1 431");
        // just under the limit still works
        assertThat(raw("GET /v1/ops HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4000) + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    // ---- URL guard ----

    private static String job(String uri, String hook, String opHook, String segHook) {
        StringBuilder b = new StringBuilder("{\"data\":{\"uri\":\"").append(uri).append("\"},\"params\":{\"async\":true");
        if (hook != null) {
            b.append(",\"hookURL\":\"").append(hook).append('"');
        }
        b.append("},\"ops\":[{\"op\":\"pulp\"");
        if (opHook != null) {
            b.append(",\"hookURL\":\"").append(opHook).append('"');
        }
        if (segHook != null) {
            b.append(",\"hookURL_segment\":\"").append(segHook).append('"');
        }
        return b.append("}]}").toString();
    }

    private void refusedJob(String body, String field) throws Exception {
        Answer a = send("POST", "/v1/video/v1", body, "Content-Type", "application/json");
        assertThat(a.status()).as(body).isEqualTo(400);
        assertThat(a.json().get("error").asText()).isEqualTo("invalid parameters");
        assertThat(a.json().get("detail").asText()).as(body).startsWith(field + ": the address is not allowed");
    }

    @Test
    void jobUrisAndHookUrlsToRefusedAddressesAre400() throws Exception {
        start(ApiKeys.open(), UrlGuard.defaults());
        refusedJob(job("http://169.254.169.254/latest/meta-data/", null, null, null), "data.uri");
        refusedJob(job("rtsp://10.0.0.7/cam", null, null, null), "data.uri");
        refusedJob(job("rtmp://[::ffff:192.168.0.1]/live/x", null, null, null), "data.uri");
        refusedJob(job("http://0.0.0.0:8080/v.mp4", null, null, null), "data.uri");
        refusedJob(job("/videos/v.mp4", "http://172.16.0.1/hook", null, null), "params.hookURL");
        refusedJob(job("/videos/v.mp4", null, "http://[fe80::1]/hook", null), "ops[0].hookURL");
        refusedJob(job("/videos/v.mp4", null, null, "http://100.64.0.1/seg"), "ops[0].hookURL_segment");
        Answer numeric = send("POST", "/v1/video/v1", job("http://2130706433/v.mp4", null, null, null));
        assertThat(numeric.status()).isEqualTo(400);
        assertThat(numeric.json().get("error").asText()).isEqualTo("invalid parameters");
        assertThat(sink.requests).isEmpty();
    }

    @Test
    void aResolvedNameIsRefusedWithoutEchoingItsAddress() throws Exception {
        start(ApiKeys.open(), UrlGuard.of("10.0.0.0/8"));
        Answer a = send("POST", "/v1/video/v1", job("http://localhost:1935/v.mp4", null, null, null));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("detail").asText()).contains("'localhost'").contains("loopback")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void allowedAndUnresolvableAndLocalSourcesAreAccepted() throws Exception {
        start(ApiKeys.open(), UrlGuard.defaults());
        // loopback is in the default allow-list: local test and RTMP servers keep working
        assertThat(send("POST", "/v1/video/v1", job("rtmp://127.0.0.1:1935/live/cam", "http://localhost:9/h", null,
                null)).status()).isEqualTo(200);
        // an unresolvable name is left to the fetch (424 "cannot find the video" as before)
        assertThat(send("POST", "/v1/video/v2", job("http://no-such-host.invalid/v.mp4", null, null, null)).status())
                .isEqualTo(200);
        assertThat(send("POST", "/v1/video/v3", job("https://8.8.8.8/v.mp4", null, null, null)).status()).isEqualTo(200);
        assertThat(send("POST", "/v1/video/v4", job("file:///videos/v.mp4", null, null, null)).status()).isEqualTo(200);
        assertThat(sink.requests).hasSize(4);
    }

    @Test
    void extractionUrisToRefusedAddressesAre400() throws Exception {
        start(ApiKeys.open(), UrlGuard.defaults());
        Answer a = send("POST", "/frame", "{\"uri\":\"http://169.254.169.254/v.mp4\",\"pattern\":\"keyframe\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).startsWith("uri: the address is not allowed").contains("link-local");
        Answer flow = send("POST", "/flow", "{\"uri\":\"https://[fd00::1]/v.mp4\",\"pattern\":\"keyframe\"}");
        assertThat(flow.status()).isEqualTo(400);
        assertThat(flow.json().get("error").asText()).startsWith("uri: the address is not allowed");
        assertThat(send("POST", "/frame", "{\"uri\":\"http://127.0.0.1:8000/v.mp4\",\"pattern\":\"keyframe\"}").status())
                .isEqualTo(200);
    }

    // ---- user input and frame-store keys ----

    @Test
    void videoIdsThatCouldEscapeTheirPrefixAreRefused() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        for (String id : new String[] {"../x", "..", ".", "/etc/passwd", "%2e%2e", "%2e%2e%2fx", "a\\\\b", "a/b",
                "a\\u0000b", "C:x", "x".repeat(129), ""}) {
            Answer a = send("POST", "/frame", "{\"uri\":\"/videos/a.mp4\",\"video_id\":\"" + id
                    + "\",\"pattern\":\"keyframe\"}");
            assertThat(a.status()).as(id).isEqualTo(400);
            assertThat(a.json().get("error").asText()).as(id).startsWith("video_id must be");
        }
        assertThat(send("POST", "/frame", "{\"uri\":\"/videos/a.mp4\",\"video_id\":\"" + "x".repeat(128)
                + "\",\"pattern\":\"keyframe\"}").status()).isEqualTo(200);
        for (String q : new String[] {"..%2F..%2Fetc", "%2e%2e", "a%5Cb", "a%00b", "x".repeat(129)}) {
            assertThat(send("GET", "/frame?pattern=uniform&video=" + q, null).status()).as(q).isEqualTo(400);
            assertThat(send("DELETE", "/frame?video=" + q, null).status()).as(q).isEqualTo(400);
        }
        assertThat(storage.deletedPrefixes).isEmpty();
    }

    @Test
    void unknownRequestIdsInPathsDeleteNothing() throws Exception {
        start(ApiKeys.open(), UrlGuard.allowAll());
        for (String id : new String[] {"..%2F..%2Fetc", "%2e%2e", "..", "a%5C..%5Cb", "a%00b", "x".repeat(300)}) {
            Answer del = send("DELETE", "/frame/" + id, null);
            assertThat(del.status()).as(id).isIn(400, 404);
            assertThat(send("GET", "/flow/" + id, null).status()).as(id).isIn(400, 404);
        }
        assertThat(storage.deletedPrefixes).isEmpty();
    }
}
