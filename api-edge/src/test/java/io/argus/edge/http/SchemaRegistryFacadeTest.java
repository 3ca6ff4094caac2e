package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.security.ApiKeys;
import io.argus.edge.request.JobRequestParser;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.registry.SchemaRegistryException;
import io.argus.schemas.serde.ConfluentAvroSerde;

class SchemaRegistryFacadeTest {

    private InMemorySchemaRegistry registry;
    private EdgeServer server;
    private String base;
    private Http http;

    @BeforeEach
    void start() {
        registry = new InMemorySchemaRegistry();
        server = new EdgeServer(ApiKeys.open(), Duration.ofSeconds(3), List.of(new JobRoutes(new RecordingSink(),
                new RecordingControlSink(), new JobRequestParser(Set.of("pulp")), new JobView(), Duration.ofSeconds(1),
                JobRoutes.DEFAULT_KILL_WAIT, Map.of()), new SchemaRegistryRoutes(registry)));
        int port = server.start(0);
        base = "http://127.0.0.1:" + port;
        http = new Http(port);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private RestSchemaRegistry client() {
        return new RestSchemaRegistry(base, Duration.ofSeconds(5));
    }

    @Test
    void registerFetchAndReRegisterThroughTheRestClient() {
        Schema status = JobStatus.getClassSchema();
        int id = client().register("argus.job-status-value", status);
        assertThat(id).isPositive();
        assertThat(registry.schemaById(id)).isEqualTo(status);

        // fresh clients: no cache
        assertThat(client().schemaById(id)).isEqualTo(status);
        assertThat(client().register("argus.job-status-value", status)).isEqualTo(id);

        int other = client().register("argus.op-results-value", OpResult.getClassSchema());
        assertThat(other).isNotEqualTo(id);
        assertThat(client().schemaById(other)).isEqualTo(OpResult.getClassSchema());
        assertThat(registry.subjects()).containsExactly("argus.job-status-value", "argus.op-results-value");
    }

    @Test
    void unknownIdIs404WithTheRegistryErrorShape() throws Exception {
        assertThatThrownBy(() -> client().schemaById(999))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("404");
        Http.Answer a = http.get("/schemas/ids/999");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.contentType()).startsWith(SchemaRegistryRoutes.CONTENT_TYPE);
        assertThat(a.json().get("error_code").asInt()).isEqualTo(40403);
        assertThat(a.json().get("message").asText()).isEqualTo("Schema not found");
        assertThat(http.get("/schemas/ids/abc").status()).isEqualTo(404);
    }

    @Test
    void subjectsAndVersionsAreListed() throws Exception {
        Schema v1 = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
        Schema v2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":["
                + "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}");
        int id1 = client().register("t-value", v1);
        int id2 = client().register("t-value", v2);

        Http.Answer subjects = http.get("/subjects");
        assertThat(subjects.status()).isEqualTo(200);
        assertThat(subjects.contentType()).startsWith(SchemaRegistryRoutes.CONTENT_TYPE);
        assertThat(subjects.json().get(0).asText()).isEqualTo("t-value");

        JsonNode versions = http.get("/subjects/t-value/versions").json();
        assertThat(versions.toString()).isEqualTo("[1,2]");

        JsonNode latest = http.get("/subjects/t-value/versions/latest").json();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText())).isEqualTo(v2);
        assertThat(http.get("/subjects/t-value/versions/1").json().get("id").asInt()).isEqualTo(id1);

        Http.Answer missingVersion = http.get("/subjects/t-value/versions/3");
        assertThat(missingVersion.status()).isEqualTo(404);
        assertThat(missingVersion.json().get("error_code").asInt()).isEqualTo(40402);
        Http.Answer missingSubject = http.get("/subjects/nope/versions");
        assertThat(missingSubject.status()).isEqualTo(404);
        assertThat(missingSubject.json().get("error_code").asInt()).isEqualTo(40401);
    }

    @Test
    void lookupFindsARegisteredSchemaUnderItsSubject() throws Exception {
        int id = client().register("s-value", JobStatus.getClassSchema());
        String body = Http.JSON.writeValueAsString(java.util.Map.of("schema", JobStatus.getClassSchema().toString()));
        Http.Answer found = http.post("/subjects/s-value", body);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("id").asInt()).isEqualTo(id);
        assertThat(found.json().get("version").asInt()).isEqualTo(1);
        String other = Http.JSON.writeValueAsString(java.util.Map.of("schema", OpResult.getClassSchema().toString()));
        assertThat(http.post("/subjects/s-value", other).json().get("error_code").asInt()).isEqualTo(40403);
    }

    @Test
    void invalidSchemasAre422() throws Exception {
        Http.Answer notJson = http.post("/subjects/x-value/versions", "{");
        assertThat(notJson.status()).isEqualTo(422);
        assertThat(notJson.json().get("error_code").asInt()).isEqualTo(42201);
        Http.Answer badAvro = http.post("/subjects/x-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}");
        assertThat(badAvro.status()).isEqualTo(422);
        // a bare undefined name: Avro throws a NullPointerException naming its internal class
        Http.Answer bareName = http.post("/subjects/x-value/versions", "{\"schema\":\"\\\"Foo\\\"\"}");
        assertThat(bareName.status()).isEqualTo(422);
        assertThat(bareName.json().get("message").asText()).startsWith("Invalid schema: ")
                .doesNotContain("Exception").doesNotContain("org.apache");
        Http.Answer protobuf = http.post("/subjects/x-value/versions",
                "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        assertThat(protobuf.status()).isEqualTo(422);
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void recordsWrittenThroughTheFacadeDecodeWithTheEmbeddedRegistry() {
        JobStatus status = JobStatus.newBuilder().setJobId("j").setVideoId("v").setStatus(JobState.DOING)
                .setRequestJson("{}").setCreatedAt(1).setUpdatedAt(2).setOps(List.of("pulp")).build();
        ConfluentAvroSerde<JobStatus> remote = new ConfluentAvroSerde<>(client(), JobStatus.class);
        byte[] bytes = remote.serializer().serialize("argus.job-status", status);
        assertThat(bytes[0]).isEqualTo(ConfluentAvroSerde.MAGIC);

        ConfluentAvroSerde<JobStatus> local = new ConfluentAvroSerde<>(registry, JobStatus.class);
        assertThat(local.deserializer().deserialize("argus.job-status", bytes)).isEqualTo(status);
        assertThat(registry.subjects()).containsExactly("argus.job-status-value");
    }
}
