package io.argus.launcher.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.flow.FloFile;
import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowPolar;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.flow.FlowStats;
import io.argus.extractor.flow.FlowVisualizer;
import io.argus.extractor.flow.NativeFlow;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.extractor.worker.FlowPairTask;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.avro.FlowSpec;

/**
 * Where a flow worker's time goes, without Kafka: the pairs of the flow-worker benchmark
 * (a video every 1 s, each frame with the next decoded one) are stored as gray PGM in a
 * {@link LocalFrameStore} under a temporary directory, then for each flow setting
 *
 * <ol>
 * <li>per stage, one thread, every pair once untimed and then PASSES times, each pass storing
 *     under new keys: frame read, PGM decode, flow ({@link FlowComputer#computeNative}),
 *     {@code .flo} store ({@link FloFile#buffers}), magnitude/angle pass ({@link FlowPolar}),
 *     statistics, picture (render + JPEG), JPEG alone (the same picture encoded again, not part of
 *     the total), picture store; mean and median ms per pair;</li>
 * <li>throughput: {@link FlowPairTask#process} on a pool of 1 and 2 threads, with OpenCV's
 *     default thread count and with 1, against the bare loop of the flow-worker benchmark
 *     ({@link FlowComputer#compute(Mat, Mat)} over the decoded frames in memory, one caller,
 *     OpenCV's default threads): ms per pair and bare / worker.</li>
 * </ol>
 *
 * <p>The two store stages depend on the machine more than on Argus: on the 2-core development VM
 * creating a file took ~0.5 ms of kernel time and the first touch of a fresh 4 KB page ~3 µs, so
 * a 3.5 MB {@code .flo} written into new page-cache pages took 4–6 ms where recycled pages took
 * ~1.2 ms. Compare those stages within one run, not across runs.
 *
 * <p>Run it with {@code java -cp … io.argus.launcher.bench.FlowPairBench VIDEO [PASSES=2] [WHAT=all]},
 * WHAT one of {@code all}, {@code stages}, {@code throughput} and optionally {@code :LABEL} to run
 * one setting only (e.g. {@code throughput:DIS-FAST@1.0}); the temporary directory is deleted at
 * the end.
 */
public final class FlowPairBench {

    private static final String[] STAGES = {"read", "decode", "flow", "floPut", "polar", "stats", "viz", "jpegOnly",
        "jpgPut", "total"};

    private FlowPairBench() {
    }

