package io.argus.edge.hooks;

import java.time.Duration;

/**
 * When to retry a hook call and how long to wait first.
 *
 * <p>Classification of an HTTP answer ({@link #classify}): 2xx delivered; 5xx, 408 (request
 * timeout) and 429 (too many requests) retried; anything else (other 4xx, and 3xx since
 * redirects are not followed) given up at once. I/O errors and timeouts are retried.
 *
 * <p>Backoff ({@link #backoff}): after failed attempt {@code n} (1-based) the ceiling is
 * {@code c = min(maxBackoff, initialBackoff * multiplier^(n-1))} and the wait is drawn uniformly
 * from {@code [c * (1 - jitter), c]}; a {@code Retry-After} of the answer raises the wait to at
 * most {@code maxBackoff}. At most {@code maxAttempts} attempts are made ({@link #mayRetry}).
 * Thread-safe, stateless.
 */
public final class RetryPolicy {

    private final HookSettings settings;

    /** @param settings backoff and attempt limits */
    public RetryPolicy(HookSettings settings) {
        this.settings = settings;
    }

    /**
     * @param httpStatus an HTTP answer's status
     * @return DELIVERED for 2xx, RETRY for 5xx, 408 and 429, GIVE_UP otherwise
     */
    public static AttemptResult.Verdict classify(int httpStatus) {
        if (httpStatus >= 200 && httpStatus <= 299) {
            return AttemptResult.Verdict.DELIVERED;
        }
        if ((httpStatus >= 500 && httpStatus <= 599) || httpStatus == 408 || httpStatus == 429) {
            return AttemptResult.Verdict.RETRY;
        }
        return AttemptResult.Verdict.GIVE_UP;
    }

    /**
     * @param attemptsMade attempts made so far, at least 1
     * @return true when another attempt is allowed
     */
    public boolean mayRetry(int attemptsMade) {
        return attemptsMade < settings.maxAttempts();
    }

    /**
     * @param attemptsMade attempts made so far, at least 1
     * @return the ceiling {@code min(maxBackoff, initialBackoff * multiplier^(attemptsMade-1))}
     */
    public Duration ceiling(int attemptsMade) {
        double ms = settings.initialBackoff().toMillis() * Math.pow(settings.multiplier(), Math.max(0, attemptsMade - 1));
        long cap = settings.maxBackoff().toMillis();
        return Duration.ofMillis(ms >= cap || Double.isNaN(ms) ? cap : (long) ms);
    }

    /**
     * @param attemptsMade attempts made so far, at least 1
     * @param random       a uniform random number in [0, 1)
     * @param retryAfter   the last answer's {@code Retry-After}, or null
     * @return how long to wait before the next attempt
     */
    public Duration backoff(int attemptsMade, double random, Duration retryAfter) {
        long c = ceiling(attemptsMade).toMillis();
        double r = Math.min(Math.max(random, 0.0), 1.0);
        long wait = Math.round(c * (1.0 - settings.jitter() * r));
        if (retryAfter != null && !retryAfter.isNegative()) {
            wait = Math.max(wait, Math.min(retryAfter.toMillis(), settings.maxBackoff().toMillis()));
        }
        return Duration.ofMillis(Math.max(0, wait));
    }
}
