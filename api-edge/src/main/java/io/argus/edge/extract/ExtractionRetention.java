package io.argus.edge.extract;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ExtractionStatus;

/**
 * Retention of extractions: a periodic sweep (wall clock) deleting, exactly as DELETE does
 * ({@link ExtractionDeleter}: files, index entries, status), every request whose latest status was
 * written more than the retention ago ({@code updated_at < now - retention}; a request still making
 * progress keeps being refreshed by its statuses, a stuck one is deleted too).
 *
 * <p>Defaults: retention {@link #DEFAULT_RETENTION} (7 days, as the other Argus topics), a sweep
 * every {@link #DEFAULT_PERIOD} (10 minutes), the first one after min(period, 1 minute). A sweep
 * that fails (index not ready, Kafka or storage error) is logged; the next one retries. Deletions
 * are idempotent, so several edge instances may each run a sweep (they may tombstone the same keys
 * twice); the launcher may also run it on one instance only.
 *
 * <p>Items whose request status no longer exists are not found by the sweep (it starts from
 * statuses). Thread-safe.
 */
public final class ExtractionRetention implements AutoCloseable {

    /** Default retention: 7 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    /** Default sweep period: 10 minutes. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionRetention.class);

    private final ExtractionCatalog catalog;
    private final ExtractionDeleter deleter;
    private final Duration retention;
    private final Duration period;
    private final LongSupplier clockMs;
    private ScheduledExecutorService timer;

    /**
     * A sweep with the default retention and period and the system clock.
     *
     * @param catalog where old requests are found
     * @param deleter how they are deleted
     */
    public ExtractionRetention(ExtractionCatalog catalog, ExtractionDeleter deleter) {
        this(catalog, deleter, DEFAULT_RETENTION, DEFAULT_PERIOD, System::currentTimeMillis);
    }

    /**
     * @param catalog   where old requests are found
     * @param deleter   how they are deleted
     * @param retention how long a request is kept after its last status; positive
     * @param period    time between sweeps; positive
     * @param clockMs   wall clock, ms since the epoch
     */
    public ExtractionRetention(ExtractionCatalog catalog, ExtractionDeleter deleter, Duration retention,
                               Duration period, LongSupplier clockMs) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.deleter = Objects.requireNonNull(deleter, "deleter");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.period = Objects.requireNonNull(period, "period");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        if (retention.isNegative() || retention.isZero() || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("retention and period must be positive: " + retention + ", " + period);
        }
    }

    /** @return the retention */
    public Duration retention() {
        return retention;
    }

    /** Starts the periodic sweep on a daemon thread (no-op when started). */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "argus-edge-extraction-retention");
            t.setDaemon(true);
            return t;
        });
        long first = Math.min(period.toMillis(), Duration.ofMinutes(1).toMillis());
        timer.scheduleWithFixedDelay(this::sweepLogged, first, period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Extraction retention {}, sweeping every {}", retention, period);
    }

    /**
     * One sweep, now, on the calling thread.
     *
     * @return what was deleted
     * @throws ExtractionDeleteException when a deletion fails (carries what was deleted before)
     * @throws RuntimeException          when the index cannot be queried
     */
    public DeleteResult sweepOnce() {
        List<ExtractionStatus> old = catalog.updatedBefore(clockMs.getAsLong() - retention.toMillis());
        if (old.isEmpty()) {
            return DeleteResult.NONE;
        }
        DeleteResult r = deleter.delete(old);
        LOG.info("Extraction retention deleted {} request(s), {} index entries, {} files",
                r.requests().size(), r.items(), r.files());
        return r;
    }

    private void sweepLogged() {
        try {
            sweepOnce();
        } catch (RuntimeException e) {
            LOG.warn("Extraction retention sweep failed, retrying in {}: {}", period, e.toString());
        }
    }

    /** Stops the sweeps (waits at most 10 s for a running one). */
    @Override
    public synchronized void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }
}
