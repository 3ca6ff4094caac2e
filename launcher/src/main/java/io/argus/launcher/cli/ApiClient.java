package io.argus.launcher.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client of a running server's HTTP API, for {@code argus analyze} and {@code argus results}
 * when a server holds the data directory. It sends the key in the environment variable
 * {@value #KEY_ENV} as {@code Authorization: Bearer <key>} when set (a server with API keys
 * answers 401 without one).
 */
final class ApiClient {

    /** Environment variable holding the API key clients send. */
    static final String KEY_ENV = "ARGUS_API_KEY";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param base the server's base URL, e.g. {@code http://127.0.0.1:8080}
     * @param key  the API key to send, or null
     */
    ApiClient(String base, String key) {
        this.base = base.replaceAll("/+$", "");
        this.key = key == null || key.isBlank() ? null : key.trim();
    }

    /**
     * @param base the server's base URL
     * @return a client sending the key of {@value #KEY_ENV}, if any
     */
    static ApiClient fromEnvironment(String base) {
        return new ApiClient(base, System.getenv(KEY_ENV));
    }

    /** @return the server's base URL */
    String base() {
        return base;
    }

    /**
     * An answer: HTTP status and JSON body ({@code null} when the body is not JSON).
     *
     * @param status the HTTP status
     * @param body   the parsed body
     */
    record Answer(int status, JsonNode body) {
        /** @return the body's {@code error} (and {@code detail}), or the status */
        String error() {
            if (body == null || !body.has("error")) {
                return "HTTP " + status;
            }
            return body.path("error").asText() + (body.has("detail") ? " (" + body.path("detail").asText() + ")" : "");
        }
    }

    /**
     * @param path a path below the base URL, e.g. {@code /v1/jobs/video/ID}
     * @return the answer
     * @throws UserException (exit 1) when the server cannot be reached, or answers 401
     */
    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /**
     * @param path a path below the base URL
     * @param json the request body
     * @return the answer
     * @throws UserException (exit 1) when the server cannot be reached, or answers 401
     */
    Answer postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Answer send(HttpRequest.Builder request) {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            if (r.statusCode() == 401) {
                throw new UserException(1, "the server at " + base + " requires an API key: set " + KEY_ENV
                        + " to one of its keys");
            }
            return new Answer(r.statusCode(), body);
        } catch (IOException e) {
            throw new UserException(1, "cannot reach the server at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException(130, "interrupted");
        }
    }
}
