package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.ArgusInfo;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.view.JobView;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * {@code GET /openapi.json} over real HTTP on an edge with every route class: a valid OpenAPI 3.1
 * document (swagger-parser) naming exactly the routes the Javalin app has, open without an API key.
 */
class OpenApiTest {

    private static final String KEY = "k-0123456789abcdef-openapi";

    @TempDir
    Path dir;
    private JobView view;
    private IndexFixture index;
    private EdgeServer server;
    private Http http;

    @BeforeEach
    void setUp() {
        view = new JobView();
        index = new IndexFixture(dir);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        view.close();
        index.close();
    }

    /** An edge with the job routes, the frame &amp; flow routes and the registry facade. */
    private void start(ApiKeys keys) {
        JobRoutes jobs = new JobRoutes(new RecordingSink(), new RecordingControlSink(),
                new JobRequestParser(Set.of("pulp")), view, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Map.of("pulp", List.of()));
        server = new EdgeServer(keys, jobs.longestWait(), List.of(jobs,
                new ExtractionRoutes(new ExtractionRequestParser(), new DriverSink(index),
                        index.catalog(System::currentTimeMillis), new MemoryStorage()),
                new SchemaRegistryRoutes(new InMemorySchemaRegistry()),
                new MetricsRoutes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                new FrameRoutes(uri -> new byte[0])));
        http = new Http(server.start(0));
    }

