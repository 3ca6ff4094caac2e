package io.argus.edge.hooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import io.argus.schemas.avro.HookCall;

/**
 * Delivers hook calls over HTTP with {@link java.net.http.HttpClient} (HTTP/1.1, redirects not
 * followed). One attempt is a {@code POST} of the rendered body to {@code call.url} with headers:
 * <ul>
 *   <li>{@code Content-Type: application/json}</li>
 *   <li>{@code Idempotency-Key: <call.idempotency_key>} (stable over attempts and restarts)</li>
 *   <li>{@code X-Argus-Hook: segment|op-result|result}</li>
 *   <li>{@code X-Argus-Attempt: <n>} (1-based)</li>
 *   <li>{@code X-Argus-Signature: t=<unix seconds>,v1=<hex>} when a secret is configured
 *       ({@link HookSignature}; signed anew at each attempt)</li>
 * </ul>
 * The whole attempt (connect, send, answer) is bounded by {@link HookSettings#attemptTimeout()};
 * the answer's body is discarded. The answer is classified by {@link RetryPolicy#classify}; I/O
 * errors and timeouts are retryable; a URL that is not absolute http(s) gives up at once.
 * Thread-safe.
 */
public final class HookClient implements HookTransport {

    /** Header naming the kind of call. */
    public static final String KIND_HEADER = "X-Argus-Hook";
    /** Header numbering the attempt, from 1. */
    public static final String ATTEMPT_HEADER = "X-Argus-Attempt";
    /** Header carrying the call's idempotency key. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final HookSettings settings;
    private final HttpClient http;
    private final LongSupplier clockMs;

    /** @param settings attempt timeout and signing secret */
    public HookClient(HookSettings settings) {
        this(settings, System::currentTimeMillis);
    }

    /**
     * @param settings attempt timeout and signing secret
     * @param clockMs  current time for signatures, ms since the epoch
     */
    public HookClient(HookSettings settings, LongSupplier clockMs) {
        this.settings = settings;
        this.clockMs = clockMs;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.attemptTimeout())
                .build();
    }

    /**
     * @param call    the call
     * @param body    its rendered body
     * @param attempt 1-based attempt number
     * @return the request of that attempt
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public HttpRequest request(HookCall call, byte[] body, int attempt) {
        URI uri = target(call.getUrl());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(settings.attemptTimeout())
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_HEADER, call.getIdempotencyKey())
                .header(KIND_HEADER, HookBodies.kindName(call.getKind()))
                .header(ATTEMPT_HEADER, Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.secret() != null) {
            b.header(HookSignature.HEADER, HookSignature.sign(settings.secret(), clockMs.getAsLong() / 1000, body));
        }
        return b.build();
    }

    @Override
    public AttemptResult attempt(HookCall call, byte[] body, int attempt) {
        HttpRequest request;
        try {
            request = request(call, body, attempt);
        } catch (IllegalArgumentException e) {
            return AttemptResult.hopeless("bad URL: " + e.getMessage());
        }
        long timeoutMs = settings.attemptTimeout().toMillis();
        CompletableFuture<HttpResponse<Void>> f = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            HttpResponse<Void> r = f.get(timeoutMs, TimeUnit.MILLISECONDS);
            return AttemptResult.ofStatus(r.statusCode(), retryAfter(r).orElse(null));
        } catch (TimeoutException e) {
            f.cancel(true);
            return AttemptResult.ioError("timeout after " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof HttpTimeoutException) {
                return AttemptResult.ioError("timeout after " + timeoutMs + " ms");
            }
            // I/O errors (refused, reset, closed) and anything else the client raises: retryable
            return AttemptResult.ioError(describe(c));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return AttemptResult.ioError("interrupted");
        }
    }

    private static URI target(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty URL");
        }
        try {
            URI u = new URI(url.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL: " + url);
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** @return {@code Retry-After} as seconds or an HTTP date, when present and valid */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        Optional<String> v = r.headers().firstValue("Retry-After");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = v.get().trim();
        try {
            long seconds = Long.parseLong(s);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.ofMillis(at.toInstant().toEpochMilli() - System.currentTimeMillis());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
