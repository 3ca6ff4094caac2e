package io.argus.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.edge.request.JobRequestParser;
import io.argus.edge.security.ApiKeys;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.registry.RestSchemaRegistry;
import io.argus.schemas.registry.SchemaRegistryException;
import io.argus.schemas.serde.ConfluentAvroSerde;

/**
 * The REST registry client against the edge's registry facade when the edge requires API keys:
 * a stage pointed at the edge registers its schemas with a key and is refused without one.
 */
class SchemaRegistryAuthTest {

    private static final String KEY = "k-0123456789abcdef-registry";
    private static final String WRONG_KEY = "k-0123456789abcdef-wrong-one";

    private InMemorySchemaRegistry registry;
    private JobView view;
    private EdgeServer server;
    private String base;

    @BeforeEach
    void start() {
        registry = new InMemorySchemaRegistry();
        view = new JobView();
        server = new EdgeServer(ApiKeys.of(List.of(KEY)), Duration.ofSeconds(3), List.of(new JobRoutes(
                new RecordingSink(), new RecordingControlSink(), new JobRequestParser(Set.of("pulp")), view,
                Duration.ofSeconds(1), JobRoutes.DEFAULT_KILL_WAIT, Map.of()), new SchemaRegistryRoutes(registry)));
        base = "http://127.0.0.1:" + server.start(0);
    }

    @AfterEach
    void stop() {
        server.stop();
        view.close();
    }

    @Test
    void registeringWithoutAKeyIs401WithAClearMessage() {
        RestSchemaRegistry anonymous = new RestSchemaRegistry(base, Duration.ofSeconds(5));
        assertThatThrownBy(() -> anonymous.register("argus.job-status-value", JobStatus.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("register under argus.job-status-value")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("needs credentials")
                .hasMessageContaining("unauthorized");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void registeringWithTheKeyWorksAndReadsStayOpen() {
        RestSchemaRegistry keyed = new RestSchemaRegistry(base, Duration.ofSeconds(5), KEY);
        int id = keyed.register("argus.job-status-value", JobStatus.getClassSchema());
        assertThat(id).isPositive();
        assertThat(registry.schemaById(id)).isEqualTo(JobStatus.getClassSchema());
        assertThat(registry.subjects()).containsExactly("argus.job-status-value");

        // deserializers read schemas by id without a key
        assertThat(new RestSchemaRegistry(base, Duration.ofSeconds(5)).schemaById(id))
                .isEqualTo(JobStatus.getClassSchema());

        // a producer's serializer registers through the keyed client
        JobStatus status = JobStatus.newBuilder().setJobId("j").setVideoId("v").setStatus(JobState.DOING)
                .setRequestJson("{}").setCreatedAt(1).setUpdatedAt(2).setOps(List.of("pulp")).build();
        byte[] bytes = new ConfluentAvroSerde<>(new RestSchemaRegistry(base, Duration.ofSeconds(5), KEY), JobStatus.class)
                .serializer().serialize("argus.job-status", status);
        assertThat(new ConfluentAvroSerde<>(registry, JobStatus.class).deserializer()
                .deserialize("argus.job-status", bytes)).isEqualTo(status);
    }

    @Test
    void aWrongKeyIs401AndNeverShown() {
        RestSchemaRegistry wrong = new RestSchemaRegistry(base, Duration.ofSeconds(5), WRONG_KEY);
        assertThatThrownBy(() -> wrong.register("t-value", JobStatus.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("did not accept the API key")
                .hasMessageNotContaining(WRONG_KEY);
        assertThat(wrong.toString()).doesNotContain(WRONG_KEY);
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void theEdgeTakesItsKeyAsBearerNotAsBasicUserInfo() {
        // Basic authentication is for Confluent-compatible registries; the edge accepts Bearer keys only
        RestSchemaRegistry basic = new RestSchemaRegistry(base.replace("http://", "http://argus:" + KEY + "@"),
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> basic.register("t-value", JobStatus.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageNotContaining(KEY);
        assertThat(registry.subjects()).isEmpty();
    }
}
