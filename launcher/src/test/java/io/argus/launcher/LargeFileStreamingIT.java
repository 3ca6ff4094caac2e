package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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
 * byte. The process's resident set (server and clients, {@code VmRSS}) may grow by less than
 * 300 MB over the upload and the streaming: neither holds the file in memory.
 */
class LargeFileStreamingIT {

    static final long SIZE = 2_000_000_000L;
    static final int CLIENTS = 4;
    static final long MAX_GROWTH_KB = 300 * 1024;
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
            long before = rssKb();
            AtomicLong peak = new AtomicLong(before);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        peak.accumulateAndGet(rssKb(), Math::max);
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
            long growth = peak.get() - before;
            System.out.printf("RSS before %d MB, peak %d MB, growth %d MB%n", before / 1024, peak.get() / 1024,
                    growth / 1024);
            assertThat(growth).as("resident set growth, kB").isLessThan(MAX_GROWTH_KB);
        }
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

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
