package io.argus.launcher.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The {@code detection} op's work written directly against ONNX Runtime and OpenCV, without any
 * Argus op, frame store or Kafka: JPEG decode ({@code imdecode}, BGR), stretch to 300×300
 * ({@code INTER_LINEAR}), BGR→RGB, 0–255 floats NHWC, {@code OrtSession.run}, best class per anchor
 * at or above the score threshold (columns with an empty label skipped), boxes (TF order, normalised)
 * scaled to frame pixels, greedy per-class NMS, at most {@code maxDetections} boxes. Session
 * options as the analyzer's shared sessions (all graph optimisations, one inter-op thread) with
 * a chosen intra-op thread count.
 *
 * <p>One instance per thread (it reuses its Mats and input buffer); the session may be shared, as
 * ONNX Runtime allows concurrent {@code run} calls. Times of the last frames, in nanoseconds per
 * stage, accumulate in {@link #stageNanos()}: decode, prep, run, post.
 */
final class BareSsd implements AutoCloseable {

    private static final int SIZE = 300;

    private final OrtSession session;
    private final String inputName;
    private final List<String> labels;
    private final float threshold;
    private final float nmsIou;
    private final int maxDetections;
    private final Mat resized = new Mat();
    private final Mat rgb = new Mat();
    private final Mat floats = new Mat();
    private final Size size = new Size(SIZE, SIZE);
    private final FloatBuffer input = ByteBuffer.allocateDirect(SIZE * SIZE * 3 * Float.BYTES)
            .order(ByteOrder.nativeOrder()).asFloatBuffer();
    private final long[] shape = {1, SIZE, SIZE, 3};
    private final long[] stageNanos = new long[4];

    /**
     * @param session       an open session of the SSD model (see {@link #open})
     * @param labels        one per score column; an empty label is never reported
     * @param threshold     minimum score kept
     * @param nmsIou        per-class NMS IoU threshold
     * @param maxDetections most boxes per frame
     * @throws OrtException when the session cannot be inspected
     */
    BareSsd(OrtSession session, List<String> labels, float threshold, float nmsIou, int maxDetections)
            throws OrtException {
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.labels = labels;
        this.threshold = threshold;
        this.nmsIou = nmsIou;
        this.maxDetections = maxDetections;
    }

    /**
     * Opens a session with the analyzer's options and the given intra-op threads.
     *
     * @param model          the ONNX file
     * @param intraOpThreads intra-op threads per run
     * @return the session; the caller closes it
     * @throws OrtException when ONNX Runtime cannot load the file
     */
    static OrtSession open(Path model, int intraOpThreads) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(intraOpThreads);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(model.toString(), opts);
        }
    }

    /**
     * Detects objects in one JPEG frame.
     *
     * @param jpeg the frame as stored by ingest
     * @return the boxes kept after NMS
     * @throws OrtException when inference fails
     */
    int detect(byte[] jpeg) throws OrtException {
        long t0 = System.nanoTime();
        Mat bgr;
        try (BytePointer data = new BytePointer(jpeg); Mat buf = new Mat(data)) {
            bgr = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
        }
        try {
            long t1 = System.nanoTime();
            int fw = bgr.cols();
            int fh = bgr.rows();
            opencv_imgproc.resize(bgr, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            opencv_imgproc.cvtColor(resized, rgb, opencv_imgproc.COLOR_BGR2RGB);
            rgb.convertTo(floats, opencv_core.CV_32FC3, 1, 0);
            input.clear();
            input.put(floats.<FloatBuffer>createBuffer());
            input.flip();
            long t2 = System.nanoTime();
            float[] scores;
            float[] boxes;
            int n;
            try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input, shape);
                 OrtSession.Result r = session.run(Map.of(inputName, t))) {
                OnnxTensor s = (OnnxTensor) r.get("scores").orElseThrow();
                long[] ss = s.getInfo().getShape();
                n = (int) ss[ss.length - 2];
                scores = toArray(s.getFloatBuffer());
                boxes = toArray(((OnnxTensor) r.get("boxes").orElseThrow()).getFloatBuffer());
            }
            long t3 = System.nanoTime();
            int kept = decode(scores, boxes, n, fw, fh);
            long t4 = System.nanoTime();
            stageNanos[0] += t1 - t0;
            stageNanos[1] += t2 - t1;
            stageNanos[2] += t3 - t2;
            stageNanos[3] += t4 - t3;
            return kept;
        } finally {
            bgr.close();
        }
    }

    /** Best class per anchor, frame-pixel boxes, per-class greedy NMS; returns the boxes kept. */
    private int decode(float[] scores, float[] boxes, int n, int fw, int fh) {
        int c = labels.size();
        List<float[]> cands = new ArrayList<>(); // x0, y0, x1, y1, class, score
        for (int i = 0; i < n; i++) {
            int best = -1;
            float bestScore = threshold;
            for (int j = 0; j < c; j++) {
                float s = scores[i * c + j];
                if (s >= bestScore && !labels.get(j).isEmpty()) {
                    best = j;
                    bestScore = s;
                }
            }
            if (best >= 0) {
                cands.add(new float[] {boxes[4 * i + 1] * fw, boxes[4 * i] * fh, boxes[4 * i + 3] * fw,
                        boxes[4 * i + 2] * fh, best, bestScore});
            }
        }
        cands.sort(Comparator.comparingDouble((float[] a) -> a[5]).reversed());
        List<float[]> kept = new ArrayList<>();
        for (float[] a : cands) {
            boolean suppressed = false;
            for (float[] k : kept) {
                if (k[4] == a[4] && iou(k, a) > nmsIou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(a);
            }
        }
        int reported = 0;
        for (float[] k : kept) {
            if (clamp(k[2], fw) - clamp(k[0], fw) >= 1 && clamp(k[3], fh) - clamp(k[1], fh) >= 1
                    && ++reported == maxDetections) {
                break;
            }
        }
        return reported;
    }

    private static float iou(float[] a, float[] b) {
        float iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        float ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        float inter = iw * ih;
        float union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static float[] toArray(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /** @return nanoseconds spent so far in decode, prep, run and post (a copy) */
    long[] stageNanos() {
        return stageNanos.clone();
    }

    /** Zeroes the stage times. */
    void resetStages() {
        java.util.Arrays.fill(stageNanos, 0);
    }

    /** Releases the Mats (not the session). */
    @Override
    public void close() {
        resized.close();
        rgb.close();
        floats.close();
        size.close();
    }
}
