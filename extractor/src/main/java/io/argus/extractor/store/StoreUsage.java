package io.argus.extractor.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import io.argus.schemas.metrics.ArgusMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The frame store's size as a gauge ({@value ArgusMeters#STORE_BYTES}): {@link FrameStore#usedBytes()},
 * read at most once per {@link #MAX_AGE} however often Prometheus scrapes (a local store walks its
 * tree to answer). A store that cannot tell (S3) publishes NaN.
 */
public final class StoreUsage implements MeterBinder {

    /** How long a reading is reused: 60 s. */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final FrameStore store;
    private final LongSupplier nanos;
    private long readAt;
    private double bytes = Double.NaN;
    private boolean read;

    /** @param store the store to measure */
    public StoreUsage(FrameStore store) {
        this(store, System::nanoTime);
    }

    StoreUsage(FrameStore store, LongSupplier nanos) {
        this.store = Objects.requireNonNull(store, "store");
        this.nanos = nanos;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(ArgusMeters.STORE_BYTES, this, StoreUsage::bytes)
                .description("Bytes held by the frame store (frames, extractions, flows)")
                .baseUnit("bytes")
                .register(registry);
    }

    /** @return the store's size in bytes, at most {@link #MAX_AGE} old; NaN when it cannot tell */
    synchronized double bytes() {
        long now = nanos.getAsLong();
        if (!read || now - readAt >= MAX_AGE.toNanos()) {
            read = true;
            readAt = now;
            try {
                OptionalLong used = store.usedBytes();
                bytes = used.isPresent() ? used.getAsLong() : Double.NaN;
            } catch (IOException e) {
                bytes = Double.NaN;
            }
        }
        return bytes;
    }
}
