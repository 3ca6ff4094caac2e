package io.argus.analyzer.models.tfjs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.models.onnx.OnnxGraph;

/**
 * A tiny TF.js graph model written by a test: a float Placeholder {@code x} of a given NHWC shape,
 * constants (float32 or int32 weights) and op nodes; {@link #run} writes model.json and the
 * weights, converts them with {@link TfjsToOnnx} and runs the ONNX model on ONNX Runtime.
 */
final class TfjsTestGraph {

    private static final ObjectMapper JSON = new ObjectMapper();

    final ObjectNode model = JSON.createObjectNode();
    final ArrayNode nodes = model.putObject("modelTopology").putArray("node");
    final ArrayNode weights;
    final ByteBuffer bin = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    final int[] shape;
    Map<String, int[]> shapes = Map.of();
    Set<String> ops = Set.of();

    /** @param shape the input's shape */
    TfjsTestGraph(int[] shape) {
        this.shape = shape;
        ArrayNode dims = node("x", "Placeholder").putObject("attr").putObject("shape").putObject("shape")
                .putArray("dim");
        for (int d : shape) {
            dims.addObject().put("size", String.valueOf(d));
        }
        ObjectNode group = model.putArray("weightsManifest").addObject();
        group.putArray("paths").add("w.bin");
        weights = group.putArray("weights");
    }

    /** @return x itself, or x through a 1×1 identity Conv2D (an NCHW-stored tensor equal to x) */
    String input(boolean afterConv) {
        if (!afterConv) {
            return "x";
        }
        int c = shape[3];
        float[] eye = new float[c * c];
        for (int i = 0; i < c; i++) {
            eye[i * c + i] = 1f;
        }
        floats("eye", new int[] {1, 1, c, c}, eye);
        ObjectNode attr = node("conv", "Conv2D", "x", "eye").with("attr");
        attr.putObject("strides").putObject("list").putArray("i").add("1").add("1").add("1").add("1");
        attr.putObject("padding").put("s", b64("VALID"));
        return "conv";
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    ObjectNode node(String name, String op, String... inputs) {
        ObjectNode n = nodes.addObject().put("name", name).put("op", op);
        ArrayNode in = n.putArray("input");
        List.of(inputs).forEach(in::add);
        n.putObject("attr");
        return n;
    }

    void floats(String name, int[] dims, float[] v) {
        node(name, "Const");
        ArrayNode s = weights.addObject().put("name", name).put("dtype", "float32").putArray("shape");
        for (int d : dims) {
            s.add(d);
        }
        for (float f : v) {
            bin.putFloat(f);
        }
    }

    void ints(String name, int[] dims, int[] v) {
        node(name, "Const");
        ArrayNode s = weights.addObject().put("name", name).put("dtype", "int32").putArray("shape");
        for (int d : dims) {
            s.add(d);
        }
        for (int i : v) {
            bin.putInt(i);
        }
    }

    /** Writes, converts and runs the graph on x; float outputs and {@link #shapes} keyed by TF tensor. */
    Map<String, float[]> run(Path dir, float[] x, String... outputs) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("w.bin"), Arrays.copyOf(bin.array(), bin.position()));
        JSON.writeValue(dir.resolve("model.json").toFile(), model);
        Map<String, String> outs = new LinkedHashMap<>();
        for (String o : outputs) {
            outs.put(o, "y_" + o.replace(':', '_').replace('/', '_'));
        }
        Path onnx = dir.resolve("m.onnx");
        TfjsToOnnx.Result r = TfjsToOnnx.convert(dir.resolve("model.json"), new TfjsToOnnx.Spec("x", null, "x", outs),
                onnx);
        shapes = new LinkedHashMap<>();
        outs.forEach((tf, onnxName) -> shapes.put(tf, r.outputShapes().get(onnxName)));
        ops = r.graph().nodes().stream().map(OnnxGraph.Node::opType).collect(Collectors.toSet());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> y = new LinkedHashMap<>();
        long[] dims = Arrays.stream(shape).asLongStream().toArray();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
             OrtSession.Result res = s.run(Map.of("x", t))) {
            for (String o : outputs) {
                y.put(o, ((OnnxTensor) res.get(outs.get(o)).orElseThrow()).getFloatBuffer().array());
            }
        }
        return y;
    }
}
