package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * A 2 GB file through the media API with bounded memory (issue "Media API", tests): a generated
 * video (a short H.264 clip repeated with {@code ffmpeg -stream_loop -1 -c copy -fs 2000000000},
 * not committed) is uploaded as multipart, then {@value #CLIENTS} clients stream it whole from
 * {@code GET /api/v1/file/{uuid}/video} at once while a range near its end is checked byte for
 * byte. Neither the upload nor the streams may hold the file in memory: the live heap (each heap
 * pool's usage after its last collection, {@code MemoryPoolMXBean.getCollectionUsage()}, {@link io.argus.launcher.bench.MediaBench#liveHeap()}) and the
 * direct and mapped buffers ({@link BufferPoolMXBean}), sampled every 50 ms, may each grow by less
 * than 300 MB over their values before. The resident set ({@code VmRSS}) is printed, not asserted:
 * under the JVM's default heap sizing G1 expands the young generation under this allocation rate
 * (every 64 KiB chunk is garbage once sent), so the resident set grows with the heap's capacity, not
 * with what is live (BENCHMARKS.md, "Media API").
 */
class LargeFileStreamingIT {

    static final long SIZE = 2_000_000_000L;
    static final int CLIENTS = 4;
    static final long MAX_GROWTH = 300L << 20;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void twoGigabytesAreUploadedAndStreamedWithBoundedMemory() throws Exception {
        Path big = dir.resolve("big.mp4");
        Process ff = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-stream_loop", "-1", "-i",
                SampleVideos.h264Loop("vtest.avi", 10, 20).toString(), "-c", "copy", "-fs", Long.toString(SIZE),
                big.toString()).redirectErrorStream(true).start();
        String ffOut = new String(ff.getInputStream().readAllBytes());
        assertThat(ff.waitFor()).as(ffOut).isZero();
        long size = Files.size(big);
        assertThat(size).isGreaterThan(SIZE - 10_000_000L);
        try (ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0))) {
            String base = "http://127.0.0.1:" + rt.httpPort();
            System.gc();
            long before = io.argus.launcher.bench.MediaBench.rssKb();
            long heapBefore = io.argus.launcher.bench.MediaBench.liveHeap();
            long buffersBefore = buffers();
            AtomicLong peak = new AtomicLong(before);
            AtomicLong heapPeak = new AtomicLong(heapBefore);
            AtomicLong buffersPeak = new AtomicLong(buffersBefore);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        peak.accumulateAndGet(io.argus.launcher.bench.MediaBench.rssKb(), Math::max);
                        heapPeak.accumulateAndGet(io.argus.launcher.bench.MediaBench.liveHeap(), Math::max);
                        buffersPeak.accumulateAndGet(buffers(), Math::max);
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", big, "ops", "none"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
                JsonNode file = new ObjectMapper().readTree(up.body());
                assertThat(file.get("size_bytes").asLong()).isEqualTo(size);
                String video = base + "/api/v1/file/" + file.get("file_uuid").asText() + "/video";

                // a range near the end, byte for byte
                long from = size - 1_000_000;
                HttpResponse<byte[]> tail = HTTP.send(HttpRequest.newBuilder(URI.create(video))
                        .header("Range", "bytes=" + from + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(tail.statusCode()).isEqualTo(206);
                assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + from + "-" + (size - 1) + "/" + size);
                assertThat(tail.body()).isEqualTo(slice(big, from, 1_000_000));

                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                try {
                    List<Future<String>> all = new ArrayList<>();
                    for (int i = 0; i < CLIENTS; i++) {
                        all.add(pool.submit(() -> sha256(video)));
                    }
                    String expected = sha256(big);
                    for (Future<String> f : all) {
                        assertThat(f.get()).isEqualTo(expected);
                    }
                } finally {
                    pool.shutdownNow();
                }
            } finally {
                sampling.set(false);
                sampler.join();
            }
            long heapGrowth = heapPeak.get() - heapBefore;
            long bufferGrowth = buffersPeak.get() - buffersBefore;
            System.out.printf("RSS before %d MB, peak %d MB; live heap before %d MB, peak %d MB; direct and mapped "
                    + "buffers before %d MB, peak %d MB%n", before / 1024, peak.get() / 1024, heapBefore >> 20,
                    heapPeak.get() >> 20, buffersBefore >> 20, buffersPeak.get() >> 20);
            assertThat(heapGrowth).as("live heap growth, bytes").isLessThan(MAX_GROWTH);
            assertThat(bufferGrowth).as("direct and mapped buffer growth, bytes").isLessThan(MAX_GROWTH);
        }
    }

    /** @return bytes in direct and mapped NIO buffers */
    static long buffers() {
        long sum = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sum += b.getMemoryUsed();
        }
        return sum;
    }

    private static byte[] slice(Path file, long from, int length) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
                // read on
            }
            return b.array();
        }
    }

    private static String sha256(String url) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            return digest(in);
        }
    }

    private static String sha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    private static String digest(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[256 * 1024];
        int k;
        while ((k = in.read(buf)) >= 0) {
            md.update(buf, 0, k);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
