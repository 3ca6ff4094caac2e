package io.argus.extractor.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how an {@link S3FrameStore} reaches its bucket.
 *
 * <p>As a location string ({@link #parse}):
 * <pre>
 * s3://BUCKET[/PREFIX][?endpoint=URL][&amp;region=NAME][&amp;path_style=true|false]
 *                     [&amp;connect_timeout_ms=N][&amp;request_timeout_ms=N]
 * </pre>
 * <ul>
 *   <li>{@code BUCKET}: an S3 bucket name (3 to 63 characters of lower-case {@code a-z}, {@code 0-9},
 *       {@code .} and {@code -}, starting and ending with a letter or digit). The bucket must exist.</li>
 *   <li>{@code PREFIX}: optional key prefix, a valid {@link StoreKeys frame-store key} (e.g.
 *       {@code argus/frames}); every object of the store lives below {@code PREFIX/}.</li>
 *   <li>{@code endpoint}: URL of an S3-compatible server ({@code http} or {@code https}, no query), e.g.
 *       {@code http://minio.internal:9000}; absent for Amazon S3 itself.</li>
 *   <li>{@code region}: signing region; default the {@code AWS_REGION} environment variable, else
 *       {@code us-east-1} (what most S3-compatible servers expect).</li>
 *   <li>{@code path_style}: {@code true} addresses the bucket in the path
 *       ({@code http://host/bucket/key}) rather than the host name; default {@code true} when an
 *       endpoint is given, {@code false} otherwise.</li>
 *   <li>{@code connect_timeout_ms}: TCP connect timeout, milliseconds, default 5000.</li>
 *   <li>{@code request_timeout_ms}: limit of one HTTP attempt (and of a socket read), milliseconds,
 *       default 30000; a call with its retries is limited to three times this.</li>
 * </ul>
 * Credentials never appear in the location (a {@code user:secret@} part is refused): they come
 * from the AWS default chain (the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
 * properties, the {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} environment variables,
 * {@code ~/.aws/credentials}, container or instance roles), or from {@link #accessKey} and
 * {@link #secretKey} when a program sets them.
 *
 * @param bucket         bucket name
 * @param prefix         key prefix without leading or trailing slash, or "" for the bucket's root
 * @param endpoint       S3-compatible server URL, or null for Amazon S3
 * @param region         signing region, e.g. {@code us-east-1}
 * @param pathStyle      whether the bucket goes in the URL path rather than the host name
 * @param accessKey      access key id, or null for the default credentials chain
 * @param secretKey      secret access key; set exactly when {@code accessKey} is
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout limit of one HTTP attempt and of a socket read
 */
public record S3StoreConfig(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
                            String accessKey, String secretKey, Duration connectTimeout, Duration requestTimeout) {

    /** Default {@link #connectTimeout}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link #requestTimeout}: 30 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Region used when neither the location nor {@code AWS_REGION} names one. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final long MAX_TIMEOUT_MS = Duration.ofHours(1).toMillis();

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException when the bucket name, prefix, endpoint, region or a timeout
     *                                  is invalid, or only one of access key and secret is set
     * @throws NullPointerException     when bucket, prefix, region or a timeout is null
     */
    public S3StoreConfig {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("bad S3 bucket name '" + shown(bucket)
                    + "': 3 to 63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
        }
        if (!prefix.isEmpty() && !StoreKeys.validKey(prefix)) {
            throw new IllegalArgumentException("bad S3 frame-store prefix '" + shown(prefix)
                    + "': slash-separated segments of A-Z a-z 0-9 . _ - (no '.' or '..' segment, no empty segment)");
        }
        if (endpoint != null) {
            checkEndpoint(endpoint);
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("bad S3 region '" + shown(region) + "': e.g. us-east-1");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("S3 access key and secret key must be given together");
        }
        checkTimeout("connect timeout", connectTimeout);
        checkTimeout("request timeout", requestTimeout);
    }

    /**
     * A configuration with the default region, path style, timeouts and credentials chain.
     *
     * @param bucket   bucket name
     * @param prefix   key prefix, or "" for the bucket's root
     * @param endpoint S3-compatible server URL, or null for Amazon S3
     * @return the configuration
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static S3StoreConfig of(String bucket, String prefix, URI endpoint) {
        return new S3StoreConfig(bucket, prefix, endpoint, defaultRegion(), endpoint != null, null, null,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param accessKey access key id
     * @param secretKey secret access key
     * @return this configuration with explicit credentials instead of the default chain
     * @throws IllegalArgumentException when only one of them is null
     */
    public S3StoreConfig withCredentials(String accessKey, String secretKey) {
        return new S3StoreConfig(bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey, connectTimeout,
                requestTimeout);
    }

    /**
     * @param connect TCP connect timeout
     * @param request limit of one HTTP attempt and of a socket read
     * @return this configuration with other timeouts
     * @throws IllegalArgumentException when a timeout is not between 1 ms and 1 hour
     */
    public S3StoreConfig withTimeouts(Duration connect, Duration request) {
        return new S3StoreConfig(bucket, prefix, endpoint, region, pathStyle, accessKey, secretKey, connect, request);
    }

    /**
     * Parses an {@code s3://} location (format in the class comment).
     *
     * @param location e.g. {@code s3://argus-frames/prod?endpoint=http://10.0.0.5:9000}
     * @return the configuration, with credentials from the default chain
     * @throws IllegalArgumentException with a message naming the problem when the location is not
     *                                  a valid {@code s3://} URI, has credentials, a port, a fragment,
     *                                  an unknown, repeated or invalid parameter, or a bad bucket,
     *                                  prefix, endpoint, region or timeout
     */
    public static S3StoreConfig parse(String location) {
        Objects.requireNonNull(location, "location");
        if (location.regionMatches(true, 0, "s3://", 0, 5)
                && (location.length() == 5 || "/?#".indexOf(location.charAt(5)) >= 0)) {
            throw new IllegalArgumentException("S3 frame-store location without a bucket: '" + shownLocation(location)
                    + "' (expected s3://bucket[/prefix])");
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad S3 frame-store location '" + shownLocation(location) + "': "
                    + e.getReason());
        }
        if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
            throw new IllegalArgumentException("not an s3://bucket/prefix location: '" + shownLocation(location) + "'");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("S3 frame-store location without a bucket: '" + shownLocation(location)
                    + "' (expected s3://bucket[/prefix])");
        }
        if (authority.contains("@")) {
            throw new IllegalArgumentException("S3 frame-store location must not carry credentials ('user:secret@'):"
                    + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead");
        }
        if (authority.contains(":")) {
            throw new IllegalArgumentException("S3 frame-store location names a bucket, not a host:port: '"
                    + shown(authority) + "' (give the server as ?endpoint=http://host:port)");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("S3 frame-store location must not have a '#' fragment: '"
                    + shownLocation(location) + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String prefix = path.startsWith("/") ? path.substring(1) : path;
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        Map<String, String> params = params(uri.getRawQuery());
        URI endpoint = null;
        if (params.containsKey("endpoint")) {
            try {
                endpoint = new URI(params.get("endpoint"));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad S3 endpoint '" + shownLocation(params.get("endpoint")) + "': "
                        + e.getReason());
            }
        }
        String region = params.getOrDefault("region", defaultRegion());
        boolean pathStyle = endpoint != null;
        if (params.containsKey("path_style")) {
            pathStyle = switch (params.get("path_style").toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("bad path_style '" + shown(params.get("path_style"))
                        + "': true or false");
            };
        }
        Duration connect = millis(params, "connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT);
        Duration request = millis(params, "request_timeout_ms", DEFAULT_REQUEST_TIMEOUT);
        return new S3StoreConfig(authority, prefix, endpoint, region, pathStyle, null, null, connect, request);
    }

    /**
     * @return the location of this configuration in the {@link #parse} format, without credentials
     */
    public String location() {
        StringBuilder b = new StringBuilder("s3://").append(bucket);
        if (!prefix.isEmpty()) {
            b.append('/').append(prefix);
        }
        b.append("?region=").append(region).append("&path_style=").append(pathStyle);
        if (endpoint != null) {
            b.append("&endpoint=").append(endpoint);
        }
        if (!connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
            b.append("&connect_timeout_ms=").append(connectTimeout.toMillis());
        }
        if (!requestTimeout.equals(DEFAULT_REQUEST_TIMEOUT)) {
            b.append("&request_timeout_ms=").append(requestTimeout.toMillis());
        }
        return b.toString();
    }

    /** @return the configuration without the secret key */
    @Override
    public String toString() {
        return "S3StoreConfig[" + location() + (accessKey == null ? "" : ", accessKey=" + accessKey) + "]";
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad S3 frame-store parameter '" + shown(pair)
                        + "': expected name=value");
            }
            String name = decode(pair.substring(0, eq));
            String value = decode(pair.substring(eq + 1));
            if (!name.equals("endpoint") && !name.equals("region") && !name.equals("path_style")
                    && !name.equals("connect_timeout_ms") && !name.equals("request_timeout_ms")) {
                throw new IllegalArgumentException("unknown S3 frame-store parameter '" + shown(name)
                        + "': endpoint, region, path_style, connect_timeout_ms or request_timeout_ms");
            }
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("S3 frame-store parameter '" + name + "' given twice");
            }
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad percent-encoding in S3 frame-store parameter '" + shown(s) + "'");
        }
    }

    private static Duration millis(Map<String, String> params, String name, Duration fallback) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + name + " '" + shown(value) + "': a whole number of milliseconds");
        }
    }

    private static void checkTimeout(String what, Duration d) {
        if (d.toMillis() < 1 || d.toMillis() > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("S3 " + what + " must be between 1 ms and 1 hour, not " + d.toMillis()
                    + " ms");
        }
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || endpoint.isOpaque() || endpoint.getHost() == null) {
            throw new IllegalArgumentException("bad S3 endpoint '" + shownLocation(endpoint.toString())
                    + "': expected http://host[:port] or https://host[:port]");
        }
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("S3 endpoint must not carry credentials: set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY instead");
        }
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("S3 endpoint must not have a query or fragment: '"
                    + shown(endpoint.toString()) + "'");
        }
    }

    private static String defaultRegion() {
        String env = System.getenv("AWS_REGION");
        return env == null || env.isBlank() ? DEFAULT_REGION : env.trim();
    }

    /**
     * @return a location for a message or a log: any {@code user:secret@} part replaced by
     *         {@code ***@}, then as {@link #shown}
     */
    static String shownLocation(String location) {
        return shown(location.replaceFirst("^([^:/?#]*://)[^/?#]*@", "$1***@"));
    }

    /** At most 100 characters, control characters escaped: safe to put in a message or a log. */
    static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 100); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 100 ? b + "…" : b.toString();
    }
}
