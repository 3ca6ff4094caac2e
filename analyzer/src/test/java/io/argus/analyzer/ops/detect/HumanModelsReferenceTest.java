package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;

/**
 * Checks Argus's ONNX conversions of NanoDet-m and CenterNet against the original TF.js graphs run
 * by TensorFlow.js itself. The reference values in {@code src/test/tfjs-reference/} were computed by
 * {@code reference.mjs} there ({@code @tensorflow/tfjs@4.22.0}, pure-JavaScript CPU backend) from the
 * input tensors this test builds: three annotated frames of the committed evaluation clips, through
 * each op's own {@link ImagePrep} (NanoDet 416×416 NCHW RGB 0–1, CenterNet 512×512 NHWC RGB 0–255).
 * The input sums recorded next to the references must match, so the inputs are the same.
 *
 * <p>NanoDet: for the 10 best (cell, class) of each level in TF.js, the ONNX score there within
 * {@value #SCORE_TOL} and the four box distances ({@link NanoDetDecoder#distances}) within
 * {@value #PX_TOL} px. CenterNet: each of the 20 best TF.js rows has an ONNX row of the same class
 * with every coordinate within {@value #PX_TOL} px and the score within {@value #SCORE_TOL}, and the
 * best row is the same.
 *
 * <p>With {@code -Dargus.tfjs.inputs=<dir>} it also writes the input tensors and
 * {@code inputs.json} there, for {@code reference.mjs}.
 */
class HumanModelsReferenceTest {

    static final double PX_TOL = 1.0;
    static final double SCORE_TOL = 1e-3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REFERENCE = Path.of("src", "test", "tfjs-reference");
    private static final Path CLIPS = Path.of("..", "eval", "clips");
    /** Annotated frames of the evaluation set: clip → frame index. */
    private static final Map<String, Integer> FRAMES = new LinkedHashMap<>();

    static {
        FRAMES.put("car-detection.mp4", 100);
        FRAMES.put("one-by-one-person-detection-70s.mp4", 199);
        FRAMES.put("person-bicycle-car-detection-preview.mp4", 30);
    }

    private static Path models;

    @BeforeAll
    static void install() throws Exception {
        models = HumanTestModels.install();
        String out = System.getProperty("argus.tfjs.inputs");
        if (out != null) {
            writeInputs(Path.of(out));
        }
    }

    /** @return the frame's input tensor as the op builds it */
    private static float[] input(DetectorSpec spec, String clip, int index) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(CLIPS.resolve(clip).toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             ImagePrep prep = new ImagePrep(spec.input())) {
            g.start();
            Frame f = null;
            for (int i = 0; i <= index; i++) {
                f = g.grabImage();
                assertThat(f).as(clip + " frame " + i).isNotNull();
            }
            Mat bgr = conv.convert(f);
            FloatBuffer buf = FloatBuffer.allocate(spec.input().width() * spec.input().height() * 3);
            prep.apply(bgr, buf);
            g.stop();
            float[] a = new float[buf.remaining()];
            buf.get(a);
            return a;
        }
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    private static void writeInputs(Path dir) throws Exception {
        Files.createDirectories(dir);
        ObjectNode manifest = JSON.createObjectNode();
        ArrayNode frames = manifest.putArray("frames");
        int k = 0;
        for (Map.Entry<String, Integer> e : FRAMES.entrySet()) {
            ObjectNode f = frames.addObject().put("name", e.getKey() + "#" + e.getValue());
            for (DetectorSpec spec : List.of(ObjectDetection.nanodetSpec(models, 1), ObjectDetection.centernetSpec(models, 1))) {
                String model = spec.family() == DetectorSpec.Family.NANODET ? "nanodet" : "centernet";
                float[] x = input(spec, e.getKey(), e.getValue());
                ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(x);
                String file = model + "-" + k + ".f32";
                Files.write(dir.resolve(file), b.array());
                f.put(model, file);
            }
            k++;
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("inputs.json").toFile(), manifest);
    }

