package io.argus.analyzer.ops.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.ops.BlazeFaceOp;
import io.argus.testkit.faces.MarkedPeople;

/**
 * Face verification on real footage: the faces BlazeFace finds in the five committed clips
 * ({@code src/test/resources/faces/README.md}: four Intel sample videos, CC BY 4.0), each labelled
 * with the person it shows by its position in the frame (the people in these clips barely move;
 * a face farther than {@value #MAX_OFFSET} px from every marked position is left out). Pairs of
 * faces of the same person (at least {@value #MIN_GAP} frames apart, or in different clips) and
 * of different people are scored by cosine similarity of their MobileFaceNet embeddings:
 * aligned ({@link FaceAligner}, as {@code face_embed} does) and unaligned (the detector's box made
 * square, resized to 112×112). Reports the true-accept rate at a false-accept rate of 1%, the two
 * score distributions, and ms per face of {@code face_embed}'s embedding path against a bare ONNX
 * Runtime loop over the same prepared crops; prints them and writes {@code target/face-verification.txt}.
 */
class FaceVerificationTest {

    static final int MIN_GAP = 5;
    static final double MAX_OFFSET = 40;

    /**
     * The people, marked by eye on the first frames. hp-female and the left woman of
     * hp-female-and-male are the same woman (same studio, hair and dress); hp-male and the right man
     * of hp-female-and-male the same man (same studio, shirt and face).
     */
    static final List<MarkedPeople.Person> PEOPLE = MarkedPeople.read(java.nio.file.Path.of("src", "test", "resources", "faces", "people.csv"));

    /**
     * Identity pairs whose relation is not known (the dark-haired woman of walking-and-pause may be
     * the head-pose woman): their faces count in neither set.
     */
    static final Set<String> UNKNOWN = Set.of("hp-woman|wp-left-woman", "wp-left-woman|hp-woman");

    private static final List<Labelled> FACES = new ArrayList<>();
    private static BlazeFaceOp detector;

    /** A labelled face. */
    record Labelled(FaceClips.Found face, String id) {
    }

    @BeforeAll
    static void collect() throws Exception {
        detector = FaceTestModels.detector();
        Set<String> clips = new java.util.LinkedHashSet<>();
        PEOPLE.forEach(p -> clips.add(p.clip()));
        for (String clip : clips) {
            for (FaceClips.Found f : FaceClips.faces(clip, detector)) {
                String id = label(f);
                if (id != null) {
                    FACES.add(new Labelled(f, id));
                }
            }
        }
    }

    @AfterAll
    static void close() {
        detector.close();
        Set<Mat> frames = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        FACES.forEach(f -> frames.add(f.face().frameBgr()));
        frames.forEach(Mat::close);
    }

    static String label(FaceClips.Found f) {
        double cy = (f.box()[1] + f.box()[3]) / 2;
        String best = null;
        double bestD = MAX_OFFSET;
        for (MarkedPeople.Person p : PEOPLE) {
            double d = Math.hypot(p.x() - f.centreX(), p.y() - cy);
            if (p.clip().equals(f.clip()) && d < bestD) {
                bestD = d;
                best = p.id();
            }
        }
        return best;
    }

    /** The detector's box made square about its centre, clipped to the frame, resized to side×side. */
    static Mat unaligned(FaceClips.Found f, int side) {
        Mat frame = f.frameBgr();
        float[] b = f.box();
        float sq = Math.max(b[2] - b[0], b[3] - b[1]);
        int x0 = Math.max(0, Math.round((b[0] + b[2]) / 2 - sq / 2));
        int y0 = Math.max(0, Math.round((b[1] + b[3]) / 2 - sq / 2));
        int x1 = Math.min(frame.cols(), Math.round(x0 + sq));
        int y1 = Math.min(frame.rows(), Math.round(y0 + sq));
        Mat out = new Mat();
        try (Rect r = new Rect(x0, y0, x1 - x0, y1 - y0); Mat roi = new Mat(frame, r); Size s = new Size(side, side)) {
            resize(roi, out, s, 0, 0, INTER_LINEAR);
        }
        return out;
    }

