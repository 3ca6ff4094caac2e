package io.argus.schemas.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * How many times a failed worker thread may be replaced: at most {@code max} times within any
 * {@code window}. Kafka Streams applications ask it in their uncaught-exception handler: a thread
 * that died of a transient fault (a broker lost mid-commit, a timeout during a leader change) is
 * replaced ({@code REPLACE_THREAD}, KIP-663) and its tasks resume from their committed state; a
 * fault that keeps coming back within the window shuts the client down instead of looping.
 * Thread-safe.
 */
public final class RestartBudget {

    private final int max;
    private final long windowMs;
    private final LongSupplier clockMs;
    private final Deque<Long> recent = new ArrayDeque<>();

    /**
     * @param max     replacements allowed within the window, &gt;= 0
     * @param window  the window, &gt; 0
     * @param clockMs wall clock, ms
     * @throws IllegalArgumentException for a negative max or a window that is not positive
     */
    public RestartBudget(int max, Duration window, LongSupplier clockMs) {
        if (max < 0 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("max must be >= 0 and window > 0, got " + max + ", " + window);
        }
        this.max = max;
        this.windowMs = window.toMillis();
        this.clockMs = clockMs;
    }

    /** 5 replacements within 10 minutes, on the system clock. */
    public static RestartBudget standard() {
        return new RestartBudget(5, Duration.ofMinutes(10), System::currentTimeMillis);
    }

    /**
     * Records a failure.
     *
     * @return true when the failed thread may be replaced; false when {@code max} replacements
     *         already happened within the window
     */
    public synchronized boolean tryReplace() {
        long now = clockMs.getAsLong();
        while (!recent.isEmpty() && now - recent.peekFirst() >= windowMs) {
            recent.removeFirst();
        }
        if (recent.size() >= max) {
            return false;
        }
        recent.addLast(now);
        return true;
    }
}