    private static Map<String, float[]> run(Path onnx, String input, long[] shape, float[] x) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = s.run(Map.of(input, t))) {
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                out.put(e.getKey(), a);
            }
        }
        return out;
    }

    @Test
    void nanodetConversionMatchesTensorFlowJs() throws Exception {
        JsonNode ref = JSON.readTree(REFERENCE.resolve("nanodet.json").toFile());
        DetectorSpec spec = ObjectDetection.nanodetSpec(models, 1);
        Path onnx = ModelInstaller.locate(ModelSpec.NANODET, models).file(ModelDerivations.NANODET_ONNX);
        double maxPx = 0;
        double maxScore = 0;
        int checked = 0;
        List<JsonNode> frames = new ArrayList<>();
        ref.path("frames").forEach(frames::add);
        assertThat(frames).hasSize(FRAMES.size());
        for (JsonNode frame : frames) {
            String[] name = frame.path("frame").asText().split("#");
            float[] x = input(spec, name[0], Integer.parseInt(name[1]));
            assertThat(sum(x)).as("input sum of " + frame.path("frame").asText())
                    .isCloseTo(frame.path("inputSum").asDouble(), org.assertj.core.data.Offset.offset(0.05));
            Map<String, float[]> out = run(onnx, "input", new long[] {1, 3, 416, 416}, x);
            for (JsonNode level : frame.path("levels")) {
                int stride = level.path("stride").asInt();
                float[] scores = out.get("scores_s" + stride);
                float[] dists = out.get("boxes_s" + stride);
                int cells = (416 / stride) * (416 / stride);
                int classes = scores.length / cells;
                int bins = dists.length / cells / 4;
                for (JsonNode top : level.path("top")) {
                    int cell = top.path("cell").asInt();
                    double ds = Math.abs(scores[cell * classes + top.path("cls").asInt()] - top.path("score").asDouble());
                    maxScore = Math.max(maxScore, ds);
                    float[] d = NanoDetDecoder.distances(dists, cell * 4 * bins, bins, stride);
                    for (int side = 0; side < 4; side++) {
                        maxPx = Math.max(maxPx, Math.abs(d[side] - top.path("dist").get(side).asDouble()));
                    }
                    checked++;
                }
            }
        }
        System.out.printf("nanodet vs TF.js %s: %d (cell, class) pairs, max box deviation %.4f px, max score "
                + "difference %.2e%n", ref.path("tfjs").asText(), checked, maxPx, maxScore);
        assertThat(checked).isEqualTo(3 * 3 * 10);
        assertThat(maxPx).isLessThanOrEqualTo(PX_TOL);
        assertThat(maxScore).isLessThanOrEqualTo(SCORE_TOL);
    }

    @Test
    void centernetConversionMatchesTensorFlowJs() throws Exception {
        JsonNode ref = JSON.readTree(REFERENCE.resolve("centernet.json").toFile());
        DetectorSpec spec = ObjectDetection.centernetSpec(models, 1);
        Path onnx = ModelInstaller.locate(ModelSpec.CENTERNET, models).file(ModelDerivations.CENTERNET_ONNX);
        double maxPx = 0;
        double maxScore = 0;
        int checked = 0;
        List<JsonNode> frames = new ArrayList<>();
        ref.path("frames").forEach(frames::add);
        assertThat(frames).hasSize(FRAMES.size());
        for (JsonNode frame : frames) {
            String[] name = frame.path("frame").asText().split("#");
            float[] x = input(spec, name[0], Integer.parseInt(name[1]));
            assertThat(sum(x)).as("input sum of " + frame.path("frame").asText())
                    .isCloseTo(frame.path("inputSum").asDouble(), org.assertj.core.data.Offset.offset(1.0));
            float[] det = run(onnx, "image", new long[] {1, 512, 512, 3}, x).get("detections");
            assertThat(det).hasSize(100 * 6);
            JsonNode rows = frame.path("rows");
            assertThat(det[5]).as("best class").isEqualTo((float) rows.get(0).get(5).asDouble());
            for (JsonNode row : rows) {
                double best = Double.MAX_VALUE;
                int at = -1;
                for (int i = 0; i < 100; i++) {
                    if (det[6 * i + 5] != (float) row.get(5).asDouble()) {
                        continue;
                    }
                    double dev = 0;
                    for (int k = 0; k < 4; k++) {
                        dev = Math.max(dev, Math.abs(det[6 * i + k] - row.get(k).asDouble()));
                    }
                    if (dev < best) {
                        best = dev;
                        at = i;
                    }
                }
                assertThat(at).as("an ONNX row of class " + row.get(5) + " for " + row).isGreaterThanOrEqualTo(0);
                maxPx = Math.max(maxPx, best);
                maxScore = Math.max(maxScore, Math.abs(det[6 * at + 4] - row.get(4).asDouble()));
                checked++;
            }
        }
        System.out.printf("centernet vs TF.js %s: %d rows, max box deviation %.4f px, max score difference %.2e%n",
                ref.path("tfjs").asText(), checked, maxPx, maxScore);
        assertThat(checked).isEqualTo(3 * 20);
        assertThat(maxPx).isLessThanOrEqualTo(PX_TOL);
        assertThat(maxScore).isLessThanOrEqualTo(SCORE_TOL);
    }
}
