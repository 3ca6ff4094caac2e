package io.argus.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client for a registry that speaks the Confluent Schema Registry REST API (v1): Confluent's
 * own, Karapace, Apicurio's {@code /apis/ccompat/v7}, or Argus's embedded facade.
 *
 * <p>Only the two calls the wire format needs are made; results are cached, as schemas under
 * an id never change. Basic auth can be passed in the base URL's user-info.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndText = new ConcurrentHashMap<>();

    /**
     * @param baseUrl registry URL, e.g. {@code http://registry:8081} (no trailing path needed)
     * @param timeout per-request timeout
     */
    public RestSchemaRegistry(String baseUrl, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        String key = subject + '\n' + schema;
        Integer cached = idBySubjectAndText.get(key);
        if (cached != null) {
            return cached;
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SchemaRegistryException("Cannot encode schema for " + subject, e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(
                        "subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
                .timeout(timeout)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        int id = send(request, "register under " + subject).path("id").asInt(-1);
        if (id <= 0) {
            throw new SchemaRegistryException("Registry gave no id for subject " + subject);
        }
        idBySubjectAndText.put(key, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("schemas/ids/" + id))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        JsonNode answer = send(request, "fetch schema " + id);
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("Registry answer for schema " + id + " has no schema");
        }
        Schema schema = new Schema.Parser().parse(text);
        byId.putIfAbsent(id, schema);
        return byId.get(id);
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new SchemaRegistryException("Schema registry refused to " + what + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " unreachable to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while trying to " + what, e);
        }
    }
}
