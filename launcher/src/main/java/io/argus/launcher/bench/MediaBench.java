package io.argus.launcher.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.media.frames.ClipEncoder;
import io.argus.testkit.servers.StaticFileServer;

/**
 * The media API against the tools a user would otherwise reach for (issue "Media API", benchmark):
 * <ul>
 *   <li><b>thumbnails</b>: {@code GET /api/v1/file/{uuid}/thumbnail?frame=N} on a warm server
 *       against the ffmpeg CLI extracting the same frame with an accurate input seek
 *       ({@code ffmpeg -ss N/fps -i clip -frames:v 1 out.jpg}, which decodes from the keyframe
 *       before, as Argus does); p50 and p99 latency of {@value #THUMBNAILS} random frames, each
 *       side in turn (target: Argus faster);</li>
 *   <li><b>clips</b>: {@code GET …/clip?start_frame=s&end_frame=s+47} (48 frames, H.264 + AAC in
 *       MPEG-TS) against two ffmpeg CLIs making the same clip: the system's with
 *       {@code -c:v libx264 -preset veryfast}, and the ffmpeg program bundled with Argus's FFmpeg
 *       (the same libraries) with {@code -c:v libopenh264} at Argus's bitrate, the same encoder
 *       (target: CLI time / Argus time ≥ 0.9);</li>
 *   <li><b>range streaming</b>: one client reading the whole {@value #BIG_BYTES}-byte file from
 *       {@code GET …/video} against nginx serving the same file with {@code sendfile}
 *       ({@link StaticFileServer}); throughput, MB/s (target: ≥ 0.8 of nginx's);</li>
 *   <li><b>memory</b>: {@value #CLIENTS} clients ({@code curl} processes) streaming the whole file
 *       from Argus at once; the growth of the Argus process's resident set (VmRSS of
 *       {@code /proc/self/status}, sampled every 50 ms) over its value before (target:
 *       &lt; 300 MB).</li>
 * </ul>
 * Clip: the first {@value #SECONDS} s of vtest.avi scaled to 1920×1080 (10 fps, H.264 with a
 * keyframe every {@value #GOP} frames, a 440 Hz AAC tone); the big file is that clip repeated
 * with {@code -stream_loop -1 -c copy -fs} (a generated video, not kept). Both are uploaded with
 * {@code ops=none} so no analysis job competes for the CPU.
 */
public final class MediaBench {

    /** Heading of the section. */
    public static final String HEADING = "## Media API against the ffmpeg CLI and nginx";

    static final int SECONDS = 30;
    static final int FPS = 10;
    static final int GOP = 20;
    static final int THUMBNAILS = 40;
    static final int CLIPS = 9;
    static final int WARM_UP_CLIPS = 3;
    static final int CLIP_FRAMES = 48;
    static final long BIG_BYTES = 2_000_000_000L;
    static final int CLIENTS = 20;
    static final int STREAM_RUNS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MediaBench() {
    }

