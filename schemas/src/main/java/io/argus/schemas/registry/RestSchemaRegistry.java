package io.argus.schemas.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
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
 * an id never change.
 *
 * <p>Credentials, sent with every request when given:
 * <ul>
 *   <li>an API key ({@link #RestSchemaRegistry(String, Duration, String)}), sent as
 *       {@code Authorization: Bearer <key>}: what the Argus edge's registry facade accepts when it
 *       requires API keys (it needs one to register a schema);</li>
 *   <li>user-info in the base URL, {@code http://user:password@registry:8081}, sent as HTTP Basic
 *       authentication (RFC 7617, UTF-8), as Confluent-compatible registries expect; percent-escapes
 *       in the user-info are decoded, and the password is everything after the first {@code :}.</li>
 * </ul>
 * Only one of the two may be given. Credentials never appear in logs, exception messages or
 * {@link #toString()}: the URL is shown without its user-info, and a registry answer quoted in an
 * exception message has any credential it echoes masked.
 */
public final class RestSchemaRegistry implements SchemaRegistry {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest part of a registry's answer quoted in an exception message. */
    private static final int MAX_QUOTED_BODY = 500;
    /** Shortest secret masked in a quoted answer; with a shorter one the answer is not quoted. */
    private static final int MIN_MASKED_SECRET = 4;

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    /** The {@code Authorization} header value, or null without credentials. Never shown. */
    private final String authorization;
    /** The secret as it could be echoed back (key, password), or null. Never shown. */
    private final String secret;
    private final String scheme;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> idBySubjectAndText = new ConcurrentHashMap<>();

    /**
     * A client without an API key; user-info in the URL, if any, is sent as Basic authentication.
     *
     * @param baseUrl registry URL, e.g. {@code http://registry:8081} or
     *                {@code https://user:password@registry:8081} (no trailing path needed)
     * @param timeout per-request timeout
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host (the
     *                                  message shows it without its user-info)
     */
    public RestSchemaRegistry(String baseUrl, Duration timeout) {
        this(baseUrl, timeout, null);
    }

    /**
     * A client sending an API key as {@code Authorization: Bearer <key>} with every request.
     *
     * @param baseUrl registry URL, e.g. {@code http://edge-1:8080} (no trailing path needed); it may
     *                carry user-info for Basic authentication only when {@code apiKey} is absent
     * @param timeout per-request timeout
     * @param apiKey  the key, or null or blank for none (surrounding blanks are trimmed)
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host, when
     *                                  both an API key and user-info are given, or when the key holds
     *                                  characters other than printable ASCII without blanks (no
     *                                  message ever contains the key or the password)
     */
    public RestSchemaRegistry(String baseUrl, Duration timeout, String apiKey) {
        URI parsed;
        try {
            parsed = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid schema registry URL " + redact(baseUrl) + ": " + e.getReason());
        }
        String s = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!(s.equals("http") || s.equals("https")) || parsed.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL must be an absolute http(s) URL with a host: "
                    + redact(baseUrl));
        }
        String rawUserInfo = parsed.getRawUserInfo();
        String authority = parsed.getRawAuthority();
        String hostPort = rawUserInfo == null ? authority : authority.substring(rawUserInfo.length() + 1);
        String path = parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
        this.base = URI.create(s + "://" + hostPort + (path.endsWith("/") ? path : path + "/"));

        String key = apiKey == null ? "" : apiKey.strip();
        if (!key.isEmpty()) {
            if (rawUserInfo != null) {
                throw new IllegalArgumentException("give the schema registry either an API key or user-info in its URL, "
                        + "not both: " + base);
            }
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new IllegalArgumentException("the schema registry API key must be printable ASCII without "
                            + "blanks (character " + (i + 1) + " is not)");
                }
            }
            this.authorization = "Bearer " + key;
            this.secret = key;
            this.scheme = "bearer";
        } else if (rawUserInfo != null) {
            String userInfo = parsed.getUserInfo();
            int colon = userInfo.indexOf(':');
            String pair = colon >= 0 ? userInfo : userInfo + ":";
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            this.secret = colon >= 0 && colon + 1 < userInfo.length() ? userInfo.substring(colon + 1) : null;
            this.scheme = "basic";
        } else {
            this.authorization = null;
            this.secret = null;
            this.scheme = "none";
        }
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** @return the registry URL without credentials, e.g. {@code http://registry:8081/} */
    public URI baseUrl() {
        return base;
    }

    /** @return true when requests carry credentials (an API key or Basic authentication) */
    public boolean authenticates() {
        return authorization != null;
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
        HttpRequest request = request(base.resolve(
                        "subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
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
        HttpRequest request = request(base.resolve("schemas/ids/" + id)).GET().build();
        JsonNode answer = send(request, "fetch schema " + id);
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("Registry answer for schema " + id + " has no schema");
        }
        Schema schema = new Schema.Parser().parse(text);
        byId.putIfAbsent(id, schema);
        return byId.get(id);
    }

    /** @return e.g. {@code RestSchemaRegistry[http://registry:8081/, auth=basic]}; never the credentials */
    @Override
    public String toString() {
        return "RestSchemaRegistry[" + base + ", auth=" + scheme + "]";
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", CONTENT_TYPE);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 != 2) {
                throw new SchemaRegistryException("Schema registry at " + base + " refused to " + what + ": HTTP "
                        + status + authHint(status) + " " + quote(response.body()));
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " unreachable to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while trying to " + what, e);
        }
    }

    private String authHint(int status) {
        if (status == 401) {
            return switch (scheme) {
                case "bearer" -> " (unauthorized: the registry did not accept the API key)";
                case "basic" -> " (unauthorized: the registry did not accept the user and password of its URL)";
                default -> " (unauthorized: the registry needs credentials; give an API key, sent as "
                        + "Authorization: Bearer, or user:password@ in the registry URL)";
            };
        }
        if (status == 403) {
            return " (forbidden: the credentials are not allowed to do this)";
        }
        return "";
    }

    /**
     * A registry's answer, shortened, with any credential it echoes masked; left out when the
     * secret is too short to mask without hinting at it.
     */
    private String quote(String body) {
        if (body == null || (secret != null && secret.length() < MIN_MASKED_SECRET)) {
            return "";
        }
        String b = body;
        if (authorization != null) {
            b = b.replace(authorization.substring(authorization.indexOf(' ') + 1), "***");
        }
        if (secret != null) {
            b = b.replace(secret, "***");
        }
        return b.length() > MAX_QUOTED_BODY ? b.substring(0, MAX_QUOTED_BODY) + "…" : b;
    }

    /** A URL as text with its user-info, if any, replaced by {@code ***}. */
    static String redact(String url) {
        if (url == null) {
            return "null";
        }
        int sep = url.indexOf("://");
        int start = sep < 0 ? 0 : sep + 3;
        int end = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        return at >= start ? url.substring(0, start) + "***@" + url.substring(at + 1) : url;
    }
}
