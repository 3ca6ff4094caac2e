package io.argus.launcher.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.ops.detect.DetectorSpec;
import io.argus.analyzer.ops.detect.InputSpec;
import io.argus.analyzer.ops.detect.OnnxDetectorOp;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.eval.ClipFrames;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;

/**
 * Detector speed on a 1080p frame on one core: every installed ONNX detector op that reports COCO
 * road users, as a job runs it (frame → input tensor → ONNX Runtime → decode → NMS; one intra-op
 * thread), with and without {@code tiles: 2}, against a bare ONNX Runtime loop that only calls
 * {@code OrtSession.run} on a prepared input of the same model (one intra-op thread). The frame is
 * vtest.avi's frame 100 (768×576) resized to 1920×1080 with {@code INTER_LINEAR}: the cost of a
 * detector depends on the model input, and the op's resize on the source size. Medians of
 * {@value #RUNS} runs after {@value #WARMUP} warm-up runs.
 */
public final class DetectorSpeedBench {

    /** Heading of the section, used to replace it in an existing report. */
    public static final String HEADING = "## Detectors on a 1080p frame, one core";

    static final int RUNS = 15;
    static final int WARMUP = 3;

    private DetectorSpeedBench() {
    }

    /**
     * @param modelsDir where the models are installed
     * @return the section as Markdown
     * @throws Exception when the sample cannot be fetched or an op fails
     */
    public static String section(Path modelsDir) throws Exception {
        Mat frame = new Mat();
        ClipFrames.decode(SampleVideos.ensure("vtest.avi"), new TreeSet<>(List.of(100)), (i, bgr) -> {
            try (Size size = new Size(1920, 1080)) {
                opencv_imgproc.resize(bgr, frame, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            }
        });
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Rerun with `./argus bench --suite detectors`. Machine: ")
          .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
          .append(System.getProperty("java.version")).append(", ").append(LocalDate.now()).append(". ")
          .append("One 1920×1080 frame (vtest.avi frame 100 resized); each op as a job runs it with one ONNX Runtime ")
          .append("intra-op thread; bare: `OrtSession.run` alone on the same model with one intra-op thread (no ")
          .append("resize, no decoding). Medians of ").append(RUNS).append(" runs after ").append(WARMUP)
          .append(" warm-up runs. Target for the default: <= 60 ms.\n\n")
          .append("| op | model input | params | op ms | bare run ms | op / bare |\n|---|---|---|---:|---:|---:|\n");
        java.util.Set<Path> measured = new java.util.HashSet<>();
        for (OpProvider p : OpRegistry.builtin(modelsDir).all()) {
            if (!(p instanceof OnnxDetectorOp.Provider d) || !d.labels().contains("car")
                    || !measured.add(d.spec().model())) {
                continue; // other ops, and the same model under a second name
            }
            DetectorSpec one = oneThread(d.spec());
            double bare = bare(one);
            for (String params : List.of("{}", "{\"tiles\":2}")) {
                double ms = op(new OnnxDetectorOp.Provider(one, d.defaults()), frame, params);
                InputSpec in = one.input();
                md.append(String.format("| `%s` | %d×%d %s | `%s` | %.1f | %.1f | %.2f |%n", p.name(), in.width(),
                        in.height(), in.letterbox() ? "letterbox" : "stretch", params, ms, bare, ms / bare));
            }
        }
        frame.close();
        return md.toString();
    }

    static DetectorSpec oneThread(DetectorSpec s) {
        return new DetectorSpec(s.name(), s.family(), s.model(), s.labels(), s.input(), s.threshold(), s.nmsIou(),
                s.maxDetections(), s.boxesOutput(), s.scoresOutput(), s.yxyx(), s.keep(), 1);
    }

    private static double op(OnnxDetectorOp.Provider provider, Mat frame, String params) throws Exception {
        FrameEvent event = FrameEvent.newBuilder().setJobId("bench").setVideoId("bench").setKind(FrameKind.FRAME)
                .setSeq(0).setOffsetMs(0).setWidth(frame.cols()).setHeight(frame.rows())
                .setOps(List.of(provider.name())).setOpParams(Map.of(provider.name(), params)).build();
        List<Double> ms = new ArrayList<>();
        try (Op op = provider.create()) {
            OpContext ctx = new OpContext(event, provider.name(), null, null);
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long t0 = System.nanoTime();
                op.apply(frame, ctx);
                if (i >= WARMUP) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        return median(ms);
    }

    private static double bare(DetectorSpec spec) throws Exception {
        InputSpec in = spec.input();
        long[] shape = in.nchw() ? new long[] {1, 3, in.height(), in.width()} : new long[] {1, in.height(), in.width(), 3};
        FloatBuffer input = ByteBuffer.allocateDirect(in.width() * in.height() * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < input.capacity(); i++) {
            input.put(i, (i * 31 % 255) * in.scale());
        }
        List<Double> ms = new ArrayList<>();
        try (OrtSession session = BareSsd.open(spec.model(), 1)) {
            String name = session.getInputNames().iterator().next();
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long t0 = System.nanoTime();
                try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input, shape);
                     OrtSession.Result r = session.run(Map.of(name, t))) {
                    if (i >= WARMUP) {
                        ms.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
        }
        return median(ms);
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