    @Test
    void theDocumentIsValidOpenApi31() throws Exception {
        start(ApiKeys.open());
        Http.Answer a = http.get("/openapi.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode doc = a.json();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").asText()).isEqualTo("Argus");
        assertThat(doc.path("info").path("version").asText()).isEqualTo(ArgusInfo.version()).matches("\\d+\\.\\d+.*");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(a.body(), null, null);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);

        // path parameters come from the path, query parameters from the route
        JsonNode getJob = doc.path("paths").path("/v1/jobs/video/{job_id}").path("get");
        assertThat(getJob.path("parameters").get(0).path("name").asText()).isEqualTo("job_id");
        assertThat(getJob.path("parameters").get(0).path("in").asText()).isEqualTo("path");
        assertThat(getJob.path("parameters").get(0).path("required").asBoolean()).isTrue();
        assertThat(getJob.path("responses").has("404")).isTrue();
        assertThat(getJob.path("responses").path("404").path("content").path("application/json")
                .path("schema").path("$ref").asText()).isEqualTo("#/components/schemas/Error");
        assertThat(names(doc.path("paths").path("/v1/jobs/video").path("get").path("parameters")))
                .containsExactly("status", "limit", "marker");
        assertThat(doc.path("paths").path("/v1/jobs/video/{job_id}").path("post").path("requestBody")
                .path("content").has("application/x-www-form-urlencoded")).isTrue();
        assertThat(doc.path("paths").path("/schemas/ids/{id}").path("get").path("responses").path("404")
                .path("content").path(SchemaRegistryRoutes.CONTENT_TYPE).path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/" + SchemaRegistryRoutes.ERROR_SCHEMA);
        // without keys, no route announces a 401
        assertThat(a.body()).doesNotContain("\"401\"");
    }

    @Test
    void theDocumentNamesExactlyTheRoutesTheAppHas() throws Exception {
        start(ApiKeys.open());
        JsonNode doc = http.get("/openapi.json").json();
        Set<String> registered = registered(server.javalin());
        assertThat(registered).contains("GET /healthz", "GET /openapi.json", "POST /v1/video/{video_id}",
                "DELETE /flow/{id}", "GET /frame/history", "GET /subjects/{subject}/versions/{version}");
        assertThat(described(doc)).isEqualTo(registered);
    }

    @Test
    void aRouteAddedAroundTheDescriptionOrADescriptionWithoutRouteIsFound() throws Exception {
        Javalin app = Javalin.create();
        ApiRoutes routes = new ApiRoutes(app, ArgusInfo.info(), false, 1024);
        routes.get("/described/{id}", ctx -> ctx.result("ok"), op -> op.summary("described").response(200, "ok"));
        app.get("/hidden", ctx -> ctx.result("not described"));
        routes.document().path("/ghost", new PathItem().get(new Operation()
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("no route")))));

        Set<String> registered = registered(app);
        Set<String> described = described(Http.JSON.readTree(routes.json()));
        assertThat(registered).containsExactlyInAnyOrder("GET /described/{id}", "GET /hidden");
        assertThat(described).containsExactlyInAnyOrder("GET /described/{id}", "GET /ghost");
        assertThat(described).isNotEqualTo(registered);
    }

    @Test
    void aRouteIsRegisteredOnceAndWithAnAnswer() {
        ApiRoutes routes = new ApiRoutes(Javalin.create(), ArgusInfo.info(), false, 1024);
        routes.get("/a/{x}", ctx -> { }, op -> op.response(200, "ok"));
        assertThatThrownBy(() -> routes.get("/a/{x}", ctx -> { }, op -> op.response(200, "ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> routes.post("/b", ctx -> { }, op -> op.summary("no answer")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("describes no answer");
        assertThatThrownBy(() -> routes.get("/c/{y}", ctx -> { }, op -> op.pathParam("z", "?").response(200, "ok")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{z}");
    }

    @Test
    void theDocumentIsOpenWhenKeysAreRequired() throws Exception {
        start(ApiKeys.of(List.of(KEY)));
        assertThat(http.get("/v1/ops").status()).isEqualTo(401);
        Http.Answer a = http.get("/openapi.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(new OpenAPIV3Parser().readContents(a.body(), null, null).getMessages()).isEmpty();

        JsonNode doc = a.json();
        assertThat(doc.path("components").path("securitySchemes").path(ApiRoutes.BEARER).path("scheme").asText())
                .isEqualTo("bearer");
        JsonNode ops = doc.path("paths").path("/v1/ops").path("get");
        assertThat(ops.path("responses").has("401")).isTrue();
        assertThat(ops.path("security")).hasSize(2);
        assertThat(http.get("/metrics").status()).isEqualTo(200);
        for (String open : List.of("/healthz", "/openapi.json", "/metrics", "/schemas/ids/{id}")) {
            JsonNode get = doc.path("paths").path(open).path("get");
            assertThat(get.path("responses").has("401")).as(open).isFalse();
            assertThat(get.has("security")).as(open).isFalse();
        }
        // the edge answers 401 and 413 itself, in its own error shape, on the registry facade too
        JsonNode register = doc.path("paths").path("/subjects/{subject}/versions").path("post").path("responses");
        for (String status : List.of("401", "413")) {
            assertThat(register.path(status).path("content").path("application/json").path("schema").path("$ref")
                    .asText()).as(status).isEqualTo("#/components/schemas/Error");
        }
        assertThat(register.path("422").path("content").path(SchemaRegistryRoutes.CONTENT_TYPE).path("schema")
                .path("$ref").asText()).isEqualTo("#/components/schemas/" + SchemaRegistryRoutes.ERROR_SCHEMA);
    }

    /** @return "METHOD /path" of every route of the app (HEAD and OPTIONS aside) */
    static Set<String> registered(Javalin app) {
        Set<String> out = new TreeSet<>();
        app.unsafeConfig().pvt.internalRouter.allHttpHandlers().forEach(e -> {
            HandlerType m = e.getEndpoint().getMethod();
            if (m.isHttpMethod() && m != HandlerType.HEAD && m != HandlerType.OPTIONS) {
                out.add(m + " " + e.getEndpoint().getPath());
            }
        });
        return out;
    }

    /** @return "METHOD /path" of every operation of an OpenAPI document */
    static Set<String> described(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace").contains(method)) {
                    out.add(method.toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
            });
        }
        return out;
    }

    private static List<String> names(JsonNode parameters) {
        List<String> out = new ArrayList<>();
        parameters.forEach(p -> out.add(p.path("name").asText()));
        return out;
    }
}
