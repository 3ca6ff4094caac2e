package io.argus.extractor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The store-size gauge sums the local store's files, and reads them at most once a minute. */
class StoreUsageTest {

    @Test
    void theGaugeIsTheStoresSizeReadAtMostOnceAMinute(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        store.put("job-a/00000000.jpg", new byte[1000]);
        store.put("job-b/00000000.jpg", new byte[234]);
        AtomicLong nanos = new AtomicLong();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new StoreUsage(store, nanos::get).bindTo(registry);
        assertThat(registry.get("argus.store.bytes").gauge().value()).isEqualTo(1234);

        store.deletePrefix("job-a");
        nanos.addAndGet(StoreUsage.MAX_AGE.toNanos() - 1);
        assertThat(registry.get("argus.store.bytes").gauge().value()).isEqualTo(1234); // still the last reading
        nanos.addAndGet(1);
        assertThat(registry.get("argus.store.bytes").gauge().value()).isEqualTo(234);
    }

    @Test
    void aStoreThatCannotTellPublishesNaN() {
        FrameStore remote = new FrameStore() {
            @Override
            public java.net.URI put(String key, byte[] data) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] get(java.net.URI uri) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int deletePrefix(String prefix) {
                return 0;
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new StoreUsage(remote).bindTo(registry);
        assertThat(registry.get("argus.store.bytes").gauge().value()).isNaN();
    }
}
