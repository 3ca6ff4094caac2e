package io.argus.edge.hooks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.net.Redaction;

/**
 * Delivers hook calls with retries: the per-job queues behind {@link HookDispatcher}, without any
 * Kafka client (tests drive it directly).
 *
 * <ul>
 *   <li>Calls of one job ({@code job_id}) are delivered one at a time, in submission order: the
 *       next starts only when the previous is done (delivered or dead-lettered).</li>
 *   <li>Calls of different jobs run concurrently on a pool of {@link HookSettings#concurrency()}
 *       threads; an attempt blocks its thread for at most the attempt timeout.</li>
 *   <li>After a retryable failure the call waits its backoff ({@link RetryPolicy}) on a scheduler,
 *       holding no thread; then it queues for the pool again. A call whose attempts are used up,
 *       or whose failure is not retryable, is sent to the {@link DeadLetterSink} with
 *       {@code attempts} and {@code last_error} set; a failed dead-letter write is retried after
 *       the maximum backoff.</li>
 *   <li>Each done call is reported once to the {@link Listener} with {@link Outcome#DELIVERED} or
 *       {@link Outcome#DEAD_LETTERED}; a call abandoned by {@link #revoke} or {@link #close} is
 *       never reported (so never committed: it is delivered again by the next owner).</li>
 * </ul>
 * Thread-safe.
 */
