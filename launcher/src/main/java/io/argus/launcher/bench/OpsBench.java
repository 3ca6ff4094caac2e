package io.argus.launcher.bench;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;


import ai.onnxruntime.OrtSession;
import io.argus.analyzer.FrameAnalysis;
import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.ops.BlazeFaceOp;
import io.argus.analyzer.ops.MotionOp;
import io.argus.analyzer.ops.PersonHogOp;
import io.argus.analyzer.ops.detect.CocoLabels;
import io.argus.analyzer.ops.detect.DetectorSpec;
import io.argus.analyzer.ops.detect.ObjectDetection;
import io.argus.analyzer.ops.detect.SharedSessions;
import io.argus.edge.request.JobRequestParser;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.ingest.FrameSink;
import io.argus.ingest.KafkaFrameSinks;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobRequest;

/**
 * The built-in inference ops on real frames, and the analyzer against a bare ONNX Runtime loop.
 * Frames: vtest.avi every {@value #INTERVAL_MS} ms ({@value #FRAMES} frames, 768×576), JPEG-encoded
 * as ingest stores them (ImageIO, quality 0.9), decoded once before anything is timed.
 * <ol>
 *   <li>Per op, ms/frame: what the analyzer does for one frame with one op ({@link FrameAnalysis}:
 *       read the JPEG from a local frame store, decode it with OpenCV, run the op with its
 *       {@code OpContext}; {@code motion} reads and decodes the previous frame through the
 *       context's {@code prev_uri}, as in a job), on one thread, intra-op threads 1. Ops:
 *       {@code detection} and {@code person} (SSD-MobileNetV2 on ONNX Runtime), {@code face_detect}
 *       (BlazeFace), {@code motion}, and the HOG people detector ({@link PersonHogOp}) for
 *       reference. Median over runs of (pass time / frames) after one warm-up pass; also the op's
 *       own time (the results' {@code processing_ms}, without the read and decode).</li>
 *   <li>Analyzer against bare ONNX Runtime, frames/s, alternating in the same run. Argus: the
 *       embedded runtime with every stage; the frames are stored in its frame store beforehand and
 *       the job's BEGIN, FRAME ({@code ops: [detection]}) and END events are written straight to
 *       argus.frames, timed from the first send to the last FrameResult read by a read_committed
 *       consumer of argus.frame-results (so ingest's decode and JPEG encode are left out, and
 *       everything the analyzer stage does is in: poll, store read, decode, op, transaction,
 *       results). Bare: {@link BareSsd}, the same model, preprocessing, box decoding and NMS on the
 *       same JPEGs held in memory, with ONNX Runtime directly; once as one loop whose session has
 *       as many intra-op threads as the analyzer has threads × intra-op threads, and once laid out
 *       as the analyzer is (one loop per analyzer thread, one shared session with the analyzer's
 *       intra-op threads).</li>
 * </ol>
 * The models (npm {@code faces} and {@code objects}) are installed once into
 * {@link OpRegistry#modelsDir()} (downloaded on first use) and copied into the bench runtime's
 * data directory.
 */
public final class OpsBench {

    /**
     * Op of the comparison with a bare loop: the SSD detector, whose preprocessing and box decoding
     * {@link BareSsd} writes out (with the default models installed, {@code detection} is NanoDet-m).
     */
    static final String COMPARED_OP = ObjectDetection.SSD_NAME;

    /** Heading of the section, used to replace it in an existing report. */
    public static final String HEADING = "## Ops against a bare ONNX Runtime loop";
    /** Sampling interval of the frames, ms. */
    static final long INTERVAL_MS = 2000;
    /** Frames used, at most. */
    static final int FRAMES = 40;

    /** One stored frame: its JPEG, offset in ms and size in pixels. */
    private record Frame(byte[] jpeg, long offsetMs, int width, int height) {
    }

    /**
     * One op's cost on one thread.
     *
     * @param op       op name as in a job request
     * @param what     implementation
     * @param msFrame  median ms per frame: store read + JPEG decode + op
     * @param opMs     median ms per frame of the op alone
     */
    record OpRow(String op, String what, double msFrame, double opMs) {
    }

