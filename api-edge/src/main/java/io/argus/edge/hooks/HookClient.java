package io.argus.edge.hooks;

import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.net.Redaction;
import io.argus.schemas.net.UrlGuard;

/**
 * Delivers hook calls over HTTP with {@link java.net.http.HttpClient} (HTTP/1.1, the client's own
 * redirect handling off). One attempt is a {@code POST} of the rendered body to {@code call.url} with headers:
 * <ul>
 *   <li>{@code Content-Type: application/json}</li>
 *   <li>{@code Idempotency-Key: <call.idempotency_key>} (stable over attempts and restarts)</li>
 *   <li>{@code X-Argus-Hook: segment|op-result|result}</li>
 *   <li>{@code X-Argus-Attempt: <n>} (1-based)</li>
 *   <li>{@code X-Argus-Signature: t=<unix seconds>,v1=<hex>} when a secret is configured
 *       ({@link HookSignature}; signed anew at each attempt)</li>
 * </ul>
 * The whole attempt (connect, send, answer, redirects) is bounded by
 * {@link HookSettings#attemptTimeout()} up to the answer's status line and headers. The status
 * decides: the answer is classified by {@link RetryPolicy#classify} as soon as its headers are in;
 * its body is discarded, read at most {@value #MAX_ANSWER_BYTES} bytes and for at most
 * {@link #ANSWER_BODY_WAIT}, then let go (so a receiver that answers 200 and sends its body slowly
 * has the call delivered, not retried). I/O errors and timeouts before the headers are retryable;
 * a URL that is not absolute http(s) gives up at once.
 *
 * <p>Server-side request forgery (OWASP SSRF Prevention Cheat Sheet): before each attempt the URL
 * is checked again by the {@link UrlGuard} (its host's addresses may have changed since the job
 * was accepted); a refused URL gives up at once (dead-lettered, not retried). An unresolvable host
 * is left to the HTTP client, whose failure is a retryable I/O error. Redirects are followed by
 * hand, up to {@value UrlGuard#MAX_REDIRECTS} per attempt, each hop checked by the guard before it
 * is contacted: {@code 301}, {@code 302}, {@code 307} and {@code 308} are followed with the same
 * {@code POST}, body and headers (a hook call has no meaning as a GET; RFC 9110 section 15.4 lets
 * 301/302 keep the method and requires it for 307/308); {@code 303} and other 3xx are not followed
 * and give up like any other non-retryable answer. A redirect to a refused address, to a scheme
 * other than http(s), without a usable {@code Location}, or one hop too many gives up at once.
 * Thread-safe.
 */
public final class HookClient implements HookTransport {

    /** Header naming the kind of call. */
    public static final String KIND_HEADER = "X-Argus-Hook";
    /** Header numbering the attempt, from 1. */
    public static final String ATTEMPT_HEADER = "X-Argus-Attempt";
    /** Header carrying the call's idempotency key. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /** Most bytes of an answer's body read before the connection is let go: 4 KiB. */
    public static final int MAX_ANSWER_BYTES = 4096;
    /**
     * Longest wait for the rest of an answer's body once its status line and headers are in: 1 s
     * (within the attempt timeout). The body is then let go (its connection closed).
     */
    public static final Duration ANSWER_BODY_WAIT = Duration.ofSeconds(1);

    /** Redirect statuses followed, keeping the method and the body. */
    public static final Set<Integer> FOLLOWED_REDIRECTS = Set.of(301, 302, 307, 308);

    private final HookSettings settings;
    private final HttpClient http;
    private final LongSupplier clockMs;
    private final UrlGuard guard;

    /**
     * A client checking no address ({@link UrlGuard#allowAll()}).
     *
     * @param settings attempt timeout and signing secret
     */
    public HookClient(HookSettings settings) {
        this(settings, System::currentTimeMillis, UrlGuard.allowAll());
    }

    /**
     * @param settings attempt timeout and signing secret
     * @param guard    which addresses hook URLs and their redirects may have
     */
    public HookClient(HookSettings settings, UrlGuard guard) {
        this(settings, System::currentTimeMillis, guard);
    }

    /**
     * A client checking no address ({@link UrlGuard#allowAll()}).
     *
     * @param settings attempt timeout and signing secret
     * @param clockMs  current time for signatures, ms since the epoch
     */
    public HookClient(HookSettings settings, LongSupplier clockMs) {
        this(settings, clockMs, UrlGuard.allowAll());
    }

    /**
     * @param settings attempt timeout and signing secret
     * @param clockMs  current time for signatures, ms since the epoch
     * @param guard    which addresses hook URLs and their redirects may have
     */
    public HookClient(HookSettings settings, LongSupplier clockMs, UrlGuard guard) {
        this.settings = settings;
        this.clockMs = clockMs;
        this.guard = Objects.requireNonNull(guard, "guard");
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
        return request(call, target(call.getUrl()), body, attempt, settings.attemptTimeout());
    }

