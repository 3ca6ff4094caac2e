package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.op.OpsConfig;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceUri;
import io.argus.schemas.avro.Detection;

/**
 * Ops defined only in {@code <modelsDir>/ops.json}, run end to end on real vtest.avi frames: the
 * converted coco-ssd model as an {@code onnx}/{@code ssd} op, and a small YOLO-layout model built
 * here with {@link OnnxGraph} whose output is computed from the input image, decoded by the op and
 * checked against values computed independently in this test.
 */
class OnnxOpConfigTest {

    static final Path MODELS = Path.of("target", "test-models-objects");

    @BeforeAll
    static void install() {
        new ModelInstaller().install(ModelSpec.OBJECTS, MODELS);
    }

    private static List<Mat> vtestFrames(int n) throws Exception {
        List<Mat> out = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                SamplingSpec.every(10_000));
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            SampledFrame f;
            while ((f = s.next()) != null && out.size() < n) {
                out.add(conv.convert(f.image()).clone());
            }
        }
        return out;
    }

    @Test
    void ssdOpFromConfigMatchesTheBuiltinDetector(@TempDir Path dir) throws Exception {
        Path onnx = ModelInstaller.locate(ModelSpec.OBJECTS, MODELS).file(ModelDerivations.OBJECTS_ONNX);
        Files.write(dir.resolve("coco.txt"), CocoLabels.BY_INDEX);
        Files.writeString(dir.resolve(OpsConfig.FILE_NAME), """
                {"ops": [{"name": "my_ssd", "kind": "onnx", "family": "ssd", "model": "%s", "labels": "coco.txt",
                          "input": {"width": 300, "height": 300, "layout": "nhwc", "channels": "rgb"},
                          "threshold": %s, "nms_iou": 0.5}]}
                """.formatted(onnx.toString().replace("\\", "\\\\"), ObjectDetection.THRESHOLD));
        OpRegistry registry = OpRegistry.builtin(dir);
        OpProvider mine = registry.get("my_ssd").orElseThrow();
        assertThat(mine.labels()).isEqualTo(CocoLabels.names());
        try (Op op = mine.create(); Op builtin = ObjectDetection.detection(MODELS).create()) {
            for (Mat frame : vtestFrames(3)) {
                List<Detection> got = op.apply(frame).detections();
                assertThat(got).extracting(Detection::getLabel).contains("person", "car");
                assertThat(got).isEqualTo(builtin.apply(frame).detections());
                frame.close();
            }
        }
    }

    @Test
    void yoloOpFromConfigDecodesAComputedOutput(@TempDir Path dir) throws Exception {
        // Model: input [1,3,64,64] → 8×8 average pool → 1×1 conv to 7 channels → [1, 7, 64]
        // (YOLOv8-style transposed layout with objectness: 5 + 2 classes, 64 candidates).
        float[][] w = {
            {48, 0, 0}, {0, 48, 0}, {0, 0, 16}, {16, 0, 0}, {0, 0.8f, 0}, {0, 0, 1}, {0, 0, -1}};
        float[] b = {8, 8, 4, 6, 0.2f, 0, 1};
        OnnxGraph g = new OnnxGraph("yolo-test");
        g.input("images", OnnxGraph.FLOAT, 1, 3, 64, 64);
        String pooled = g.node("AveragePool", "pooled", List.of("images"), Attribute.ints("kernel_shape", 8, 8),
                Attribute.ints("strides", 8, 8));
        float[] wf = new float[21];
        for (int o = 0; o < 7; o++) {
            System.arraycopy(w[o], 0, wf, 3 * o, 3);
        }
        String conv = g.node("Conv", "conv", List.of(pooled, g.floats("W", wf, 7, 3, 1, 1), g.floats("B", b.clone(), 7)),
                Attribute.ints("kernel_shape", 1, 1));
        g.node("Reshape", "output", List.of(conv, g.longs("shape", new long[] {1, 7, 64}, 3)));
        g.output("output", OnnxGraph.FLOAT, 1, 7, 64);
        g.write(dir.resolve("tiny-yolo.onnx"), 13, "argus-test", "1");
        Files.writeString(dir.resolve(OpsConfig.FILE_NAME), """
                {"ops": [{"name": "tiny_yolo", "kind": "onnx", "family": "yolo", "model": "tiny-yolo.onnx",
                          "labels": ["bluish", "not_bluish"],
                          "input": {"width": 64, "height": 64, "layout": "nchw", "channels": "rgb",
                                    "scale": 0.00392156862745098},
                          "threshold": 0.3, "nms_iou": 0.5}]}
                """);
        OpProvider provider = OpRegistry.builtin(dir).get("tiny_yolo").orElseThrow();
        assertThat(provider.labels()).containsExactly("bluish", "not_bluish");

        Mat full = vtestFrames(1).get(0);
        Mat small = new Mat();
        opencv_imgproc.resize(full, small, new Size(128, 96), 0, 0, opencv_imgproc.INTER_AREA);
        // Independent expectation: letterbox 128×96 → 64×48 (exact 2×2 averages) centred in 64×64
        // with grey 114 rows (8 above, 8 below), RGB / 255, then the model's maths and decoding.
        double[][][] rgb = new double[3][64][64];
        try (UByteIndexer px = small.createIndexer()) {
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    for (int c = 0; c < 3; c++) {
                        double v = 114;
                        if (y >= 8 && y < 56) {
                            int sy = 2 * (y - 8);
                            int sx = 2 * x;
                            int bgr = 2 - c;
                            v = (px.get(sy, sx, bgr) + px.get(sy, sx + 1, bgr) + px.get(sy + 1, sx, bgr)
                                    + px.get(sy + 1, sx + 1, bgr)) / 4.0;
                        }
                        rgb[c][y][x] = v / 255;
                    }
                }
            }
        }
        List<double[]> expected = new ArrayList<>(); // x0, y0, x1, y1 (frame px), class, score
        for (int cell = 0; cell < 64; cell++) {
            double[] avg = new double[3];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        avg[c] += rgb[c][(cell / 8) * 8 + y][(cell % 8) * 8 + x] / 64;
                    }
                }
            }
            double[] v = new double[7];
            for (int o = 0; o < 7; o++) {
                v[o] = b[o] + w[o][0] * avg[0] + w[o][1] * avg[1] + w[o][2] * avg[2];
            }
            int cls = v[5] >= v[6] ? 0 : 1;
            double score = v[4] * Math.max(v[5], v[6]);
            if (score < 0.3) {
                continue;
            }
            // input px → frame px: x / 0.5, (y − 8) / 0.5, clipped to 128×96
            double x0 = Math.max(0, Math.min(128, (v[0] - v[2] / 2) * 2));
            double x1 = Math.max(0, Math.min(128, (v[0] + v[2] / 2) * 2));
            double y0 = Math.max(0, Math.min(96, (v[1] - v[3] / 2 - 8) * 2));
            double y1 = Math.max(0, Math.min(96, (v[1] + v[3] / 2 - 8) * 2));
            expected.add(new double[] {x0, y0, x1, y1, cls, score});
        }
        expected.sort(Comparator.comparingDouble((double[] e) -> e[5]).reversed());
        List<double[]> kept = new ArrayList<>();
        for (double[] e : expected) {
            if (kept.stream().noneMatch(k -> k[4] == e[4] && iou(k, e) > 0.5)) {
                kept.add(e);
            }
        }
        assertThat(kept).hasSizeGreaterThan(1);
        try (Op op = provider.create()) {
            List<Detection> got = op.apply(small).detections();
            System.out.printf("tiny_yolo: %d candidates above 0.3, %d after NMS, op reported %d%n", expected.size(),
                    kept.size(), got.size());
            assertThat(got).hasSize(kept.size());
            for (int i = 0; i < got.size(); i++) {
                Detection d = got.get(i);
                double[] e = kept.get(i);
                assertThat(d.getLabel()).isEqualTo(e[4] == 0 ? "bluish" : "not_bluish");
                assertThat((double) d.getScore()).isCloseTo(e[5], org.assertj.core.data.Offset.offset(2e-3));
                assertThat(d.getBox().getLeft()).isCloseTo((int) Math.round(e[0]), org.assertj.core.data.Offset.offset(1));
                assertThat(d.getBox().getTop()).isCloseTo((int) Math.round(e[1]), org.assertj.core.data.Offset.offset(1));
                assertThat(d.getBox().getRight()).isCloseTo((int) Math.round(e[2]), org.assertj.core.data.Offset.offset(1));
                assertThat(d.getBox().getBottom()).isCloseTo((int) Math.round(e[3]), org.assertj.core.data.Offset.offset(1));
            }
        }
        small.close();
        full.close();
    }

    @Test
    void badEntriesNameTheOpAndTheFile(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve(OpsConfig.FILE_NAME);
        Files.writeString(cfg, "{\"ops\":[{\"name\":\"edge_tpu\",\"kind\":\"tflite\",\"model\":\"m.tflite\"}]}");
        assertThatThrownBy(() -> OpRegistry.builtin(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(cfg.toString())
                .hasMessageContaining("op 'edge_tpu' has unknown kind 'tflite'")
                .hasMessageContaining("known: onnx");
        Files.writeString(cfg, "{\"ops\":[{\"name\":\"gone\",\"kind\":\"onnx\",\"family\":\"yolo\","
                + "\"model\":\"missing/model.onnx\",\"labels\":[\"a\"],\"input\":{\"width\":64,\"height\":64}}]}");
        assertThatThrownBy(() -> OpsConfig.load(cfg))
                .hasMessageContaining("op 'gone'")
                .hasMessageContaining(dir.resolve("missing/model.onnx").toAbsolutePath().toString())
                .hasMessageContaining("not found");
        Files.writeString(cfg, "{\"ops\":[{\"name\":\"typo\",\"kind\":\"onnx\",\"treshold\":0.5}]}");
        assertThatThrownBy(() -> OpsConfig.load(cfg)).hasMessageContaining("op 'typo'").hasMessageContaining("treshold");
        Files.delete(cfg);
        assertThat(OpsConfig.loadFrom(dir)).isEmpty();
    }

    private static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}
