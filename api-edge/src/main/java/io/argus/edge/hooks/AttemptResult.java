package io.argus.edge.hooks;

import java.time.Duration;

/**
 * What one delivery attempt of a hook call came to.
 *
 * @param verdict    delivered, worth retrying, or hopeless
 * @param httpStatus the answer's HTTP status, or -1 when there was none (I/O error, timeout,
 *                   a call that could not be sent)
 * @param error      for a failed attempt, a short description for logs and the dead-letter
 *                   {@code last_error} (e.g. {@code HTTP 503}, {@code timeout after 5000 ms});
 *                   null when delivered
 * @param retryAfter the answer's {@code Retry-After}, or null
 */
public record AttemptResult(Verdict verdict, int httpStatus, String error, Duration retryAfter) {

    /** How an attempt ended. */
    public enum Verdict {
        /** A 2xx answer: the call is done. */
        DELIVERED,
        /** A 5xx, 408 or 429 answer, an I/O error or a timeout: try again after a backoff. */
        RETRY,
        /** Any other answer, or a call that cannot be sent: give up at once (dead-letter). */
        GIVE_UP
    }

    /**
     * @param status the answer's HTTP status
     * @return the result of an attempt that got this answer, classified by {@link RetryPolicy#classify}
     */
    public static AttemptResult ofStatus(int status) {
        return ofStatus(status, null);
    }

    /**
     * @param status     the answer's HTTP status
     * @param retryAfter its {@code Retry-After}, or null
     * @return the result of an attempt that got this answer, classified by {@link RetryPolicy#classify}
     */
    public static AttemptResult ofStatus(int status, Duration retryAfter) {
        Verdict v = RetryPolicy.classify(status);
        return new AttemptResult(v, status, v == Verdict.DELIVERED ? null : "HTTP " + status, retryAfter);
    }

    /**
     * @param description what went wrong (I/O error, timeout)
     * @return a retryable result without an answer
     */
    public static AttemptResult ioError(String description) {
        return new AttemptResult(Verdict.RETRY, -1, description, null);
    }

    /**
     * @param description why the call cannot be delivered (bad URL, malformed call)
     * @return a hopeless result without an answer
     */
    public static AttemptResult hopeless(String description) {
        return new AttemptResult(Verdict.GIVE_UP, -1, description, null);
    }
}