    /** @return each face's embedding by that model: aligned with that margin, or unaligned when margin < 0 */
    static List<float[]> embedAll(FaceEmbedder e, double margin) throws Exception {
        List<float[]> out = new ArrayList<>();
        int n = e.model().size();
        try (Mat crop = new Mat()) {
            for (Labelled f : FACES) {
                if (margin < 0) {
                    try (Mat u = unaligned(f.face(), n)) {
                        out.add(e.embedCrop(u));
                    }
                } else {
                    FaceAligner.warp(f.face().frameBgr(), FaceAligner.toTemplate(f.face().keypoints(), n, margin), n, crop);
                    out.add(e.embedCrop(crop));
                }
            }
        }
        return out;
    }

    /** Scores of same-person and different-person pairs. */
    record Scores(double[] same, double[] different, double[] sameAcrossClips) {
        /** @return the smallest threshold whose false-accept rate is at most far */
        double thresholdAt(double far) {
            double[] d = different.clone();
            Arrays.sort(d);
            int k = (int) Math.floor(d.length * (1 - far));
            return d[Math.min(k, d.length - 1)];
        }

        double tarAt(double far) {
            return tarAt(far, same);
        }

        /** @return the share of these same-person scores above the threshold at that false-accept rate */
        double tarAt(double far, double[] sameScores) {
            double t = thresholdAt(far);
            return Arrays.stream(sameScores).filter(s -> s > t).count() / (double) sameScores.length;
        }
    }

