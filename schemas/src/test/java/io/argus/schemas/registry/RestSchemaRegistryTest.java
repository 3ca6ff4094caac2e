package io.argus.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The REST registry client's credentials over real HTTP, against a small registry stand-in that
 * records what it receives and answers as it is told.
 */
class RestSchemaRegistryTest {

    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    private static final String KEY = "reg-key-0123456789abcdef";

    /** One request as the stand-in saw it. */
    private record Seen(String method, String path, String authorization) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"id\":7}";
    private HttpServer server;
    private String hostPort;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        hostPort = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Authorization")));
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutCredentialsNoAuthorizationIsSent() {
        RestSchemaRegistry registry = new RestSchemaRegistry("http://" + hostPort, Duration.ofSeconds(5));
        assertThat(registry.register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(seen).containsExactly(new Seen("POST", "/subjects/t-value/versions", null));
        assertThat(registry.authenticates()).isFalse();
        assertThat(registry).hasToString("RestSchemaRegistry[http://" + hostPort + "/, auth=none]");
    }

    @Test
    void anApiKeyIsSentAsBearerOnEveryRequest() {
        RestSchemaRegistry registry = new RestSchemaRegistry("http://" + hostPort + "/", Duration.ofSeconds(5),
                "  " + KEY + " ");
        assertThat(registry.register("t-value", SCHEMA)).isEqualTo(7);
        answer = "{\"schema\":\"\\\"int\\\"\"}";
        assertThat(registry.schemaById(9)).isEqualTo(Schema.create(Schema.Type.INT));
        assertThat(seen).extracting(Seen::authorization).containsExactly("Bearer " + KEY, "Bearer " + KEY);
        assertThat(seen).extracting(Seen::path).containsExactly("/subjects/t-value/versions", "/schemas/ids/9");
        assertThat(registry.authenticates()).isTrue();
        assertThat(registry.toString()).doesNotContain(KEY).endsWith("auth=bearer]");
    }

    @Test
    void aBlankApiKeyMeansNone() {
        RestSchemaRegistry registry = new RestSchemaRegistry("http://" + hostPort, Duration.ofSeconds(5), "  ");
        registry.register("t-value", SCHEMA);
        assertThat(seen.get(0).authorization()).isNull();
    }

    @Test
    void userInfoInTheUrlIsSentAsBasicAndLeftOutOfTheUrl() {
        // percent-escapes are decoded; the password runs from the first colon on
        RestSchemaRegistry registry = new RestSchemaRegistry("http://svc-user:p%40ss:w0rd@" + hostPort + "/ccompat",
                Duration.ofSeconds(5));
        assertThat(registry.register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(seen).containsExactly(new Seen("POST", "/ccompat/subjects/t-value/versions",
                basic("svc-user:p@ss:w0rd")));
        assertThat(registry.baseUrl()).hasToString("http://" + hostPort + "/ccompat/");
        assertThat(registry.toString()).doesNotContain("p@ss", "p%40ss", "svc-user").endsWith("auth=basic]");
    }

    @Test
    void aUserWithoutPasswordSendsAnEmptyPassword() {
        new RestSchemaRegistry("http://token@" + hostPort, Duration.ofSeconds(5)).register("t-value", SCHEMA);
        assertThat(seen.get(0).authorization()).isEqualTo(basic("token:"));
    }

    @Test
    void a401WithoutCredentialsSaysWhatIsMissing() {
        status = 401;
        answer = "{\"error_code\":401,\"message\":\"Unauthorized\"}";
        RestSchemaRegistry registry = new RestSchemaRegistry("http://" + hostPort, Duration.ofSeconds(5));
        assertThatThrownBy(() -> registry.register("t-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("needs credentials")
                .hasMessageContaining("Unauthorized");
    }

    @Test
    void a401WithCredentialsNeverShowsThem() {
        status = 401;
        // a registry (or proxy) that echoes what it was sent
        answer = "{\"message\":\"bad credentials " + basic("svc:s3cret-pass").substring(6) + " s3cret-pass\"}";
        RestSchemaRegistry basicAuth = new RestSchemaRegistry("http://svc:s3cret-pass@" + hostPort, Duration.ofSeconds(5));
        assertThatThrownBy(() -> basicAuth.register("t-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("did not accept the user and password")
                .hasMessageContaining("bad credentials ***")
                .hasMessageNotContaining("s3cret-pass")
                .hasMessageNotContaining(basic("svc:s3cret-pass").substring(6));

        answer = "{\"message\":\"bad key " + KEY + "\"}";
        RestSchemaRegistry bearer = new RestSchemaRegistry("http://" + hostPort, Duration.ofSeconds(5), KEY);
        assertThatThrownBy(() -> bearer.register("t-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("did not accept the API key")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void anUnreachableRegistryIsNamedWithoutItsCredentials() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        RestSchemaRegistry registry = new RestSchemaRegistry("http://svc:s3cret-pass@127.0.0.1:" + closed,
                Duration.ofSeconds(5));
        assertThatThrownBy(() -> registry.schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("http://127.0.0.1:" + closed + "/")
                .hasMessageNotContaining("s3cret-pass");
    }

    @Test
    void badConfigurationIsRefusedWithoutShowingSecrets() {
        assertThatThrownBy(() -> new RestSchemaRegistry("http://svc:s3cret-pass@" + hostPort, Duration.ofSeconds(5), KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both")
                .hasMessageNotContaining("s3cret-pass")
                .hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> new RestSchemaRegistry("http://" + hostPort, Duration.ofSeconds(5), "abc\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("printable ASCII")
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> new RestSchemaRegistry("http://svc:s3cret pass@" + hostPort, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://***@" + hostPort)
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new RestSchemaRegistry("ftp://svc:s3cret-pass@" + hostPort, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute http(s) URL")
                .hasMessageNotContaining("s3cret");
        assertThat(seen).isEmpty();
    }

    @Test
    void redactHidesUserInfoOnly() {
        assertThat(RestSchemaRegistry.redact("http://u:p@h:1/x@y")).isEqualTo("http://***@h:1/x@y");
        assertThat(RestSchemaRegistry.redact("http://h:1/x@y")).isEqualTo("http://h:1/x@y");
        assertThat(RestSchemaRegistry.redact("u:p@h")).isEqualTo("***@h");
    }
}