    private HttpRequest request(HookCall call, URI uri, byte[] body, int attempt, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
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
        URI uri;
        try {
            uri = target(call.getUrl());
        } catch (IllegalArgumentException e) {
            return AttemptResult.hopeless("bad URL: " + e.getMessage());
        }
        long timeoutMs = settings.attemptTimeout().toMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int hop = 0; ; hop++) {
            UrlGuard.Decision d = guard.check(uri);
            if (d.refused()) {
                return AttemptResult.hopeless((hop == 0 ? "" : "redirect " + hop + " refused: ") + d.reason());
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                return AttemptResult.ioError("timeout after " + timeoutMs + " ms");
            }
            HttpRequest request = request(call, uri, body, attempt, Duration.ofMillis(leftMs));
            HttpResponse<AnswerBody> r;
            try {
                r = send(request, leftMs);
            } catch (Failure f) {
                return f.result;
            }
            // the status line decides; the body is read only a little, for a short while, then let go
            r.body().awaitEnd(Math.min(ANSWER_BODY_WAIT.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            int status = r.statusCode();
            if (!FOLLOWED_REDIRECTS.contains(status)) {
                return AttemptResult.ofStatus(status, retryAfter(r).orElse(null));
            }
            if (hop == UrlGuard.MAX_REDIRECTS) {
                return AttemptResult.hopeless("more than " + UrlGuard.MAX_REDIRECTS + " redirects");
            }
            Optional<URI> next = redirect(uri, r.headers().firstValue("Location").orElse(null));
            if (next.isEmpty()) {
                return AttemptResult.hopeless("HTTP " + status + " without a usable http(s) Location");
            }
            uri = next.get();
        }
    }

    /**
     * An answer's body, discarded as it arrives: the response is handed over as soon as its headers
     * are in (the body stage is complete from the start), and the body is read until its end,
     * {@value #MAX_ANSWER_BYTES} bytes, or {@link #awaitEnd}'s wait, whichever comes first.
     */
    static final class AnswerBody implements HttpResponse.BodySubscriber<AnswerBody> {
        private final CompletableFuture<Void> end = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;
        private long read;

        @Override
        public CompletionStage<AnswerBody> getBody() {
            return CompletableFuture.completedStage(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (end.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                read += b.remaining();
            }
            if (read > MAX_ANSWER_BYTES) {
                letGo();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            end.complete(null);
        }

        @Override
        public void onComplete() {
            end.complete(null);
        }

        /**
         * Waits for the body's end, then lets the rest go (closing the connection) if it has not
         * ended.
         *
         * @param waitMs longest wait, ms (0 or less: none)
         */
        void awaitEnd(long waitMs) {
            try {
                if (waitMs > 0) {
                    end.get(waitMs, TimeUnit.MILLISECONDS);
                }
            } catch (TimeoutException | ExecutionException e) {
                // the body is slow or broken: the status line already decided
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                letGo();
            }
        }

        private void letGo() {
            if (end.complete(null)) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
        }
    }

    /** The failed end of one exchange, as the attempt's result. */
    private static final class Failure extends Exception {
        final transient AttemptResult result;

        Failure(AttemptResult result) {
            super(result.error(), null, false, false);
            this.result = result;
        }
    }

    /** One exchange, bounded by {@code timeoutMs}; every failure becomes a {@link Failure}. */
    private HttpResponse<AnswerBody> send(HttpRequest request, long timeoutMs) throws Failure {
        long totalMs = settings.attemptTimeout().toMillis();
        CompletableFuture<HttpResponse<AnswerBody>> f = http.sendAsync(request, info -> new AnswerBody());
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Failure(AttemptResult.ioError("timeout after " + totalMs + " ms"));
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof HttpTimeoutException) {
                throw new Failure(AttemptResult.ioError("timeout after " + totalMs + " ms"));
            }
            // I/O errors (refused, reset, closed) and anything else the client raises: retryable
            throw new Failure(AttemptResult.ioError(describe(c)));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure(AttemptResult.ioError("interrupted"));
        }
    }

    /**
     * @param from     the URL that answered with a redirect
     * @param location its {@code Location} header (absolute or relative, RFC 9110 section 10.2.2)
     * @return the absolute http(s) URL to go to, or empty when there is none
     */
    static Optional<URI> redirect(URI from, String location) {
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        try {
            URI next = from.resolve(new URI(location.trim()));
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(next);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
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
                throw new IllegalArgumentException("not an absolute http(s) URL: " + Redaction.forLog(url));
            }
            return u;
        } catch (URISyntaxException e) {
            // the exception's message quotes the whole URL, user-info included
            throw new IllegalArgumentException(e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), e);
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