    /**
     * @param work scratch directory (needs about 3 × {@value #BIG_BYTES} bytes free)
     * @return the section as Markdown, starting with a newline
     * @throws Exception when ffmpeg, nginx or the runtime fails
     */
    public static String section(Path work) throws Exception {
        Path clip = work.resolve("vtest-1080p-audio.mp4");
        ffmpeg("-i", SampleVideos.ensure("vtest.avi").toString(), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(SECONDS), "-vf", "scale=1920:1080", "-c:v", "libx264", "-preset", "veryfast",
                "-g", Integer.toString(GOP), "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart",
                clip.toString());
        Path bigDir = Files.createDirectories(work.resolve("static"));
        Path big = bigDir.resolve("big.mp4");
        ffmpeg("-stream_loop", "-1", "-i", clip.toString(), "-c", "copy", "-fs", Long.toString(BIG_BYTES), big.toString());
        Path data = work.resolve("media-data");
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Rerun with `./argus bench --suite media`. Machine: ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores, Java ").append(System.getProperty("java.version")).append(", ").append(LocalDate.now())
          .append(". Clip: the first ").append(SECONDS).append(" s of vtest.avi scaled to 1920×1080 (").append(FPS)
          .append(" fps, H.264 with a keyframe every ").append(GOP).append(" frames, AAC tone). Big file: that clip ")
          .append("repeated to ").append(Files.size(big) / 1_000_000).append(" MB with `-c copy`. Everything on ")
          .append("loopback in one embedded runtime.\n\n");
        try (ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(data, 0))) {
            String base = "http://127.0.0.1:" + rt.httpPort();
            JsonNode small = upload(base, clip);
            thumbnails(md, base, small.get("file_uuid").asText(), clip);
            clips(md, base, small.get("file_uuid").asText(), clip);
            long t0 = System.nanoTime();
            JsonNode large = upload(base, big);
            double uploadS = (System.nanoTime() - t0) / 1e9;
            md.append(String.format(Locale.ROOT, "Uploading the %d MB file (`POST /api/v1/files`: streamed into the "
                    + "store and probed) took %.1f s (%.0f MB/s).%n%n", Files.size(big) / 1_000_000, uploadS,
                    Files.size(big) / 1e6 / uploadS));
            String video = base + "/api/v1/file/" + large.get("file_uuid").asText() + "/video";
            try (StaticFileServer nginx = StaticFileServer.start(bigDir, work.resolve("nginx"))) {
                streaming(md, video, nginx.url("big.mp4"), Files.size(big));
            }
            memory(md, video, Files.size(big));
        }
        return md.toString();
    }

    private static void thumbnails(StringBuilder md, String base, String uuid, Path clip) throws Exception {
        Random random = new Random(42);
        int frames = SECONDS * FPS;
        for (int i = 0; i < 3; i++) { // warm-up: decoders loaded, file in the page cache
            get(base + "/api/v1/file/" + uuid + "/thumbnail?frame=" + random.nextInt(frames));
        }
        List<Double> argus = new ArrayList<>();
        List<Double> cli = new ArrayList<>();
        Path out = Files.createTempFile("thumb", ".jpg");
        try {
            for (int i = 0; i < THUMBNAILS; i++) {
                int n = random.nextInt(frames);
                long t0 = System.nanoTime();
                byte[] jpeg = get(base + "/api/v1/file/" + uuid + "/thumbnail?frame=" + n);
                argus.add((System.nanoTime() - t0) / 1e6);
                if (jpeg.length < 1000) {
                    throw new IllegalStateException("thumbnail of frame " + n + " has only " + jpeg.length + " bytes");
                }
                t0 = System.nanoTime();
                ffmpeg("-ss", seconds(n), "-i", clip.toString(), "-frames:v", "1", "-q:v", "3", out.toString());
                cli.add((System.nanoTime() - t0) / 1e6);
            }
        } finally {
            Files.deleteIfExists(out);
        }
        md.append("### Thumbnails\n\n`GET /api/v1/file/{uuid}/thumbnail?frame=N` (frame-exact JPEG, warm server) against ")
          .append("`ffmpeg -ss N/fps -i clip -frames:v 1 out.jpg` (an accurate seek: decodes from the keyframe ")
          .append("before), ").append(THUMBNAILS).append(" random frames of the 1080p clip, each side in turn. ")
          .append("The CLI's time includes its process start. Target: Argus faster.\n\n")
          .append("| | p50 ms | p99 ms |\n|---|---:|---:|\n")
          .append(String.format(Locale.ROOT, "| Argus | %.0f | %.0f |%n| ffmpeg CLI | %.0f | %.0f |%n",
                  pct(argus, 50), pct(argus, 99), pct(cli, 50), pct(cli, 99)))
          .append(String.format(Locale.ROOT, "| CLI / Argus | %.2f | %.2f |%n%n", pct(cli, 50) / pct(argus, 50),
                  pct(cli, 99) / pct(argus, 99)));
    }

    private static void clips(StringBuilder md, String base, String uuid, Path clip) throws Exception {
        Random random = new Random(7);
        int frames = SECONDS * FPS;
        String bundled = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        String bitrate = Math.round(ClipEncoder.BITS_PER_PIXEL * 1920 * 1080 * FPS) + "";
        for (int w = 0; w < WARM_UP_CLIPS; w++) { // a warm server: the clip path compiled by the JIT
            get(base + "/api/v1/file/" + uuid + "/clip?start_frame=" + (w * CLIP_FRAMES) + "&end_frame="
                    + ((w + 1) * CLIP_FRAMES - 1));
        }
        List<Double> argus = new ArrayList<>();
        List<Double> x264 = new ArrayList<>();
        List<Double> openh264 = new ArrayList<>();
        Path out = Files.createTempFile("clip", ".ts");
        try {
            for (int i = 0; i < CLIPS; i++) {
                int s = random.nextInt(frames - CLIP_FRAMES);
                long t0 = System.nanoTime();
                byte[] ts = get(base + "/api/v1/file/" + uuid + "/clip?start_frame=" + s + "&end_frame=" + (s + CLIP_FRAMES - 1));
                argus.add((System.nanoTime() - t0) / 1e6);
                if (ts.length < 10_000) {
                    throw new IllegalStateException("clip from " + s + " has only " + ts.length + " bytes");
                }
                t0 = System.nanoTime();
                run("ffmpeg", "-ss", seconds(s), "-i", clip.toString(), "-frames:v", Integer.toString(CLIP_FRAMES),
                        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mpegts",
                        out.toString());
                x264.add((System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                run(bundled, "-ss", seconds(s), "-i", clip.toString(), "-frames:v", Integer.toString(CLIP_FRAMES),
                        "-c:v", "libopenh264", "-b:v", bitrate, "-allow_skip_frames", "0", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-f", "mpegts", out.toString());
                openh264.add((System.nanoTime() - t0) / 1e6);
            }
        } finally {
            Files.deleteIfExists(out);
        }
        double a = pct(argus, 50);
        md.append("### Clips\n\n`GET …/clip?start_frame=s&end_frame=s+").append(CLIP_FRAMES - 1).append("` (")
          .append(CLIP_FRAMES).append(" frames re-encoded as H.264 + AAC in MPEG-TS by the bundled FFmpeg's ")
          .append("libopenh264, in process) against two ffmpeg CLIs making the same clip from an accurate seek ")
          .append("(`ffmpeg -ss s/fps -i clip -frames:v ").append(CLIP_FRAMES).append(" … -c:a aac -f mpegts`): ")
          .append("the system's with `-c:v libx264 -preset veryfast` (it has no libopenh264), and the ffmpeg program ")
          .append("bundled with Argus's FFmpeg libraries with `-c:v libopenh264 -b:v ").append(bitrate)
          .append(" -allow_skip_frames 0`, Argus's encoder and settings. Warm server (").append(WARM_UP_CLIPS)
          .append(" clips first), ").append(CLIPS).append(" random starts, each side in turn, medians. ")
          .append("Target: CLI / Argus ≥ 0.9.\n\n")
          .append("| | ms | CLI / Argus |\n|---|---:|---:|\n")
          .append(String.format(Locale.ROOT, "| Argus | %.0f | |%n", a))
          .append(String.format(Locale.ROOT, "| ffmpeg CLI, libx264 veryfast | %.0f | %.2f |%n", pct(x264, 50),
                  pct(x264, 50) / a))
          .append(String.format(Locale.ROOT, "| ffmpeg CLI, libopenh264 | %.0f | %.2f |%n%n", pct(openh264, 50),
                  pct(openh264, 50) / a));
    }

    private static void streaming(StringBuilder md, String argusUrl, String nginxUrl, long size) throws Exception {
        read(argusUrl, size, null); // warm-up: the file in the page cache
        read(nginxUrl, size, null);
        List<Double> argus = new ArrayList<>();
        List<Double> nginx = new ArrayList<>();
        for (int i = 0; i < STREAM_RUNS; i++) {
            long t0 = System.nanoTime();
            read(argusUrl, size, null);
            argus.add(size / 1e6 / ((System.nanoTime() - t0) / 1e9));
            t0 = System.nanoTime();
            read(nginxUrl, size, null);
            nginx.add(size / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        double a = pct(argus, 50);
        double n = pct(nginx, 50);
        md.append("### Range streaming\n\nOne client reading the whole ").append(size / 1_000_000)
          .append(" MB file: `GET /api/v1/file/{uuid}/video` against nginx 1.22 serving the same file from disk ")
          .append("(`sendfile on`), medians of ").append(STREAM_RUNS).append(" runs each, in turn, after a warm-up ")
          .append("read of each. Target: ≥ 0.8 of nginx.\n\n")
          .append("| Argus MB/s | nginx MB/s | Argus / nginx |\n|---:|---:|---:|\n")
          .append(String.format(Locale.ROOT, "| %.0f | %.0f | %.2f |%n%n", a, n, a / n));
    }

    private static void memory(StringBuilder md, String url, long size) throws Exception {
        System.gc();
        Thread.sleep(500);
        long before = rssKb();
        long heapBefore = liveHeap();
        AtomicLong peak = new AtomicLong(before);
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    peak.accumulateAndGet(rssKb(), Math::max);
                    heapPeak.accumulateAndGet(liveHeap(), Math::max);
                    Thread.sleep(50);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.start();
        List<Process> clients = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new ProcessBuilder("curl", "-sS", "--fail", "-o", "/dev/null", "-w", "%{size_download}", url)
                        .redirectErrorStream(true).start());
            }
            for (Process c : clients) {
                String got = new String(c.getInputStream().readAllBytes()).strip();
                if (c.waitFor() != 0 || !got.equals(Long.toString(size))) {
                    throw new IllegalStateException("a client read " + got + " bytes, not " + size);
                }
            }
        } finally {
            running.set(false);
            sampler.join();
            clients.forEach(Process::destroyForcibly);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double growth = (peak.get() - before) / 1024.0;
        md.append("### Memory while ").append(CLIENTS).append(" clients stream\n\n").append(CLIENTS)
          .append(" clients (`curl -o /dev/null`, processes of their own) read the whole ").append(size / 1_000_000)
          .append(" MB file from `…/video` at once; resident set of the Argus process and its live heap (each heap pool's usage after ")
          .append("its last collection) sampled every 50 ms; the JVM's options are `").append(String.join(" ",
                  java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`. Target: ")
          .append("RSS growth < 300 MB.\n\n")
          .append("| RSS before MB | RSS peak MB | RSS growth MB | live heap before MB | live heap peak MB | all done s | total MB/s |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|\n")
          .append(String.format(Locale.ROOT, "| %.0f | %.0f | %.0f | %d | %d | %.1f | %.0f |%n%n", before / 1024.0,
                  peak.get() / 1024.0, growth, heapBefore >> 20, heapPeak.get() >> 20, s, CLIENTS * size / 1e6 / s));
    }

    /** Reads a URL to its end (discarding), checking the status and the length read. */
    static long read(String url, long expected, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30));
        if (range != null) {
            b.header("Range", range);
        }
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200 && r.statusCode() != 206) {
                throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(in.readNBytes(500)));
            }
            byte[] buf = new byte[256 * 1024];
            int k;
            while ((k = in.read(buf)) >= 0) {
                n += k;
            }
        }
        if (expected > 0 && n != expected) {
            throw new IllegalStateException(url + " gave " + n + " bytes, not " + expected);
        }
        return n;
    }

    /** @return the heap's live data: each heap pool's usage after its last collection, bytes */
    public static long liveHeap() {
        long sum = 0;
        for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == java.lang.management.MemoryType.HEAP && p.getCollectionUsage() != null) {
                sum += p.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    /** @return the process's resident set, kB ({@code VmRSS} of {@code /proc/self/status}) */
    public static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static JsonNode upload(String base, Path file) throws Exception {
        HttpResponse<String> r = HTTP.send(MultipartUpload.post(base + "/api/v1/files", "video", file,
                Map.of("ops", "none"), Duration.ofMinutes(30)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload of " + file + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return r.body();
    }

    private static String seconds(int frame) {
        return String.format(Locale.ROOT, "%.3f", frame / (double) FPS);
    }

    private static void ffmpeg(String... args) throws IOException, InterruptedException {
        run("ffmpeg", args);
    }

    private static void run(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(program, "-nostdin", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(program + " " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