    /**
     * One side of the analyzer comparison, medians over the runs.
     *
     * @param side    "Argus" or "bare"
     * @param layout  threads and intra-op threads
     * @param ms      wall time for the frames, ms
     * @param boxes   detections over all frames (both sides must agree)
     */
    record SideRow(String side, String layout, double ms, long boxes) {
    }

    private OpsBench() {
    }

    /**
     * Runs both parts and renders the section.
     *
     * @param work scratch directory
     * @param runs measured runs of the analyzer comparison (one more warms up); the per-op timing
     *             uses min(runs, 3)
     * @return the section as Markdown, starting with a newline and {@link #HEADING}
     * @throws Exception when a model cannot be installed or a stage fails
     */
    public static String section(Path work, int runs) throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        Path data = work.resolve("ops-data");
        Path models = installModels(data.resolve("models"));
        List<Frame> frames = frames(vtest);
        int n = frames.size();

        int opRuns = Math.min(runs, 3);
        List<OpRow> ops = perOp(frames, models, work.resolve("ops-frames"), opRuns);

        RuntimeConfig config = RuntimeConfig.embedded(data, -1);
        int threads = config.analyzerThreads();
        int intra = SharedSessions.defaultIntraOpThreads();
        List<Double> argusMs = new ArrayList<>();
        List<Double> loopMs = new ArrayList<>();
        List<Double> poolMs = new ArrayList<>();
        List<Double> argusOp = new ArrayList<>();
        List<Double> argusFirst = new ArrayList<>();
        List<double[]> loopStages = new ArrayList<>();
        List<double[]> poolStages = new ArrayList<>();
        List<double[]> argusCpu = new ArrayList<>();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long argusBoxes = 0;
        long loopBoxes = 0;
        long poolBoxes = 0;
        double readMs;
        Path model = ModelInstaller.locate(ModelSpec.OBJECTS, models).file(ModelDerivations.OBJECTS_ONNX);
        try (ArgusRuntime rt = ArgusRuntime.start(config);
             KafkaFrameSinks sinks = new KafkaFrameSinks(rt.kafka(), rt.topics(), "ops-bench");
             TopicTail<FrameResult> results = new TopicTail<>(rt.kafka(), rt.topics().frameResults());
             OrtSession loopSession = BareSsd.open(model, threads * intra);
             OrtSession poolSession = BareSsd.open(model, intra);
             BareSsd loop = bare(loopSession)) {
            if (!rt.ops().names().contains(COMPARED_OP)) {
                throw new IllegalStateException("the runtime has no op " + COMPARED_OP + ": " + rt.ops().names());
            }
            List<String> uris = store(rt.frames(), frames, "ops-bench");
            readMs = readMs(rt.frames(), uris);
            JobRequestParser parser = new JobRequestParser(rt.ops().names());
            String body = "{\"data\":{\"uri\":\"" + vtest + "\"},\"params\":{\"vframe\":{\"mode\":0,\"interval\":"
                    + INTERVAL_MS / 1000.0 + "}},\"ops\":[{\"op\":\"" + COMPARED_OP + "\"}]}";
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<BareSsd> workers = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    workers.add(bare(poolSession));
                }
                for (int run = 0; run <= runs; run++) {
                    JobRequest job = parser.parse("ops-bench", body);
                    String id = job.getJobId();
                    double[] cpu0 = cpu();
                    long start = System.currentTimeMillis();
                    try (FrameSink sink = sinks.open(id)) { // as ingest sends a job's events
                        sink.send(marker(job, FrameKind.BEGIN, 0).setJob(job).build());
                        for (int i = 0; i < n; i++) {
                            Frame f = frames.get(i);
                            sink.send(marker(job, FrameKind.FRAME, i)
                                    .setOffsetMs(f.offsetMs()).setWidth(f.width()).setHeight(f.height())
                                    .setUri(uris.get(i)).setSizeBytes(f.jpeg().length)
                                    .setPrevUri(i == 0 ? null : uris.get(i - 1))
                                    .setOps(List.of(COMPARED_OP)).build());
                        }
                        sink.send(marker(job, FrameKind.END, n).build());
                        sink.flush();
                    }
                    List<FrameResult> done = results.await(r -> r.getJobId().equals(id), n, Duration.ofMinutes(10));
                    if (done.size() < n) {
                        throw new IllegalStateException("only " + done.size() + " of " + n + " results");
                    }
                    List<TopicTail.Seen<FrameResult>> seen = results.seen(r -> r.getJobId().equals(id));
                    long first = Long.MAX_VALUE;
                    long last = 0;
                    double op = 0;
                    long boxes = 0;
                    for (TopicTail.Seen<FrameResult> s : seen) {
                        if (s.value().getError() != null) {
                            throw new IllegalStateException("detection failed: " + s.value().getError());
                        }
                        first = Math.min(first, s.receivedAtMs());
                        last = Math.max(last, s.receivedAtMs());
                        op += s.value().getProcessingMs();
                        boxes += s.value().getDetections().size();
                    }
                    double ours = last - start;
                    double[] cpu1 = cpu();

                    loop.resetStages();
                    long t0 = System.nanoTime();
                    long lb = 0;
                    for (Frame f : frames) {
                        lb += loop.detect(f.jpeg());
                    }
                    double bareLoop = (System.nanoTime() - t0) / 1e6;

                    workers.forEach(BareSsd::resetStages);
                    AtomicInteger next = new AtomicInteger();
                    List<Callable<Long>> tasks = new ArrayList<>();
                    for (BareSsd w : workers) {
                        tasks.add(() -> {
                            long b = 0;
                            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                                b += w.detect(frames.get(i).jpeg());
                            }
                            return b;
                        });
                    }
                    t0 = System.nanoTime();
                    long pb = 0;
                    for (Future<Long> f : pool.invokeAll(tasks)) {
                        pb += f.get();
                    }
                    double barePool = (System.nanoTime() - t0) / 1e6;
                    System.err.printf("ops bench run %d: Argus %.0f ms (first result %d ms, op %.1f ms/frame), "
                            + "bare loop %.0f ms, bare %d threads %.0f ms; boxes %d / %d / %d%n", run, ours,
                            first - start, op / n, bareLoop, threads, barePool, boxes, lb, pb);
                    if (run > 0) {
                        argusMs.add(ours);
                        loopMs.add(bareLoop);
                        poolMs.add(barePool);
                        argusOp.add(op / n);
                        argusFirst.add((double) (first - start));
                        argusCpu.add(new double[] {cpu1[0] - cpu0[0], cpu1[1] - cpu0[1],
                                cpu1[2] - cpu0[2] - (cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1]), 0});
                        loopStages.add(perFrame(List.of(loop), n));
                        poolStages.add(perFrame(workers, n));
                    }
                    argusBoxes = boxes;
                    loopBoxes = lb;
                    poolBoxes = pb;
                }
            } finally {
                pool.shutdownNow();
                workers.forEach(BareSsd::close);
            }
        }
        List<SideRow> sides = List.of(
                new SideRow("Argus", threads + " analyzer threads × " + intra + " intra-op", median(argusMs), argusBoxes),
                new SideRow("bare, one loop", "1 thread × " + threads * intra + " intra-op", median(loopMs), loopBoxes),
                new SideRow("bare, analyzer's layout", threads + " threads × " + intra + " intra-op, shared session",
                        median(poolMs), poolBoxes));
        return render(n, opRuns, runs, ops, sides, threads, intra, readMs, medianOf(loopStages),
                medianOf(poolStages), median(argusOp), median(argusFirst), medianOf(argusCpu), load);
    }

    private static String render(int n, int opRuns, int runs, List<OpRow> ops, List<SideRow> sides, int threads,
                                 int intra, double readMs, double[] loopStages, double[] poolStages, double argusOp,
                                 double argusFirst, double[] cpu, double load) {
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("vtest.avi every ").append(INTERVAL_MS / 1000).append(" s, ").append(n)
          .append(" frames (768×576), JPEG-encoded once as ingest stores them (q 0.9). Rerun this section alone with ")
          .append("`./argus bench --suite ops` (installs the default models into the models directory ")
          .append("on first use).\n\n")
          .append("Per op: the analyzer's work for one frame and one op (read the JPEG from a local frame store, ")
          .append("decode it with OpenCV, run the op; `motion` also reads and decodes the previous frame through its ")
          .append("`prev_uri`, as in a job) on one thread, ONNX Runtime intra-op threads 1. Median of ").append(opRuns)
          .append(" passes over the frames after a warm-up pass. Op alone: the results' `processing_ms`.\n\n")
          .append("| op | implementation | ms/frame | op alone ms/frame | frames/s |\n")
          .append("|---|---|---:|---:|---:|\n");
        for (OpRow r : ops) {
            md.append(String.format("| `%s` | %s | %.1f | %.1f | %.1f |%n", r.op(), r.what(), r.msFrame(), r.opMs(),
                    1000 / r.msFrame()));
        }
        double bare = sides.get(1).ms();
        double argus = sides.get(0).ms();
        md.append("\nAnalyzer against bare ONNX Runtime, op `" + COMPARED_OP + "` (SSD-MobileNetV2, whose bare loop is "
                + "written here; `detection` is NanoDet-m when its model is installed), the same frames, alternating, medians of ")
          .append(runs).append(" runs after a warm-up. Argus: the embedded runtime with every stage; the frames sit ")
          .append("in its frame store beforehand and the job's BEGIN, FRAME and END events are written straight to ")
          .append("argus.frames; timed from the first send to the last FrameResult read by a read_committed consumer ")
          .append("of argus.frame-results (ingest's decode and JPEG encode are left out; the analyzer's poll, store ")
          .append("read, decode, op, Kafka transaction and the aggregator's work on the results are in). Bare: the ")
          .append("same model, preprocessing (300×300 stretch, RGB, float), box decoding and per-class NMS written ")
          .append("directly against ONNX Runtime and OpenCV, on the same JPEGs in memory, with the analyzer's session ")
          .append("options; once as one loop whose session uses ").append(threads).append(" × ").append(intra)
          .append(" intra-op threads (the cores the analyzer's ").append(threads).append(" threads × ").append(intra)
          .append(" intra-op threads use), once laid out as the analyzer is. Overhead = Argus time / bare time − 1 ")
          .append("(target <= 10% against the one loop).\n\n")
          .append("| side | threads | ms | frames/s | boxes | Argus overhead |\n")
          .append("|---|---|---:|---:|---:|---:|\n");
        for (SideRow s : sides) {
            md.append(String.format("| %s | %s | %.0f | %.1f | %d | %s |%n", s.side(), s.layout(), s.ms(),
                    n * 1000 / s.ms(), s.boxes(),
                    s.side().equals("Argus") ? "" : String.format("%+.0f%%", (argus / s.ms() - 1) * 100)));
        }
        double layout = sides.get(2).ms();
        double loopWork = loopStages[1] + loopStages[2] + loopStages[3];
        double poolWork = poolStages[1] + poolStages[2] + poolStages[3];
        double loopCompute = n * (loopStages[0] + loopWork);
        double poolCompute = n * (poolStages[0] + poolWork) / threads;
        // Argus's decode is not reported on its own: taken as the bare decode in the same layout.
        double argusCompute = n * (readMs + poolStages[0] + argusOp) / threads;
        md.append("\nWhere the time goes (medians). Per frame, ms, on the thread that ran it; compute = per-frame ")
          .append("sum × frames / threads; pipeline = wall − compute. Argus's JPEG decode happens inside the ")
          .append("analyzer and is not reported on its own: its compute uses the bare decode of the same layout.\n\n")
          .append("| | bare, one loop | bare, analyzer's layout | Argus |\n")
          .append("|---|---:|---:|---:|\n")
          .append(String.format("| store read | – | – | %.2f |%n", readMs))
          .append(String.format("| JPEG decode | %.1f | %.1f | (%.1f) |%n", loopStages[0], poolStages[0], poolStages[0]))
          .append(String.format("| prep + run + boxes/NMS | %.1f | %.1f | %.1f |%n", loopWork, poolWork, argusOp))
          .append(String.format("| of which `OrtSession.run` | %.1f | %.1f | – |%n", loopStages[2], poolStages[2]))
          .append(String.format("| compute, ms | %.0f | %.0f | %.0f |%n", loopCompute, poolCompute, argusCompute))
          .append(String.format("| wall, ms | %.0f | %.0f | %.0f |%n", bare, layout, argus))
          .append(String.format("| pipeline, ms | %.0f | %.0f | %.0f |%n", bare - loopCompute, layout - poolCompute,
                  argus - argusCompute))
          .append(String.format("%nArgus's op column is the results' `processing_ms` (ImagePrep, run, box decoding, NMS "
                  + "and the result's JSON). Argus's first result was readable %.0f ms after the first send; the "
                  + "analyzer polls at most %d frames (2 × threads) per batch, hands each batch to its %d threads at "
                  + "once, keeps polling while they run and commits the finished batches in order, together, in one "
                  + "Kafka transaction.%n",
                  argusFirst, Math.max(2, threads * 2), threads))
          .append(String.format("CPU time in the process while Argus ran (medians): analyzer op threads %.0f ms, "
                          + "analyzer poll thread (transactions) %.0f ms, everything else (broker, aggregator, the other "
                          + "stages, GC and JIT, this benchmark's producer and consumer) %.0f ms, out of %d cores × %.0f ms wall. "
                          + "Machine load average when the comparison started: %.1f.%n",
                  cpu[0], cpu[1], cpu[2], Runtime.getRuntime().availableProcessors(), argus, load));
        md.append(String.format("%nResult: Argus %.1f frames/s against %.1f for the bare loop (1 × %d intra-op), "
                        + "overhead %+.0f%% (target <= 10%%: %s); against the bare loops in the analyzer's own layout "
                        + "(%.1f frames/s), %+.0f%%.%n", n * 1000 / argus, n * 1000 / bare, threads * intra,
                (argus / bare - 1) * 100, argus / bare - 1 <= 0.10 ? "met" : "missed", n * 1000 / layout,
                (argus / layout - 1) * 100));
        return md.toString();
    }

    /** Installs both models into the shared models directory once, then copies them into {@code target}. */
    /**
     * Installs the default models into the shared models directory once and copies them to {@code target}.
     *
     * @param target a data directory's models directory
     * @return target
     * @throws IOException when a copy fails
     */
    public static Path installModels(Path target) throws IOException {
        Path cache = OpRegistry.modelsDir().toAbsolutePath();
        ModelInstaller installer = new ModelInstaller();
        for (ModelSpec spec : ModelSpec.defaults()) {
            installer.install(spec, cache);
            copyTree(cache.resolve(spec.name()), target.resolve(spec.name()));
        }
        return target;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static List<Frame> frames(Path vtest) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(INTERVAL_MS));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            while (frames.size() < FRAMES && (f = s.next()) != null) {
                BufferedImage image = JpegEncoder.copyOf(f.image());
                frames.add(new Frame(enc.encode(image), f.offsetMs(), image.getWidth(), image.getHeight()));
            }
        }
        return frames;
    }

    private static List<String> store(FrameStore store, List<Frame> frames, String prefix) throws IOException {
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            uris.add(store.put(StoreKeys.frame(prefix, i), frames.get(i).jpeg()).toString());
        }
        return uris;
    }

    /** Median ms to read one frame back from the store (five passes). */
    private static double readMs(FrameStore store, List<String> uris) throws IOException {
        List<Double> passes = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            long t0 = System.nanoTime();
            for (String u : uris) {
                store.get(URI.create(u));
            }
            passes.add((System.nanoTime() - t0) / 1e6 / uris.size());
        }
        return median(passes);
    }

    private static List<OpRow> perOp(List<Frame> frames, Path models, Path dir, int runs) throws IOException {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<String> uris = store(store, frames, "ops");
        OpRegistry builtin = OpRegistry.builtin(models);
        OpRegistry hog = new OpRegistry(List.of(PersonHogOp.provider()));
        List<OpRow> rows = new ArrayList<>();
        boolean nanodet = ObjectDetection.available(ModelSpec.NANODET, models);
        rows.add(time(builtin, ObjectDetection.NAME, nanodet ? "NanoDet-m COCO, ONNX Runtime, 416×416 letterbox (the default)"
                : "SSD-MobileNetV2 COCO, ONNX Runtime, 300×300", frames, uris, store, runs));
        rows.add(time(builtin, ObjectDetection.PERSON, "the same detector, people only", frames, uris, store, runs));
        if (nanodet) {
            rows.add(time(builtin, ObjectDetection.SSD_NAME, "SSD-MobileNetV2 COCO, ONNX Runtime, 300×300", frames, uris,
                    store, runs));
        }
        rows.add(time(builtin, BlazeFaceOp.NAME, "BlazeFace back-256, ONNX Runtime", frames, uris, store, runs));
        rows.add(time(builtin, MotionOp.NAME, "frame differencing against the previous frame (2 JPEG decodes)",
                frames, uris, store, runs));
        rows.add(time(hog, PersonHogOp.NAME, "OpenCV HOG people detector (reference; used when the objects "
                + "model is missing)", frames, uris, store, runs));
        return rows;
    }

    private static OpRow time(OpRegistry registry, String op, String what, List<Frame> frames, List<String> uris,
                              FrameStore store, int runs) {
        if (registry.get(op).isEmpty()) {
            throw new IllegalStateException("op " + op + " unavailable: " + registry.names());
        }
        List<FrameEvent> events = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            events.add(FrameEvent.newBuilder().setJobId("ops").setVideoId("vtest").setKind(FrameKind.FRAME).setSeq(i)
                    .setOffsetMs(f.offsetMs()).setWidth(f.width()).setHeight(f.height()).setUri(uris.get(i))
                    .setSizeBytes(f.jpeg().length).setPrevUri(i == 0 ? null : uris.get(i - 1))
                    .setOps(List.of(op)).build());
        }
        List<Double> total = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        try (FrameAnalysis analysis = new FrameAnalysis(registry, store)) {
            for (int run = 0; run <= runs; run++) {
                double opMs = 0;
                long t0 = System.nanoTime();
                for (FrameEvent e : events) {
                    for (FrameResult r : analysis.analyze(e)) {
                        if (r.getError() != null) {
                            throw new IllegalStateException("op " + op + " failed: " + r.getError());
                        }
                        opMs += r.getProcessingMs();
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                if (run > 0) {
                    total.add(ms / events.size());
                    alone.add(opMs / events.size());
                }
            }
        }
        System.err.printf("ops bench: %s %.1f ms/frame (op alone %.1f)%n", op, median(total), median(alone));
        return new OpRow(op, what, median(total), median(alone));
    }

    /**
     * @return CPU time so far, ms: the analyzer's op threads, its poll thread, the whole process
     */
    private static double[] cpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double op = 0;
        double poll = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns < 0) {
                continue;
            }
            if (t.getThreadName().equals("argus-analyzer-op")) {
                op += ns / 1e6;
            } else if (t.getThreadName().startsWith("argus-analyzer-poll")) {
                poll += ns / 1e6;
            }
        }
        double process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        return new double[] {op, poll, process};
    }

    private static BareSsd bare(OrtSession session) throws ai.onnxruntime.OrtException {
        return new BareSsd(session, CocoLabels.BY_INDEX, ObjectDetection.THRESHOLD, DetectorSpec.DEFAULT_NMS_IOU,
                DetectorSpec.DEFAULT_MAX_DETECTIONS);
    }

    private static FrameEvent.Builder marker(JobRequest job, FrameKind kind, long seq) {
        return FrameEvent.newBuilder().setJobId(job.getJobId()).setVideoId(job.getVideoId()).setKind(kind)
                .setSeq(seq).setOffsetMs(0).setOps(List.of());
    }

    /** Stage times of the last pass, ms per frame, summed over the given instances. */
    private static double[] perFrame(List<BareSsd> instances, int frames) {
        double[] out = new double[4];
        for (BareSsd b : instances) {
            long[] ns = b.stageNanos();
            for (int i = 0; i < 4; i++) {
                out[i] += ns[i] / 1e6 / frames;
            }
        }
        return out;
    }

    private static double[] medianOf(List<double[]> rows) {
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            List<Double> col = new ArrayList<>();
            for (double[] r : rows) {
                col.add(r[i]);
            }
            out[i] = median(col);
        }
        return out;
    }

    private static double median(List<Double> values) {
        return ExtractionBench.median(values);
    }
}