public final class HookDeliverer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HookDeliverer.class);

    /**
     * A call to deliver and where it was read from.
     *
     * @param partition the partition of the hooks topic it was read from
     * @param offset    its offset there
     * @param epoch     the assignment epoch of the partition when read ({@link HookOffsets#epoch})
     * @param call      the call
     */
    public record Ticket(TopicPartition partition, long offset, int epoch, HookCall call) {
    }

    /** How a call ended. */
    public enum Outcome {
        /** A 2xx answer. */
        DELIVERED,
        /** Gave up and written to the dead-letter sink. */
        DEAD_LETTERED
    }

    /** Told about each call once it is done. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called on a delivery thread with the deliverer's lock held: must be quick, must not block
         * and must not call the deliverer.
         *
         * @param ticket    the call
         * @param outcome   delivered or dead-lettered
         * @param attempts  attempts made
         * @param lastError the last failed attempt's error, or null when none failed
         */
        void done(Ticket ticket, Outcome outcome, int attempts, String lastError);
    }

    /** One job's calls; guarded by {@link #lock}. */
    private static final class Lane {
        final String jobId;
        final ArrayDeque<Ticket> queue = new ArrayDeque<>();
        Ticket current;
        byte[] body;
        int attempts;
        String lastError;
        /** A pending backoff (retry or dead-letter rewrite) of {@link #current}. */
        ScheduledFuture<?> timer;
        /** An attempt or a dead-letter write of {@link #current} is running. */
        boolean busy;
        /** {@link #current} was revoked while busy: report a delivery, drop anything else. */
        boolean revoked;

        Lane(String jobId) {
            this.jobId = jobId;
        }
    }

    private final HookSettings settings;
    private final RetryPolicy policy;
    private final HookTransport transport;
    private final DeadLetterSink deadLetters;
    private final Listener listener;
    private final DoubleSupplier random;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private final Map<String, Lane> lanes = new HashMap<>();
    private boolean closing;

    /**
     * @param settings    retry policy, concurrency, attempt timeout
     * @param transport   makes attempts ({@link HookClient})
     * @param deadLetters where calls that give up go
     * @param listener    told about each done call
     */
    public HookDeliverer(HookSettings settings, HookTransport transport, DeadLetterSink deadLetters,
                         Listener listener) {
        this(settings, transport, deadLetters, listener, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param settings    retry policy, concurrency, attempt timeout
     * @param transport   makes attempts ({@link HookClient})
     * @param deadLetters where calls that give up go
     * @param listener    told about each done call
     * @param random      uniform numbers in [0, 1) for the backoff jitter
     */
    public HookDeliverer(HookSettings settings, HookTransport transport, DeadLetterSink deadLetters,
                         Listener listener, DoubleSupplier random) {
        this.settings = settings;
        this.policy = new RetryPolicy(settings);
        this.transport = transport;
        this.deadLetters = deadLetters;
        this.listener = listener;
        this.random = random;
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), threads("argus-hooks-deliver"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("argus-hooks-backoff"));
    }

    /**
     * Queues a call behind the other calls of its job.
     *
     * @param ticket the call
     * @return false when the deliverer is closing (the call is not taken)
     */
    public boolean submit(Ticket ticket) {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            Lane lane = lanes.computeIfAbsent(ticket.call().getJobId(), Lane::new);
            lane.queue.add(ticket);
            if (lane.current == null) {
                advance(lane);
            }
            return true;
        }
    }

    /** @return calls taken and not yet done or abandoned (queued, running or waiting a backoff) */
    public int pending() {
        synchronized (lock) {
            int n = 0;
            for (Lane l : lanes.values()) {
                n += l.queue.size() + (l.current == null ? 0 : 1);
            }
            return n;
        }
    }

    /**
     * Abandons the calls a predicate selects (those of partitions being revoked): queued ones and
     * ones waiting a backoff are dropped at once; for ones with an attempt running, waits up to
     * {@code wait} for it: a delivery is still reported, anything else is dropped. Abandoned calls
     * are never reported.
     *
     * @param which selects the calls to abandon
     * @param wait  how long to wait for running attempts
     * @return true when no selected attempt is still running
     */
    public boolean revoke(Predicate<Ticket> which, Duration wait) {
        synchronized (lock) {
            for (Lane lane : new ArrayList<>(lanes.values())) {
                lane.queue.removeIf(which);
                if (lane.current != null && which.test(lane.current)) {
                    if (lane.busy) {
                        lane.revoked = true;
                    } else {
                        cancelTimer(lane);
                        advance(lane);
                    }
                }
            }
            return awaitIdle(which, wait);
        }
    }

    /**
     * Stops: abandons queued calls and pending backoffs, waits up to the attempt timeout (plus 5 s
     * for dead-letter writes) for running attempts, whose deliveries and dead-letters are still
     * reported, then stops the threads. Does not close the transport or the dead-letter sink.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!closing) {
                closing = true;
                for (Lane lane : new ArrayList<>(lanes.values())) {
                    lane.queue.clear();
                    if (!lane.busy) {
                        cancelTimer(lane);
                        lanes.remove(lane.jobId);
                    }
                }
            }
            awaitIdle(t -> true, settings.attemptTimeout().plusSeconds(5));
        }
        scheduler.shutdownNow();
        pool.shutdownNow();
    }

    // ---- internals; every method below that touches a lane holds the lock ----

    /** Makes the lane's next queued call current and starts it, or retires the lane. */
    private void advance(Lane lane) {
        cancelTimer(lane);
        lane.current = null;
        lane.body = null;
        lane.attempts = 0;
        lane.lastError = null;
        lane.revoked = false;
        Ticket next = closing ? null : lane.queue.poll();
        if (next == null) {
            lanes.remove(lane.jobId);
            return;
        }
        lane.current = next;
        start(lane, next);
    }

    private void start(Lane lane, Ticket ticket) {
        lane.busy = true;
        try {
            pool.execute(() -> attempt(lane, ticket));
        } catch (RejectedExecutionException e) {
            lane.busy = false; // shutting down: abandoned
        }
    }

    private void attempt(Lane lane, Ticket ticket) {
        byte[] body;
        int n;
        synchronized (lock) {
            if (lane.current != ticket || lane.revoked || closing) {
                // not started yet: abandon (revoked or closing) rather than begin a new attempt
                lane.busy = false;
                if (lane.current == ticket) {
                    advance(lane);
                }
                lock.notifyAll();
                return;
            }
            body = lane.body;
            n = ++lane.attempts;
        }
        AttemptResult result = null;
        if (body == null) {
            try {
                body = HookBodies.bytes(ticket.call());
            } catch (RuntimeException e) {
                result = AttemptResult.hopeless("malformed call: " + e.getMessage());
            }
        }
        if (result == null) {
            try {
                result = transport.attempt(ticket.call(), body, n);
            } catch (RuntimeException e) {
                result = AttemptResult.ioError(e.toString());
            }
        }
        synchronized (lock) {
            try {
                lane.busy = false;
                lane.body = body;
                if (lane.current != ticket) {
                    return;
                }
                attempted(lane, ticket, n, result);
            } finally {
                lock.notifyAll();
            }
        }
    }

    private void attempted(Lane lane, Ticket ticket, int n, AttemptResult result) {
        HookCall call = ticket.call();
        if (result.verdict() == AttemptResult.Verdict.DELIVERED) {
            LOG.debug("Hook {} {} delivered on attempt {}", call.getKind(), call.getIdempotencyKey(), n);
            complete(lane, Outcome.DELIVERED);
            return;
        }
        lane.lastError = result.error();
        if (lane.revoked) {
            advance(lane); // the partition went away: the next owner delivers it
            return;
        }
        if (result.verdict() == AttemptResult.Verdict.RETRY && policy.mayRetry(n)) {
            if (closing) {
                advance(lane); // not delivered, not committed: delivered after the restart
                return;
            }
            Duration wait = policy.backoff(n, random.getAsDouble(), result.retryAfter());
            LOG.debug("Hook {} {} attempt {} to {} failed ({}); retrying in {} ms", call.getKind(),
                    call.getIdempotencyKey(), n, Redaction.forLog(call.getUrl()), result.error(), wait.toMillis());
            lane.timer = schedule(() -> retry(lane, ticket), wait);
            return;
        }
        LOG.warn("Hook {} {} to {} gave up after {} attempt(s): {}", call.getKind(), call.getIdempotencyKey(),
                Redaction.forLog(call.getUrl()), n, result.error());
        deadLetter(lane, ticket);
    }

    private void retry(Lane lane, Ticket ticket) {
        synchronized (lock) {
            if (lane.current != ticket || lane.timer == null) {
                return;
            }
            lane.timer = null;
            if (closing || lane.revoked) {
                advance(lane);
                return;
            }
            start(lane, ticket);
        }
    }

    private void deadLetter(Lane lane, Ticket ticket) {
        HookCall failed = HookCall.newBuilder(ticket.call())
                .setAttempts(lane.attempts)
                .setLastError(lane.lastError)
                .build();
        lane.busy = true;
        try {
            pool.execute(() -> {
                CompletableFuture<Void> written;
                try {
                    written = deadLetters.send(failed);
                } catch (RuntimeException e) {
                    written = CompletableFuture.failedFuture(e);
                }
                written.whenComplete((v, e) -> deadLettered(lane, ticket, e));
            });
        } catch (RejectedExecutionException e) {
            lane.busy = false;
        }
    }

    private void deadLettered(Lane lane, Ticket ticket, Throwable error) {
        synchronized (lock) {
            try {
                lane.busy = false;
                if (lane.current != ticket) {
                    return;
                }
                if (error == null) {
                    complete(lane, Outcome.DEAD_LETTERED);
                    return;
                }
                if (closing || lane.revoked) {
                    advance(lane);
                    return;
                }
                LOG.warn("Cannot dead-letter hook {}; retrying in {} ms: {}", ticket.call().getIdempotencyKey(),
                        settings.maxBackoff().toMillis(), error.toString());
                lane.timer = schedule(() -> {
                    synchronized (lock) {
                        if (lane.current != ticket || lane.timer == null) {
                            return;
                        }
                        lane.timer = null;
                        if (closing || lane.revoked) {
                            advance(lane);
                        } else {
                            deadLetter(lane, ticket);
                        }
                    }
                }, settings.maxBackoff());
            } finally {
                lock.notifyAll();
            }
        }
    }

    private void complete(Lane lane, Outcome outcome) {
        try {
            listener.done(lane.current, outcome, lane.attempts, lane.lastError);
        } catch (RuntimeException e) {
            LOG.error("Hook listener failed", e);
        }
        advance(lane);
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration wait) {
        try {
            return scheduler.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static void cancelTimer(Lane lane) {
        if (lane.timer != null) {
            lane.timer.cancel(false);
            lane.timer = null;
        }
    }

    /** Waits, holding the lock's monitor, until no selected call is busy. */
    private boolean awaitIdle(Predicate<Ticket> which, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<Lane> busy = new ArrayList<>();
            for (Lane l : lanes.values()) {
                if (l.busy && l.current != null && which.test(l.current)) {
                    busy.add(l);
                }
            }
            if (busy.isEmpty()) {
                return true;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            try {
                lock.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
