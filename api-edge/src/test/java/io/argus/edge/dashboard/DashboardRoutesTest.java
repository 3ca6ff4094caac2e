package io.argus.edge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.http.EdgeServer;
import io.argus.edge.http.MetricsRoutes;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.traffic.JobRecords;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The dashboard's routes over real HTTP on an edge that needs an API key: the page and its files
 * open, with their content types, ETags and CSP; the job list and the token behind the key; the
 * event stream behind a token (the stream itself, from Kafka, is exercised in the launcher's
 * browser test).
 */
class DashboardRoutesTest {

    private static final String KEY = "k-0123456789abcdef-dashboard";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final StreamTokens tokens = new StreamTokens(new byte[32], Duration.ofSeconds(60), now::get);
    private JobView view;
    private EdgeServer server;
    private String base;

    @BeforeEach
    void start() {
        view = new JobView();
        view.applyLocal(JobStatus.newBuilder().setJobId("job-1").setVideoId("cam").setStatus(JobState.WAITING)
                .setRequestJson("{\"data\":{\"uri\":\"rtmp://user:pw@cam.example/live\"},\"ops\":[{\"op\":\"detection\"}]}")
                .setCreatedAt(1_700_000_000_000L).setUpdatedAt(1_700_000_000_000L).setOps(List.of("detection")).build());
        Topics topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        // no broker: no test here reaches Kafka (unknown jobs and refused tokens answer first)
        DashboardRoutes routes = new DashboardRoutes(new DashboardAssets(), tokens, view, topics,
                new JobRecords(new KafkaSettings("127.0.0.1:9", 1, (short) 1)), null);
        server = new EdgeServer(ApiKeys.of(List.of(KEY)), Duration.ofSeconds(5),
                List.of(routes, new MetricsRoutes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))));
        base = "http://127.0.0.1:" + server.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
    }

    private HttpResponse<String> send(String method, String path, String key, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsFilesNeedNoKeyAndCarryTheirTypes() throws Exception {
        HttpResponse<String> page = send("GET", "/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(DashboardRoutes.CSP);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\">");
        for (String name : DashboardAssets.NAMES) {
            HttpResponse<String> r = send("GET", DashboardRoutes.ASSETS + name, null);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(name)
                    .isEqualTo(DashboardAssets.contentType(name));
            String etag = r.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            HttpResponse<String> again = send("GET", DashboardRoutes.ASSETS + name, null, "If-None-Match", etag);
            assertThat(again.statusCode()).as(name).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(send("GET", DashboardRoutes.ASSETS + name, null, "If-None-Match", "\"other\"").statusCode())
                    .isEqualTo(200);
        }
        assertThat(DashboardAssets.contentType("app.js")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(send("HEAD", "/", null).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = send("GET", "/dashboard/..%2Fsecurity%2FApiKeys.class", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(send("GET", "/dashboard/nothing.js", null).body()).contains("no dashboard file nothing.js");
        // only reads are open: other methods on the page's paths need the key
        assertThat(send("POST", "/", null).statusCode()).isIn(401, 404, 405);
    }

    @Test
    void theJobListAndTokensNeedTheKey() throws Exception {
        assertThat(send("GET", "/api/v1/dashboard/jobs", null).statusCode()).isEqualTo(401);
        HttpResponse<String> list = send("GET", "/api/v1/dashboard/jobs", KEY);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode job = JSON.readTree(list.body()).path("jobs").get(0);
        assertThat(job.path("id").asText()).isEqualTo("job-1");
        assertThat(job.path("status").asText()).isEqualTo("WAITING");
        assertThat(job.path("request").path("ops").get(0).path("op").asText()).isEqualTo("detection");
        assertThat(job.path("request").path("data").path("uri").asText()).doesNotContain("pw");
        assertThat(job.has("result")).isFalse();
        for (String bad : List.of("0", "501", "ten", "-1")) {
            HttpResponse<String> r = send("GET", "/api/v1/dashboard/jobs?limit=" + bad, KEY);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("invalid parameters");
        }

        assertThat(send("POST", "/api/v1/dashboard/jobs/job-1/token", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/dashboard/jobs/nope/token", KEY).statusCode()).isEqualTo(404);
        HttpResponse<String> minted = send("POST", "/api/v1/dashboard/jobs/job-1/token", KEY);
        assertThat(minted.statusCode()).isEqualTo(200);
        JsonNode t = JSON.readTree(minted.body());
        assertThat(tokens.accepts(t.path("token").asText(), "job-1")).isTrue();
        assertThat(t.path("events_url").asText())
                .isEqualTo("/api/v1/dashboard/jobs/job-1/events?token=" + t.path("token").asText());
        assertThat(t.path("expires_at_ms").asLong()).isEqualTo(now.get() + 60_000);
        assertThat(minted.body()).doesNotContain(KEY);
    }

    @Test
    void theEventStreamNeedsATokenForItsJob() throws Exception {
        HttpResponse<String> none = send("GET", "/api/v1/dashboard/jobs/job-1/events", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("stream token");
        // the API key is not a token
        assertThat(send("GET", "/api/v1/dashboard/jobs/job-1/events?token=" + KEY, KEY).statusCode()).isEqualTo(401);
        String other = tokens.mint("job-2").token();
        assertThat(send("GET", "/api/v1/dashboard/jobs/job-1/events?token=" + other, null).statusCode()).isEqualTo(401);
        String expiring = tokens.mint("job-1").token();
        now.addAndGet(60_001);
        assertThat(send("GET", "/api/v1/dashboard/jobs/job-1/events?token=" + expiring, null).statusCode())
                .isEqualTo(401);
        // a good token for a job the view does not hold
        String unknown = tokens.mint("gone").token();
        HttpResponse<String> r = send("GET", "/api/v1/dashboard/jobs/gone/events?token=" + unknown, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("job not found");
    }

    @Test
    void streamsBeyondTheLimitAreRefusedWithRetryAfter() throws Exception {
        EdgeServer full = new EdgeServer(ApiKeys.of(List.of(KEY)), Duration.ofSeconds(5), List.of(new DashboardRoutes(
                new DashboardAssets(), tokens, view, new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX),
                new JobRecords(new KafkaSettings("127.0.0.1:9", 1, (short) 1)), null, 0)));
        int port = full.start(0);
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/dashboard/jobs/gone/events?token=" + tokens.mint("gone").token())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("10");
            assertThat(r.body()).contains("too many event streams");
            // a refused token is refused before the limit is looked at
            assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/dashboard/jobs/gone/events?token=x.y")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        } finally {
            full.stop();
        }
    }

    @Test
    void theOpenApiDocumentShowsWhichRoutesNeedNoKey() throws Exception {
        JsonNode doc = JSON.readTree(send("GET", "/openapi.json", null).body());
        JsonNode paths = doc.path("paths");
        for (String open : List.of("/", "/dashboard/{asset}")) {
            assertThat(paths.path(open).path("get").path("responses").has("401")).as(open).isFalse();
            assertThat(paths.path(open).path("get").has("security")).as(open).isFalse();
        }
        JsonNode events = paths.path("/api/v1/dashboard/jobs/{job_id}/events").path("get");
        assertThat(events.has("security")).isFalse();
        assertThat(events.path("responses").path("401").path("description").asText()).contains("token");
        JsonNode token = paths.path("/api/v1/dashboard/jobs/{job_id}/token").path("post");
        assertThat(token.path("security")).hasSize(2);
        assertThat(token.path("responses").has("401")).isTrue();
        assertThat(paths.path("/api/v1/dashboard/jobs").path("get").path("security")).hasSize(2);
    }

    @Test
    void lastEventIdIsASeqOrNothing() {
        assertThat(DashboardRoutes.lastEventId("41")).isEqualTo(41);
        assertThat(DashboardRoutes.lastEventId(" 7 ")).isEqualTo(7);
        assertThat(DashboardRoutes.lastEventId(null)).isEqualTo(-1);
        assertThat(DashboardRoutes.lastEventId("x")).isEqualTo(-1);
    }
}