    /**
     * @param args video path, optional number of timed passes over the pairs (default 2), optional
     *             WHAT (see the class comment)
     * @throws Exception when the video cannot be read or the store written
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FlowPairBench VIDEO [PASSES=2]");
            System.exit(2);
        }
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String[] what = (args.length > 2 ? args[2] : "all").split(":", 2);
        boolean stages = !what[0].equals("throughput");
        boolean throughput = !what[0].equals("stages");
        Path root = Files.createTempDirectory("argus-flow-pair-bench");
        try {
            LocalFrameStore store = new LocalFrameStore(root);
            FlowBenchPairs pairs = FlowBenchPairs.store(args[0], store, "pairs");
            List<String[]> uris = pairs.uris();
            List<Mat[]> frames = pairs.frames();
            System.out.printf(Locale.ROOT, "%d pairs from %s, OpenCV %d threads by default%n", uris.size(), args[0],
                    opencv_core.getNumThreads());
            int defaultThreads = opencv_core.getNumThreads();
            for (FlowSettings s : List.of(FlowSettings.dis(), FlowSettings.dis().withScale(0.5),
                    FlowSettings.farneback())) {
                if (what.length > 1 && !what[1].equals(s.label())) {
                    continue;
                }
                if (stages) {
                    System.out.println(stages(s, store, uris, passes));
                }
                for (int opencvThreads : throughput ? new int[] {defaultThreads, 1} : new int[0]) {
                    for (int threads : new int[] {1, 2}) {
                        opencv_core.setNumThreads(defaultThreads);
                        double bare = bare(s, frames, passes);
                        opencv_core.setNumThreads(opencvThreads);
                        double ours = tasks(s, store, uris, threads, passes);
                        System.out.printf(Locale.ROOT,
                                "%-16s worker threads %d, OpenCV threads %d: bare %.2f ms/pair, worker %.2f ms/pair,"
                                        + " bare/worker %.2f%n",
                                s.label(), threads, opencvThreads, bare, ours, bare / ours);
                    }
                }
                opencv_core.setNumThreads(defaultThreads);
            }
            pairs.close();
        } finally {
            try (var walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Per-stage ms per pair on one thread, as the worker runs them; each pass writes new keys. */
    private static String stages(FlowSettings settings, LocalFrameStore store, List<String[]> uris, int passes)
            throws IOException {
        int n = uris.size();
        long[][] nanos = new long[STAGES.length][passes * n];
        try (FlowComputer computer = new FlowComputer(settings); FlowPolar polar = new FlowPolar();
                FlowVisualizer visualizer = new FlowVisualizer(); JpegEncoder encoder = new JpegEncoder();
                Mat first = new Mat(); Mat second = new Mat()) {
            BufferedImage rgb = null;
            for (int pass = -1; pass < passes; pass++) {
                String request = "stages-" + settings.label().replace('@', '-') + "-" + pass;
                for (int i = 0; i < n; i++) {
                    long[] t = new long[STAGES.length];
                    long t0 = System.nanoTime();
                    byte[] a = store.get(URI.create(uris.get(i)[0]));
                    byte[] b = store.get(URI.create(uris.get(i)[1]));
                    t[0] = System.nanoTime();
                    Pgm.decode(a, first);
                    Pgm.decode(b, second);
                    t[1] = System.nanoTime();
                    NativeFlow flow = computer.computeNative(first, second);
                    t[2] = System.nanoTime();
                    store.put(StoreKeys.extraction(request, i, ".flo"), FloFile.buffers(flow));
                    t[3] = System.nanoTime();
                    polar.compute(flow);
                    t[4] = System.nanoTime();
                    FlowStats.of(polar);
                    t[5] = System.nanoTime();
                    byte[] jpeg = visualizer.renderJpeg(polar, encoder);
                    t[6] = System.nanoTime();
                    rgb = rgbCopy(visualizer.render(polar), rgb);
                    long j0 = System.nanoTime();
                    encoder.encode(rgb);
                    t[7] = System.nanoTime();
                    long p0 = System.nanoTime();
                    store.put(StoreKeys.extraction(request, i, "-flow.jpg"), jpeg);
                    t[8] = System.nanoTime();
                    if (pass >= 0) {
                        int k = pass * n + i;
                        nanos[0][k] = t[0] - t0;
                        for (int s = 1; s < 7; s++) {
                            nanos[s][k] = t[s] - t[s - 1];
                        }
                        nanos[7][k] = t[7] - j0;
                        nanos[8][k] = t[8] - p0;
                        nanos[9][k] = t[6] - t0 + t[8] - p0;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s ms/pair mean (median):",
                settings.label()));
        for (int s = 0; s < STAGES.length; s++) {
            long[] v = nanos[s].clone();
            Arrays.sort(v);
            double mean = Arrays.stream(v).average().orElse(0) / 1e6;
            out.append(String.format(Locale.ROOT, " %s %.2f (%.2f)", STAGES[s], mean, v[v.length / 2] / 1e6));
        }
        return out.toString();
    }

    /** @return an {@link JpegEncoder#rgbImage} with the pixels of a BGR image */
    private static BufferedImage rgbCopy(BufferedImage bgr, BufferedImage reuse) {
        BufferedImage rgb = reuse != null && reuse.getWidth() == bgr.getWidth() && reuse.getHeight() == bgr.getHeight()
                ? reuse : JpegEncoder.rgbImage(bgr.getWidth(), bgr.getHeight());
        byte[] src = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] dst = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return rgb;
    }

    /** @return ms per pair of the flow-worker benchmark's bare loop */
    private static double bare(FlowSettings settings, List<Mat[]> frames, int passes) {
        try (FlowComputer computer = new FlowComputer(settings)) {
            for (Mat[] p : frames.subList(0, Math.min(3, frames.size()))) {
                computer.compute(p[0], p[1]);
            }
            long t0 = System.nanoTime();
            for (int pass = 0; pass < passes; pass++) {
                for (Mat[] p : frames) {
                    computer.compute(p[0], p[1]);
                }
            }
            return (System.nanoTime() - t0) / 1e6 / (passes * frames.size());
        }
    }

    /** @return wall ms per pair of {@link FlowPairTask#process} over every pair, on a pool */
    private static double tasks(FlowSettings settings, LocalFrameStore store, List<String[]> uris, int threads,
            int passes) throws Exception {
        FlowSpec spec = FlowSpec.newBuilder().setAlgorithm(settings.algorithm().name())
                .setPreset(settings.disPreset().name()).setScale(settings.scale()).setGap(1).build();
        List<FlowPairTask> created = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThreadLocal<FlowPairTask> task = ThreadLocal.withInitial(() -> {
            FlowPairTask t = new FlowPairTask(store);
            created.add(t);
            return t;
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            run(pool, pairs("warmup-" + threads, spec, uris.subList(0, Math.min(2 * threads, uris.size()))), task);
            List<FlowPair> timed = new ArrayList<>();
            for (int pass = 0; pass < passes; pass++) {
                timed.addAll(pairs("tasks-" + settings.label().replace('@', '-') + "-" + threads + "-"
                        + opencv_core.getNumThreads() + "-" + pass, spec, uris));
            }
            long t0 = System.nanoTime();
            run(pool, timed, task);
            return (System.nanoTime() - t0) / 1e6 / timed.size();
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            created.forEach(FlowPairTask::close);
        }
    }

    private static List<FlowPair> pairs(String request, FlowSpec spec, List<String[]> uris) {
        List<FlowPair> out = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            out.add(FlowPair.newBuilder().setRequestId(request).setVideoId("bench").setPattern("uniform").setSeq(i)
                    .setOffsetMs(i * 1000L).setPairOffsetMs(i * 1000L + 100).setUri(uris.get(i)[0])
                    .setPairUri(uris.get(i)[1]).setWidth(0).setHeight(0).setFlow(spec).build());
        }
        return out;
    }

    private static void run(ExecutorService pool, List<FlowPair> pairs, ThreadLocal<FlowPairTask> task)
            throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (FlowPair p : pairs) {
            Supplier<Object> work = () -> {
                try {
                    return task.get().process(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            futures.add(pool.submit(work::get));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }
}
