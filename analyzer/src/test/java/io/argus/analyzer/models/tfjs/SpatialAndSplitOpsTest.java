package io.argus.analyzer.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.models.onnx.OnnxGraph;

/**
 * The converters NanoDet-style graphs need: LeakyRelu, Pad, PadV2, MaxPool, SplitV, Split and
 * ResizeBilinear. Each test writes a tiny TF.js graph (model.json + weights) using the op, converts
 * it, runs it with ONNX Runtime and compares every value (within 1e-4) with a reference computed
 * here from TensorFlow's definitions in NHWC. Each op is tried both on the graph input (NHWC
 * storage) and after a 1×1 identity Conv2D (whose output is stored NCHW), so both layout paths are
 * checked.
 */
class SpatialAndSplitOpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Offset<Float> TOL = Offset.offset(1e-4f);

    @Test
    void leakyReluUsesTensorFlowAlpha(@TempDir Path dir) throws Exception {
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(1), 2 * 3 * 4);
            Graph g = new Graph(new int[] {1, 2, 3, 4});
            String in = g.input(afterConv);
            g.node("lr", "LeakyRelu", in).with("attr").putObject("alpha").put("f", 0.1);
            g.node("lr_default", "LeakyRelu", in); // TensorFlow default alpha 0.2
            Map<String, float[]> y = g.run(dir.resolve("lr" + afterConv), x, "lr", "lr_default");
            float[] expected = new float[x.length];
            float[] expectedDefault = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = x[i] < 0 ? 0.1f * x[i] : x[i];
                expectedDefault[i] = x[i] < 0 ? 0.2f * x[i] : x[i];
            }
            assertClose(y.get("lr"), expected);
            assertClose(y.get("lr_default"), expectedDefault);
            assertThat(g.ops).contains("LeakyRelu");
        }
    }

    @Test
    void padAndPadV2PadEachDimBeforeAndAfter(@TempDir Path dir) throws Exception {
        int[] s = {1, 3, 2, 2};
        int[] p = {0, 0, 1, 2, 2, 0, 0, 1}; // [[0,0],[1,2],[2,0],[0,1]]
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(2), 12);
            Graph g = new Graph(s);
            String in = g.input(afterConv);
            g.ints("paddings", new int[] {4, 2}, p);
            g.floats("seven", new int[0], new float[] {7f});
            g.node("pad", "Pad", in, "paddings");
            g.node("pad2", "PadV2", in, "paddings", "seven");
            Map<String, float[]> y = g.run(dir.resolve("pad" + afterConv), x, "pad", "pad2");
            assertThat(g.shapes.get("pad")).containsExactly(1, 6, 4, 3);
            assertClose(y.get("pad"), padNhwc(x, s, p, 0f));
            assertClose(y.get("pad2"), padNhwc(x, s, p, 7f));
        }
    }

    @Test
    void maxPoolSameAndValid(@TempDir Path dir) throws Exception {
        int[] s = {1, 5, 5, 2};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(3), 50);
            Graph g = new Graph(s);
            String in = g.input(afterConv);
            pool(g.node("same", "MaxPool", in), 3, 2, "SAME");
            pool(g.node("valid", "MaxPool", in), 2, 2, "VALID");
            Map<String, float[]> y = g.run(dir.resolve("mp" + afterConv), x, "same", "valid");
            assertThat(g.shapes.get("same")).containsExactly(1, 3, 3, 2);
            assertThat(g.shapes.get("valid")).containsExactly(1, 2, 2, 2);
            assertClose(y.get("same"), maxPoolNhwc(x, s, 3, 2, true));
            assertClose(y.get("valid"), maxPoolNhwc(x, s, 2, 2, false));
        }
    }

    @Test
    void splitVAndSplitCutAlongTheAxis(@TempDir Path dir) throws Exception {
        int[] s = {1, 4, 3, 5};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(4), 60);
            Graph g = new Graph(s);
            String in = g.input(afterConv);
            g.ints("sizes", new int[] {3}, new int[] {1, -1, 2});
            g.ints("axis3", new int[0], new int[] {-1});
            g.ints("axis1", new int[0], new int[] {1});
            g.node("sv", "SplitV", in, "sizes", "axis3").with("attr").putObject("num_split").put("i", "3");
            g.node("sp", "Split", "axis1", in).with("attr").putObject("num_split").put("i", "2");
            Map<String, float[]> y = g.run(dir.resolve("split" + afterConv), x, "sv", "sv:1", "sv:2", "sp", "sp:1");
            assertThat(g.shapes.get("sv:1")).containsExactly(1, 4, 3, 2);
            assertClose(y.get("sv"), sliceNhwc(x, s, 3, 0, 1));
            assertClose(y.get("sv:1"), sliceNhwc(x, s, 3, 1, 2));
            assertClose(y.get("sv:2"), sliceNhwc(x, s, 3, 3, 2));
            assertClose(y.get("sp"), sliceNhwc(x, s, 1, 0, 2));
            assertClose(y.get("sp:1"), sliceNhwc(x, s, 1, 2, 2));
            assertThat(g.ops).contains("Split");
        }
    }

    @Test
    void resizeBilinearMatchesEachTensorFlowCoordinateMode(@TempDir Path dir) throws Exception {
        int[][] cases = {{3, 4, 5, 7}, {6, 6, 4, 3}}; // in h, in w, out h, out w: up and down
        String[] modes = {"legacy", "align_corners", "half_pixel_centers"};
        int run = 0;
        for (int[] c : cases) {
            int[] s = {1, c[0], c[1], 2};
            for (boolean afterConv : new boolean[] {false, true}) {
                float[] x = rand(new Random(5 + run), Nd.size(s));
                Graph g = new Graph(s);
                String in = g.input(afterConv);
                g.ints("size", new int[] {2}, new int[] {c[2], c[3]});
                for (String m : modes) {
                    ObjectNode attr = g.node(m, "ResizeBilinear", in, "size").with("attr");
                    attr.putObject("align_corners").put("b", m.equals("align_corners"));
                    attr.putObject("half_pixel_centers").put("b", m.equals("half_pixel_centers"));
                }
                Map<String, float[]> y = g.run(dir.resolve("rs" + run++), x, modes);
                for (String m : modes) {
                    assertThat(g.shapes.get(m)).containsExactly(1, c[2], c[3], 2);
                    float[] want = resizeBilinearNhwc(x, s, c[2], c[3], m.equals("align_corners"),
                            m.equals("half_pixel_centers"));
                    assertClose(y.get(m), want);
                }
                assertThat(g.ops).contains("Resize");
            }
        }
    }

    @Test
    void resizeBilinearRefusesAlignCornersWithHalfPixelCenters(@TempDir Path dir) throws Exception {
        Graph g = new Graph(new int[] {1, 2, 2, 1});
        g.ints("size", new int[] {2}, new int[] {4, 4});
        ObjectNode attr = g.node("rs", "ResizeBilinear", "x", "size").with("attr");
        attr.putObject("align_corners").put("b", true);
        attr.putObject("half_pixel_centers").put("b", true);
        assertThatThrownBy(() -> g.run(dir, new float[4], "rs"))
                .isInstanceOf(ConversionException.class)
                .hasMessage("cannot convert node 'rs' (op ResizeBilinear): align_corners and half_pixel_centers both set");
    }

    @Test
    void sparseToDenseBuildsConstantReshapeTargets(@TempDir Path dir) throws Exception {
        // As in graphs converted from ONNX: shape = base + SparseToDense(...), then Reshape.
        float[] x = rand(new Random(6), 24);
        Graph g = new Graph(new int[] {1, 2, 3, 4});
        g.ints("idx", new int[] {2, 1}, new int[] {0, 2});
        g.ints("outShape", new int[] {1}, new int[] {3});
        g.ints("vals", new int[] {2}, new int[] {1, 4});
        g.ints("zero", new int[0], new int[] {0});
        g.ints("base", new int[] {3}, new int[] {0, 6, 0});
        g.node("dense", "SparseToDense", "idx", "outShape", "vals", "zero");   // [1, 0, 4]
        g.node("target", "AddV2", "base", "dense");                           // [1, 6, 4]
        g.node("r", "Reshape", "x", "target");
        // Float values, 2-D indices, one scalar value for every index, default −1.
        g.ints("idx2", new int[] {2, 2}, new int[] {0, 1, 1, 2});
        g.ints("outShape2", new int[] {2}, new int[] {2, 3});
        g.floats("five", new int[0], new float[] {5f});
        g.floats("minusOne", new int[0], new float[] {-1f});
        g.node("dense2", "SparseToDense", "idx2", "outShape2", "five", "minusOne");
        g.ints("shape6", new int[] {2}, new int[] {6, 4});
        g.node("x64", "Reshape", "x", "shape6");
        g.ints("perm", new int[] {2}, new int[] {1, 0});
        g.node("xt", "Transpose", "x64", "perm");                               // [4, 6]
        g.ints("shape23", new int[] {3}, new int[] {4, 2, 3});
        g.node("x423", "Reshape", "xt", "shape23");
        g.node("sum", "AddV2", "x423", "dense2");
        Map<String, float[]> y = g.run(dir, x, "r", "sum");
        assertThat(g.shapes.get("r")).containsExactly(1, 6, 4);
        assertClose(y.get("r"), x);
        float[] dense2 = {-1, 5, -1, -1, -1, 5};
        float[] want = new float[24];
        for (int i = 0; i < 24; i++) {
            int row = i / 6;   // index into the transposed [4, 6]
            int col = i % 6;
            want[i] = x[col * 4 + row] + dense2[col];
        }
        assertClose(y.get("sum"), want);
        assertThat(g.ops).doesNotContain("SparseToDense");
    }

    @Test
    void sparseToDenseRefusesAnIndexOutsideTheShape(@TempDir Path dir) {
        Graph g = new Graph(new int[] {1, 2, 3, 4});
        g.ints("idx", new int[] {1, 1}, new int[] {3});
        g.ints("outShape", new int[] {1}, new int[] {3});
        g.ints("vals", new int[] {1}, new int[] {1});
        g.ints("zero", new int[0], new int[] {0});
        g.node("dense", "SparseToDense", "idx", "outShape", "vals", "zero");
        g.node("r", "Reshape", "x", "dense");
        assertThatThrownBy(() -> g.run(dir, new float[24], "r"))
                .isInstanceOf(ConversionException.class)
                .hasMessage("cannot convert node 'dense' (op SparseToDense): index 3 outside dim 0 of [3]");
    }

    // --- references (TensorFlow semantics, NHWC, batch 1) ----------------------------------------

    private static float[] padNhwc(float[] x, int[] s, int[] p, float value) {
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            o[i] = s[i] + p[2 * i] + p[2 * i + 1];
        }
        float[] y = new float[Nd.size(o)];
        java.util.Arrays.fill(y, value);
        for (int h = 0; h < s[1]; h++) {
            for (int w = 0; w < s[2]; w++) {
                for (int c = 0; c < s[3]; c++) {
                    int oh = h + p[2];
                    int ow = w + p[4];
                    int oc = c + p[6];
                    y[(oh * o[2] + ow) * o[3] + oc] = x[(h * s[2] + w) * s[3] + c];
                }
            }
        }
        return y;
    }

    /** TensorFlow MaxPool: SAME output ceil(in/s), padding total max((out−1)·s + k − in, 0), smaller half first. */
    private static float[] maxPoolNhwc(float[] x, int[] s, int k, int st, boolean same) {
        int oh = same ? (s[1] + st - 1) / st : (s[1] - k) / st + 1;
        int ow = same ? (s[2] + st - 1) / st : (s[2] - k) / st + 1;
        int pt = same ? Math.max((oh - 1) * st + k - s[1], 0) / 2 : 0;
        int pl = same ? Math.max((ow - 1) * st + k - s[2], 0) / 2 : 0;
        float[] y = new float[oh * ow * s[3]];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int c = 0; c < s[3]; c++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int h = i * st + a - pt;
                            int w = j * st + b - pl;
                            if (h >= 0 && h < s[1] && w >= 0 && w < s[2]) {
                                m = Math.max(m, x[(h * s[2] + w) * s[3] + c]);
                            }
                        }
                    }
                    y[(i * ow + j) * s[3] + c] = m;
                }
            }
        }
        return y;
    }

    private static float[] sliceNhwc(float[] x, int[] s, int axis, int begin, int len) {
        int[] o = s.clone();
        o[axis] = len;
        float[] y = new float[Nd.size(o)];
        int k = 0;
        for (int h = 0; h < o[1]; h++) {
            for (int w = 0; w < o[2]; w++) {
                for (int c = 0; c < o[3]; c++) {
                    int[] idx = {0, h, w, c};
                    idx[axis] += begin;
                    y[k++] = x[(idx[1] * s[2] + idx[2]) * s[3] + idx[3]];
                }
            }
        }
        return y;
    }

    /**
     * TensorFlow ResizeBilinear ({@code resize_bilinear_op.cc}): scale {@code (in−1)/(out−1)} with
     * align_corners (out > 1), else {@code in/out}; source {@code x·scale}, or {@code (x+0.5)·scale − 0.5}
     * with half_pixel_centers; lower {@code max(floor(src), 0)}, upper {@code min(ceil(src), in−1)},
     * weight {@code src − floor(src)}.
     */
    private static float[] resizeBilinearNhwc(float[] x, int[] s, int oh, int ow, boolean align, boolean half) {
        int ih = s[1];
        int iw = s[2];
        int ch = s[3];
        float[] y = new float[oh * ow * ch];
        for (int i = 0; i < oh; i++) {
            double[] yy = source(i, ih, oh, align, half);
            for (int j = 0; j < ow; j++) {
                double[] xx = source(j, iw, ow, align, half);
                for (int c = 0; c < ch; c++) {
                    double tl = x[((int) yy[0] * iw + (int) xx[0]) * ch + c];
                    double tr = x[((int) yy[0] * iw + (int) xx[1]) * ch + c];
                    double bl = x[((int) yy[1] * iw + (int) xx[0]) * ch + c];
                    double br = x[((int) yy[1] * iw + (int) xx[1]) * ch + c];
                    double top = tl + (tr - tl) * xx[2];
                    double bottom = bl + (br - bl) * xx[2];
                    y[(i * ow + j) * ch + c] = (float) (top + (bottom - top) * yy[2]);
                }
            }
        }
        return y;
    }

    /** @return lower index, upper index, weight of the upper one */
    private static double[] source(int out, int inSize, int outSize, boolean align, boolean half) {
        double scale = align && outSize > 1 ? (inSize - 1) / (double) (outSize - 1) : inSize / (double) outSize;
        double src = half ? (out + 0.5) * scale - 0.5 : out * scale;
        double f = Math.floor(src);
        return new double[] {Math.max((long) f, 0), Math.min((long) Math.ceil(src), inSize - 1), src - f};
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], TOL);
        }
    }

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static void pool(ObjectNode n, int k, int s, String padding) {
        ObjectNode attr = n.with("attr");
        attr.putObject("ksize").putObject("list").putArray("i").add("1").add(String.valueOf(k)).add(String.valueOf(k))
                .add("1");
        attr.putObject("strides").putObject("list").putArray("i").add("1").add(String.valueOf(s)).add(String.valueOf(s))
                .add("1");
        attr.putObject("padding").put("s", Base64.getEncoder().encodeToString(padding.getBytes()));
    }

    /** A TF.js graph being written: a Placeholder {@code x}, constants, and nodes. */
    private static final class Graph {
        final ObjectNode model = JSON.createObjectNode();
        final ArrayNode nodes = model.putObject("modelTopology").putArray("node");
        final ArrayNode weights;
        final ByteBuffer bin = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        final int[] shape;
        Map<String, int[]> shapes = Map.of();
        Set<String> ops = Set.of();

        Graph(int[] shape) {
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
            attr.putObject("padding").put("s", Base64.getEncoder().encodeToString("VALID".getBytes()));
            return "conv";
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

        /** Writes, converts and runs the graph on x; results and {@link #shapes} keyed by TF tensor. */
        Map<String, float[]> run(Path dir, float[] x, String... outputs) throws Exception {
            Files.createDirectories(dir);
            Files.write(dir.resolve("w.bin"), java.util.Arrays.copyOf(bin.array(), bin.position()));
            JSON.writeValue(dir.resolve("model.json").toFile(), model);
            Map<String, String> outs = new LinkedHashMap<>();
            for (String o : outputs) {
                outs.put(o, "y_" + o.replace(':', '_'));
            }
            Path onnx = dir.resolve("m.onnx");
            TfjsToOnnx.Result r = TfjsToOnnx.convert(dir.resolve("model.json"), new TfjsToOnnx.Spec("x", null, "x", outs),
                    onnx);
            shapes = new LinkedHashMap<>();
            outs.forEach((tf, onnxName) -> shapes.put(tf, r.outputShapes().get(onnxName)));
            ops = r.graph().nodes().stream().map(OnnxGraph.Node::opType).collect(Collectors.toSet());
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, float[]> y = new LinkedHashMap<>();
            long[] dims = java.util.Arrays.stream(shape).asLongStream().toArray();
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
}
