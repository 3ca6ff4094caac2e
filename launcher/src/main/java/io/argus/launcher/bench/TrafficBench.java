package io.argus.launcher.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import io.argus.aggregator.tracking.Box;
import io.argus.aggregator.tracking.ByteTracker;
import io.argus.aggregator.tracking.ScoredBox;
import io.argus.aggregator.tracking.TrackerConfig;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.ops.detect.Candidate;
import io.argus.analyzer.ops.detect.OnnxDetectorOp;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.eval.ClipFrames;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * The traffic API's {@code POST /video} on a 1080p clip against the clip's duration and against a
 * bare loop of the same work without Kafka, HTTP or rendering.
 *
 * <p>Clip: the first {@value #SECONDS} s of vtest.avi scaled to 1920×1080 (10 fps, H.264,
 * {@code ffmpeg -vf scale=1920:1080 -c:v libx264 -preset veryfast}). Argus: the default models in
 * a fresh embedded runtime (every stage in one JVM), the clip uploaded as multipart with
 * {@code interval=10000}, timed from the request to the answer: upload, probe, decode, detection at
 * 5 fps, tracking, counting and the annotated MP4's rendering. Bare: decode every frame, run the
 * same {@code detection} op (threshold 0.1) on every second one (5 fps) and the same ByteTrack on
 * its boxes, on one thread. One warm-up job, then {@value #RUNS} runs of each side, alternately;
 * medians.
 */
public final class TrafficBench {

    /** Heading of the section. */
    public static final String HEADING = "## Traffic API on a 1080p clip";

    static final int SECONDS = 30;
    static final int RUNS = 2;

    private TrafficBench() {
    }

    /**
     * @param work scratch directory
     * @return the section as Markdown
     * @throws Exception when ffmpeg or a stage fails
     */
    public static String section(Path work) throws Exception {
        Path clip = work.resolve("vtest-1080p.mp4");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", SampleVideos.ensure("vtest.avi").toString(),
                "-t", Integer.toString(SECONDS), "-vf", "scale=1920:1080", "-c:v", "libx264", "-preset", "veryfast",
                "-pix_fmt", "yuv420p", "-an", clip.toString()).inheritIO().start();
        if (ff.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the 1080p clip");
        }
        Path data = work.resolve("traffic-data");
        OpsBench.installModels(data.resolve("models"));
        List<Double> argus = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        try (ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(data, 0))) {
            String base = "http://127.0.0.1:" + rt.httpPort();
            post(base, clip); // warm-up
            for (int i = 0; i < RUNS; i++) {
                argus.add(post(base, clip));
                bare.add(bare(data.resolve("models"), clip));
            }
        }
        double a = median(argus);
        double b = median(bare);
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Rerun with `./argus bench --suite traffic`. Machine: ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores, Java ").append(System.getProperty("java.version")).append(", ").append(LocalDate.now())
          .append(". The first ").append(SECONDS).append(" s of vtest.avi scaled to 1920×1080 (10 fps, H.264). Argus: ")
          .append("`POST /video` (multipart upload, `interval=10000`) on the embedded runtime with the default models, ")
          .append("request to answer: upload, probe, decoding, `detection` at 5 fps, tracking, counting and the annotated ")
          .append("MP4. Bare: decoding, the same detector on every second frame and ByteTrack, one thread, nothing ")
          .append("stored or rendered. Medians of ").append(RUNS).append(" runs after a warm-up job. Targets: faster than ")
          .append("real time (duration / Argus > 1).\n\n")
          .append("| clip s | Argus s | bare s | duration / Argus | bare / Argus |\n|---:|---:|---:|---:|---:|\n")
          .append(String.format("| %d | %.1f | %.1f | %.2f | %.2f |%n", SECONDS, a, b, SECONDS / a, b / a));
        return md.toString();
    }

    private static double post(String base, Path clip) throws Exception {
        HttpRequest req = MultipartUpload.post(base + "/video", "video", clip, java.util.Map.of("interval", "10000"),
                Duration.ofMinutes(20));
        long t0 = System.nanoTime();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /video answered " + r.statusCode() + ": " + r.body());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double bare(Path models, Path clip) throws Exception {
        OnnxDetectorOp.Provider p = (OnnxDetectorOp.Provider) OpRegistry.builtin(models).get("detection").orElseThrow();
        TreeSet<Integer> frames = new TreeSet<>();
        for (int i = 0; i < SECONDS * 10; i += 2) {
            frames.add(i);
        }
        long t0 = System.nanoTime();
        ByteTracker tracker = new ByteTracker(TrackerConfig.defaults());
        try (OnnxDetectorOp op = new OnnxDetectorOp(p.spec())) {
            ClipFrames.decode(clip, frames, (index, bgr) -> {
                List<ScoredBox> boxes = new ArrayList<>();
                try {
                    for (Candidate c : op.detect(bgr, 0.1f)) {
                        boxes.add(new ScoredBox(new Box(c.x0(), c.y0(), c.x1(), c.y1()), c.score(),
                                p.spec().labels().get(c.cls())));
                    }
                } catch (ai.onnxruntime.OrtException e) {
                    throw new java.io.IOException(e);
                }
                tracker.update(index * 100L, boxes);
            });
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
