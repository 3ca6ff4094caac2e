package io.argus.edge.hooks;

import java.time.Duration;
import java.util.Objects;

/**
 * How hook calls (CALLBACK /v1/video/segment, /op-result, /result) are delivered.
 *
 * <p>An attempt is one HTTP POST bounded by {@code attemptTimeout}. After a retryable failure
 * (5xx, 408, 429, I/O error, timeout) attempt {@code n} (1-based) is followed, unless
 * {@code maxAttempts} are used up, by a wait drawn uniformly from
 * {@code [c * (1 - jitter), c]} where {@code c = min(maxBackoff, initialBackoff * multiplier^(n-1))}:
 * {@code jitter} 1 is "full jitter", 0 none, in between "partial jitter" ({@link RetryPolicy}).
 *
 * @param secret         HMAC-SHA256 key of the {@code X-Argus-Signature} header; null or blank
 *                       sends no signature ({@link HookSignature})
 * @param attemptTimeout bound on one attempt: connect, send, response (default 5 s)
 * @param initialBackoff wait ceiling after the first failed attempt (default 500 ms)
 * @param multiplier     growth of the ceiling per attempt, at least 1 (default 2)
 * @param maxBackoff     cap of the ceiling (default 30 s); also caps a {@code Retry-After}
 * @param jitter         fraction of the ceiling randomized away, in [0, 1] (default 0.5)
 * @param maxAttempts    attempts before a call gives up and goes to the dead-letter topic
 *                       (default 8)
 * @param concurrency    calls delivered at once, over different jobs (default 4); calls of one
 *                       job are always delivered one at a time, in order
 * @param maxInFlight    calls read from Kafka and not yet done before the dispatcher pauses its
 *                       partitions (default 256)
 */
public record HookSettings(String secret, Duration attemptTimeout, Duration initialBackoff, double multiplier,
                           Duration maxBackoff, double jitter, int maxAttempts, int concurrency, int maxInFlight) {

    /** Validates; a blank secret becomes null. */
    public HookSettings {
        secret = secret == null || secret.isBlank() ? null : secret;
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff: " + initialBackoff
                    + ", " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1]: " + jitter);
        }
        if (maxAttempts < 1 || concurrency < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxAttempts, concurrency and maxInFlight must be >= 1");
        }
    }

    /** @return the defaults: no secret, 5 s per attempt, 500 ms x2 up to 30 s, jitter 0.5, 8 attempts, 4 at once, 256 in flight */
    public static HookSettings defaults() {
        return new HookSettings(null, Duration.ofSeconds(5), Duration.ofMillis(500), 2.0, Duration.ofSeconds(30),
                0.5, 8, 4, 256);
    }

    /**
     * @param newSecret HMAC key, or null for unsigned calls
     * @return these settings with another secret
     */
    public HookSettings withSecret(String newSecret) {
        return new HookSettings(newSecret, attemptTimeout, initialBackoff, multiplier, maxBackoff, jitter,
                maxAttempts, concurrency, maxInFlight);
    }

    /**
     * @param newMaxAttempts    attempts before giving up
     * @param newAttemptTimeout bound on one attempt
     * @return these settings with other attempt limits
     */
    public HookSettings withAttempts(int newMaxAttempts, Duration newAttemptTimeout) {
        return new HookSettings(secret, newAttemptTimeout, initialBackoff, multiplier, maxBackoff, jitter,
                newMaxAttempts, concurrency, maxInFlight);
    }

    /**
     * @param initial    ceiling after the first failure
     * @param factor     growth per attempt
     * @param max        cap
     * @param jitterPart fraction randomized away, in [0, 1]
     * @return these settings with another backoff
     */
    public HookSettings withBackoff(Duration initial, double factor, Duration max, double jitterPart) {
        return new HookSettings(secret, attemptTimeout, initial, factor, max, jitterPart, maxAttempts, concurrency,
                maxInFlight);
    }

    /**
     * @param newConcurrency calls delivered at once
     * @param newMaxInFlight calls read and not yet done before pausing
     * @return these settings with other limits
     */
    public HookSettings withConcurrency(int newConcurrency, int newMaxInFlight) {
        return new HookSettings(secret, attemptTimeout, initialBackoff, multiplier, maxBackoff, jitter, maxAttempts,
                newConcurrency, newMaxInFlight);
    }

    /** @return the settings with the secret masked */
    @Override
    public String toString() {
        return "HookSettings[secret=" + (secret == null ? "none" : "***") + ", attemptTimeout=" + attemptTimeout
                + ", initialBackoff=" + initialBackoff + ", multiplier=" + multiplier + ", maxBackoff=" + maxBackoff
                + ", jitter=" + jitter + ", maxAttempts=" + maxAttempts + ", concurrency=" + concurrency
                + ", maxInFlight=" + maxInFlight + "]";
    }
}
