package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.testkit.servers.TricklingHttpServer;

/**
 * A real HTTP server that answers and then sends one byte every 300 ms (rw_timeout never fires):
 * while its open is in progress other sources open and decode as fast as alone; the open ends
 * after the read timeout with 424, or at once when the caller's stop condition turns true.
 */
class SlowSourceTest {

    private TricklingHttpServer trickle;

    @BeforeEach
    void start() throws Exception {
        trickle = new TricklingHttpServer(Duration.ofMillis(300));
    }

    @AfterEach
    void stop() throws Exception {
        trickle.close();
    }

    @Test
    void aTricklingOpenDoesNotHoldOtherSources() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        fiveFramesMs(vtest); // loads the natives
        long alone = medianFiveFramesMs(vtest);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<SourceException> slow = CompletableFuture.supplyAsync(() -> catchThrowableOfType(
                () -> SourceOpener.UNRESTRICTED.open(SourceUri.parse(trickle.url("/slow.avi")), false, 60_000_000L,
                        stop::get), SourceException.class));
        waitUntil(() -> trickle.gets() > 0);
        Thread.sleep(300); // the slow open is inside FFmpeg now

        long withSlow = medianFiveFramesMs(vtest);
        System.out.printf("5 frames of vtest.avi: %d ms alone, %d ms with a trickling open in progress%n", alone, withSlow);

        assertThat(slow).as("the trickling open is still in progress (bytes keep coming)").isNotDone();
        assertThat(withSlow).as("5 frames alone took %d ms", alone).isLessThan(Math.max(3 * alone, alone + 2_000));
        stop.set(true);
        SourceException e = slow.get(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
    }

    @Test
    void stoppingEndsAnOpenInProgressAtOnce() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<SourceException> slow = CompletableFuture.supplyAsync(() -> catchThrowableOfType(
                () -> SourceOpener.UNRESTRICTED.open(SourceUri.parse(trickle.url("/slow.avi")), false, 60_000_000L,
                        stop::get), SourceException.class));
        waitUntil(() -> trickle.gets() > 0);
        Thread.sleep(1_000);

        long t0 = System.nanoTime();
        stop.set(true);
        SourceException e = slow.get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(e).isNotNull();
        assertThat(ms).as("the open ended this long after the stop").isLessThan(1_000);
        waitUntil(() -> trickle.openConnections() == 0);
    }

    @Test
    void aTricklingOpenEndsAfterTheReadTimeoutWith424() {
        long t0 = System.nanoTime();

        SourceException e = catchThrowableOfType(() -> SourceOpener.UNRESTRICTED.open(
                SourceUri.parse(trickle.url("/slow.avi")), false, 2_000_000L, () -> false), SourceException.class);

        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(SourceException.NOT_FOUND);
        assertThat(ms).as("bounded by the 2 s timeout, though bytes kept coming").isBetween(1_900L, 6_000L);
    }

    /** @return the median of 7 runs of {@link #fiveFramesMs} */
    private static long medianFiveFramesMs(Path video) throws Exception {
        long[] ms = new long[7];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = fiveFramesMs(video);
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static long fiveFramesMs(Path video) throws Exception {
        long t0 = System.nanoTime();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), SamplingSpec.every(2000))) {
            for (int i = 0; i < 5; i++) {
                assertThat(s.next()).isNotNull();
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