    static Scores score(List<float[]> emb) {
        List<Double> same = new ArrayList<>();
        List<Double> diff = new ArrayList<>();
        List<Double> across = new ArrayList<>();
        for (int i = 0; i < FACES.size(); i++) {
            for (int j = i + 1; j < FACES.size(); j++) {
                Labelled a = FACES.get(i);
                Labelled b = FACES.get(j);
                if (UNKNOWN.contains(a.id() + "|" + b.id())) {
                    continue;
                }
                double s = FaceEmbedder.cosine(emb.get(i), emb.get(j));
                if (a.id().equals(b.id())) {
                    boolean otherClip = !a.face().clip().equals(b.face().clip());
                    if (otherClip || Math.abs(a.face().frame() - b.face().frame()) >= MIN_GAP) {
                        same.add(s);
                    }
                    if (otherClip) {
                        across.add(s);
                    }
                } else {
                    diff.add(s);
                }
            }
        }
        return new Scores(same.stream().mapToDouble(Double::doubleValue).toArray(),
                diff.stream().mapToDouble(Double::doubleValue).toArray(),
                across.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static String describe(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        double sd = Math.sqrt(Arrays.stream(s).map(x -> (x - mean) * (x - mean)).average().orElse(0));
        return String.format("n=%d mean %.3f sd %.3f  p1 %.3f p5 %.3f p50 %.3f p95 %.3f p99 %.3f", s.length, mean, sd,
                q(s, 0.01), q(s, 0.05), q(s, 0.5), q(s, 0.95), q(s, 0.99));
    }

    static double q(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    @Test
    void alignedEmbeddingsSeparateThePeopleBetterThanUnalignedOnes() throws Exception {
        StringBuilder report = new StringBuilder();
        Map<String, Integer> perId = new LinkedHashMap<>();
        FACES.forEach(f -> perId.merge(f.id(), 1, Integer::sum));
        report.append("faces per person: ").append(perId).append('\n');
        Map<String, Scores> results = new LinkedHashMap<>();
        Object[][] variants = {
            {EmbeddingModel.FACERES, 0.0}, {EmbeddingModel.FACERES, 0.25}, {EmbeddingModel.FACERES, 0.5},
            {EmbeddingModel.FACERES, -1.0}, {EmbeddingModel.MOBILEFACENET, 0.0}, {EmbeddingModel.MOBILEFACENET, -1.0}};
        for (Object[] v : variants) {
            EmbeddingModel model = (EmbeddingModel) v[0];
            double margin = (Double) v[1];
            try (FaceEmbedder e = FaceTestModels.embedder(model)) {
                Scores s = score(embedAll(e, margin));
                String key = model.spec().name() + (margin < 0 ? " unaligned" : " aligned margin " + margin);
                results.put(key, s);
                report.append(String.format("%-32s TAR@FAR1%% %.3f (threshold %.3f)  TAR@FAR0.1%% %.3f  "
                        + "across clips TAR@FAR1%% %.3f%n   same: %s%n   same, across clips: %s%n   diff: %s%n", key,
                        s.tarAt(0.01), s.thresholdAt(0.01), s.tarAt(0.001), s.tarAt(0.01, s.sameAcrossClips()),
                        describe(s.same()), describe(s.sameAcrossClips()), describe(s.different())));
            }
        }
        report.append(timing());
        System.out.print(report);
        Files.writeString(Path.of("target", "face-verification.txt"), report.toString());
        Scores aligned = results.get("faceres aligned margin " + EmbeddingModel.FACERES_MARGIN);
        Scores unaligned = results.get("faceres unaligned");
        assertThat(aligned.same().length).isGreaterThan(1000);
        assertThat(aligned.different().length).isGreaterThan(10000);
        assertThat(aligned.tarAt(0.01)).isGreaterThan(unaligned.tarAt(0.01));
        for (String key : results.keySet()) {
            if (key.startsWith("faceres aligned")) {
                assertThat(aligned.tarAt(0.01)).as("the default margin is the best measured").isGreaterThanOrEqualTo(
                        results.get(key).tarAt(0.01));
            }
        }
    }

    /**
     * ms per face of face_embed's embedding path (align, prepare, run, normalise) against a bare ONNX
     * Runtime loop (one thread, as the embedder) over the same faces' prepared inputs; each side run
     * twice, the second timed.
     */
    static String timing() throws Exception {
        int n = Math.min(100, FACES.size());
        EmbeddingModel model = EmbeddingModel.FACERES;
        int side = model.size();
        List<FloatBuffer> prepared = new ArrayList<>();
        try (Mat crop = new Mat()) {
            for (int i = 0; i < n; i++) {
                FaceClips.Found f = FACES.get(i * FACES.size() / n).face();
                FaceAligner.warp(f.frameBgr(), FaceAligner.toTemplate(f.keypoints(), side, model.margin()), side, crop);
                FloatBuffer b = ByteBuffer.allocateDirect(side * side * 3 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                FaceEmbedder.prepare(model, crop, b);
                b.flip();
                prepared.add(b);
            }
        }
        double bareMs = 0;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path onnx = io.argus.analyzer.models.ModelInstaller.locate(model.spec(), FaceTestModels.install()).file(model.onnxFile());
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx.toString(), o)) {
                for (int round = 0; round < 2; round++) {
                    long t0 = System.nanoTime();
                    for (FloatBuffer b : prepared) {
                        b.rewind();
                        try (OnnxTensor t = OnnxTensor.createTensor(env, b, new long[] {1, side, side, 3});
                             OrtSession.Result r = s.run(Map.of("image", t))) {
                            r.get(0).getValue();
                        }
                    }
                    bareMs = (System.nanoTime() - t0) / 1e6 / n;
                }
            }
        }
        double argusMs = 0;
        try (FaceEmbedder e = FaceTestModels.embedder(model)) {
            for (int round = 0; round < 2; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    FaceClips.Found f = FACES.get(i * FACES.size() / n).face();
                    e.embed(f.frameBgr(), f.keypoints());
                }
                argusMs = (System.nanoTime() - t0) / 1e6 / n;
            }
        }
        return String.format("timing faceres, %d faces, 1 thread: face_embed path %.2f ms/face, bare ONNX Runtime loop "
                + "%.2f ms/face, ratio %.3f%n", n, argusMs, bareMs, argusMs / bareMs);
    }
}
