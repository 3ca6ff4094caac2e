package io.argus.analyzer.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The converters CenterNet-style graphs need: _FusedConv2D and FusedDepthwiseConv2dNative (BiasAdd
 * plus an activation), Mean, Equal with a Cast of its bool result, TopKV2, FloorDiv, FloorMod
 * (integer and float), GatherV2 and StridedSlice on a tensor. Each test writes a tiny TF.js graph,
 * converts it, runs it with ONNX Runtime and compares every value (within 1e-4) with a reference
 * computed here in NHWC from TensorFlow's op definitions ({@code tensorflow/core/ops/*.cc}); where
 * layout matters the op is tried on the graph input (NHWC storage) and after a 1×1 identity Conv2D
 * (NCHW storage).
 */
class FusedReduceIndexOpsTest {

    private static final Offset<Float> TOL = Offset.offset(1e-4f);

    @Test
    void fusedConvolutionsAddTheBiasThenTheActivation(@TempDir Path dir) throws Exception {
        int[] s = {1, 5, 6, 3};
        Random rnd = new Random(3);
        float[] x = rand(rnd, 5 * 6 * 3);
        float[] w = rand(rnd, 3 * 3 * 3 * 4);
        float[] dw = rand(rnd, 3 * 3 * 3 * 2);
        float[] bias = rand(rnd, 4);
        float[] dbias = rand(rnd, 6);
        String[][] variants = {{"BiasAdd"}, {"BiasAdd", "Relu"}, {"BiasAdd", "Relu6"}, {"BiasAdd", "LeakyRelu"}};
        for (int stride : new int[] {1, 2}) {
            TfjsTestGraph g = new TfjsTestGraph(s);
            g.floats("w", new int[] {3, 3, 3, 4}, w);
            g.floats("dw", new int[] {3, 3, 3, 2}, dw);
            g.floats("b", new int[] {4}, bias);
            g.floats("db", new int[] {6}, dbias);
            String[] outs = new String[variants.length * 2];
            for (int v = 0; v < variants.length; v++) {
                outs[v] = fused(g, "conv" + v, "_FusedConv2D", "w", "b", stride, variants[v]);
                outs[variants.length + v] = fused(g, "dconv" + v, "FusedDepthwiseConv2dNative", "dw", "db", stride,
                        variants[v]);
            }
            Map<String, float[]> y = g.run(dir.resolve("fused" + stride), x, outs);
            float[] conv = conv(x, s, w, 3, 3, 4, stride, false, bias);
            float[] dconv = conv(x, s, dw, 3, 3, 2, stride, true, dbias);
            int o = (5 + stride - 1) / stride;
            int p = (6 + stride - 1) / stride;
            for (int v = 0; v < variants.length; v++) {
                String act = variants[v].length > 1 ? variants[v][1] : null;
                assertThat(g.shapes.get(outs[v])).containsExactly(1, o, p, 4);
                assertThat(g.shapes.get(outs[variants.length + v])).containsExactly(1, o, p, 6);
                assertClose(y.get(outs[v]), activate(conv, act));
                assertClose(y.get(outs[variants.length + v]), activate(dconv, act));
            }
            assertThat(g.ops).contains("Conv", "Relu", "Clip", "LeakyRelu");
        }
    }

    private static String fused(TfjsTestGraph g, String name, String op, String w, String b, int stride, String... ops) {
        ObjectNode attr = g.node(name, op, "x", w, b).with("attr");
        attr.putObject("strides").putObject("list").putArray("i").add("1").add(String.valueOf(stride))
                .add(String.valueOf(stride)).add("1");
        attr.putObject("padding").put("s", TfjsTestGraph.b64("SAME"));
        attr.putObject("num_args").put("i", "1");
        ArrayNode list = attr.putObject("fused_ops").putObject("list").putArray("s");
        for (String o : ops) {
            list.add(TfjsTestGraph.b64(o));
        }
        if (Arrays.asList(ops).contains("LeakyRelu")) {
            attr.putObject("leakyrelu_alpha").put("f", 0.3);
        }
        return name;
    }

    private static float[] activate(float[] v, String act) {
        float[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            if (act == null) {
                continue;
            }
            r[i] = switch (act) {
                case "Relu" -> Math.max(0, r[i]);
                case "Relu6" -> Math.min(6, Math.max(0, r[i]));
                default -> r[i] < 0 ? 0.3f * r[i] : r[i];
            };
        }
        return r;
    }

    /**
     * TensorFlow Conv2D / DepthwiseConv2dNative, NHWC, SAME padding (before = total / 2), plus bias.
     * Conv filter HWIO {@code [kh, kw, C, m]}; depthwise filter {@code [kh, kw, C, m]}, output
     * channel {@code c·m + k}.
     */
    private static float[] conv(float[] x, int[] s, float[] w, int kh, int kw, int m, int stride, boolean depthwise,
                                float[] bias) {
        int h = s[1];
        int wd = s[2];
        int c = s[3];
        int oh = (h + stride - 1) / stride;
        int ow = (wd + stride - 1) / stride;
        int padT = Math.max((oh - 1) * stride + kh - h, 0) / 2;
        int padL = Math.max((ow - 1) * stride + kw - wd, 0) / 2;
        int oc = depthwise ? c * m : m;
        float[] out = new float[oh * ow * oc];
        for (int y = 0; y < oh; y++) {
            for (int xx = 0; xx < ow; xx++) {
                for (int o = 0; o < oc; o++) {
                    double acc = bias[o];
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int iy = y * stride + i - padT;
                            int ix = xx * stride + j - padL;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) {
                                continue;
                            }
                            if (depthwise) {
                                int ci = o / m;
                                acc += x[(iy * wd + ix) * c + ci] * w[((i * kw + j) * c + ci) * m + o % m];
                            } else {
                                for (int ci = 0; ci < c; ci++) {
                                    acc += x[(iy * wd + ix) * c + ci] * w[((i * kw + j) * c + ci) * m + o];
                                }
                            }
                        }
                    }
                    out[(y * ow + xx) * oc + o] = (float) acc;
                }
            }
        }
        return out;
    }

    @Test
    void meanAveragesOverTheGivenAxes(@TempDir Path dir) throws Exception {
        int[] s = {1, 3, 4, 5};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(4), 60);
            TfjsTestGraph g = new TfjsTestGraph(s);
            String in = g.input(afterConv);
            g.ints("hw", new int[] {2}, new int[] {1, 2});
            g.ints("last", new int[0], new int[] {-1});
            g.node("pool", "Mean", in, "hw").with("attr").putObject("keep_dims").put("b", true);
            g.node("chan", "Mean", in, "last");
            Map<String, float[]> y = g.run(dir.resolve("mean" + afterConv), x, "pool", "chan");
            assertThat(g.shapes.get("pool")).containsExactly(1, 1, 1, 5);
            assertThat(g.shapes.get("chan")).containsExactly(1, 3, 4);
            float[] pool = new float[5];
            float[] chan = new float[12];
            for (int p = 0; p < 12; p++) {
                for (int c = 0; c < 5; c++) {
                    pool[c] += x[p * 5 + c] / 12;
                    chan[p] += x[p * 5 + c] / 5;
                }
            }
            assertClose(y.get("pool"), pool);
            assertClose(y.get("chan"), chan);
            assertThat(g.ops).contains("ReduceMean");
        }
    }

    @Test
    void equalAgainstAMaxPoolMarksThePeaks(@TempDir Path dir) throws Exception {
        int[] s = {1, 6, 7, 2};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(5), 6 * 7 * 2);
            TfjsTestGraph g = new TfjsTestGraph(s);
            String in = g.input(afterConv);
            ObjectNode attr = g.node("mp", "MaxPool", in).with("attr");
            attr.putObject("ksize").putObject("list").putArray("i").add("1").add("3").add("3").add("1");
            attr.putObject("strides").putObject("list").putArray("i").add("1").add("1").add("1").add("1");
            attr.putObject("padding").put("s", TfjsTestGraph.b64("SAME"));
            g.node("eq", "Equal", in, "mp");
            g.node("peak", "Cast", "eq").with("attr").putObject("DstT").put("type", "DT_FLOAT");
            g.node("kept", "Mul", in, "peak");
            Map<String, float[]> y = g.run(dir.resolve("eq" + afterConv), x, "peak", "kept");
            float[] peak = new float[x.length];
            float[] kept = new float[x.length];
            int peaks = 0;
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 7; j++) {
                    for (int c = 0; c < 2; c++) {
                        float v = x[(i * 7 + j) * 2 + c];
                        boolean max = true;
                        for (int di = -1; di <= 1; di++) {
                            for (int dj = -1; dj <= 1; dj++) {
                                int a = i + di;
                                int b = j + dj;
                                if (a >= 0 && a < 6 && b >= 0 && b < 7 && x[(a * 7 + b) * 2 + c] > v) {
                                    max = false;
                                }
                            }
                        }
                        peak[(i * 7 + j) * 2 + c] = max ? 1 : 0;
                        kept[(i * 7 + j) * 2 + c] = max ? v : 0;
                        peaks += max ? 1 : 0;
                    }
                }
            }
            assertThat(peaks).isBetween(2, x.length - 1);
            assertClose(y.get("peak"), peak);
            assertClose(y.get("kept"), kept);
            assertThat(g.ops).contains("Equal", "Cast");
        }
    }

    @Test
    void topKIndicesThroughFloorDivFloorModAndGather(@TempDir Path dir) throws Exception {
        int[] s = {1, 4, 5, 3};
        float[] x = rand(new Random(6), 60);
        TfjsTestGraph g = new TfjsTestGraph(s);
        g.ints("flat", new int[] {2}, new int[] {1, -1});
        g.ints("k", new int[0], new int[] {7});
        g.ints("three", new int[0], new int[] {3});
        g.ints("sixty", new int[0], new int[] {61});
        g.ints("four", new int[0], new int[] {4});
        g.ints("rows", new int[] {2}, new int[] {20, 3});
        g.ints("seven", new int[] {1}, new int[] {7});
        g.ints("axis0", new int[0], new int[] {0});
        g.floats("ten", new int[0], new float[] {10f});
        g.floats("three_f", new int[0], new float[] {3f});
        g.node("r", "Reshape", "x", "flat");
        g.node("top", "TopKV2", "r", "k").with("attr").putObject("sorted").put("b", true);
        g.node("cell", "FloorDiv", "top:1", "three");
        g.node("cls", "FloorMod", "top:1", "three");
        g.node("neg", "Sub", "top:1", "sixty");
        g.node("negdiv", "FloorDiv", "neg", "four");
        g.node("negmod", "FloorMod", "neg", "four");
        g.node("table", "Reshape", "x", "rows");
        g.node("cells", "Reshape", "cell", "seven");
        g.node("rowsAt", "GatherV2", "table", "cells", "axis0");
        g.node("xs", "Mul", "x", "ten");
        g.node("fdiv", "FloorDiv", "xs", "three_f");
        g.node("fmod", "FloorMod", "xs", "three_f");
        String[] casts = {"cell", "cls", "negdiv", "negmod"};
        for (String c : casts) {
            g.node(c + "_f", "Cast", c).with("attr").putObject("DstT").put("type", "DT_FLOAT");
        }
        Map<String, float[]> y = g.run(dir.resolve("topk"), x, "top", "cell_f", "cls_f", "negdiv_f", "negmod_f",
                "rowsAt", "fdiv", "fmod");
        Integer[] order = IntStream.range(0, 60).boxed().sorted(Comparator.comparingDouble(i -> -x[i]))
                .toArray(Integer[]::new);
        float[] top = new float[7];
        float[] cell = new float[7];
        float[] cls = new float[7];
        float[] negDiv = new float[7];
        float[] negMod = new float[7];
        float[] rowsAt = new float[21];
        for (int i = 0; i < 7; i++) {
            int idx = order[i];
            top[i] = x[idx];
            cell[i] = Math.floorDiv(idx, 3);
            cls[i] = Math.floorMod(idx, 3);
            negDiv[i] = Math.floorDiv(idx - 61, 4);
            negMod[i] = Math.floorMod(idx - 61, 4);
            System.arraycopy(x, Math.floorDiv(idx, 3) * 3, rowsAt, i * 3, 3);
        }
        float[] fdiv = new float[60];
        float[] fmod = new float[60];
        for (int i = 0; i < 60; i++) {
            float a = x[i] * 10f;
            fdiv[i] = (float) Math.floor(a / 3f);
            fmod[i] = a - fdiv[i] * 3f;
        }
        assertThat(g.shapes.get("top")).containsExactly(1, 7);
        assertThat(g.shapes.get("rowsAt")).containsExactly(7, 3);
        assertClose(y.get("top"), top);
        assertClose(y.get("cell_f"), cell);
        assertClose(y.get("cls_f"), cls);
        // idx − 61 is negative; where it is not a multiple of 4, flooring differs from truncating.
        assertThat(negMod).as("the check covers inexact negative quotients").containsAnyOf(1f, 2f, 3f);
        assertClose(y.get("negdiv_f"), negDiv);
        assertClose(y.get("negmod_f"), negMod);
        assertClose(y.get("rowsAt"), rowsAt);
        assertClose(y.get("fdiv"), fdiv);
        assertClose(y.get("fmod"), fmod);
        assertThat(g.ops).contains("TopK", "Mod", "Gather", "Floor");
    }

    @Test
    void stridedSliceOfATensorHonoursMasksNegativeStridesAndShrink(@TempDir Path dir) throws Exception {
        int[] s = {1, 4, 6, 3};
        float[] x = rand(new Random(7), 72);
        TfjsTestGraph g = new TfjsTestGraph(s);
        g.ints("b1", new int[] {4}, new int[] {0, 1, -1, 0});
        g.ints("e1", new int[] {4}, new int[] {0, 4, 0, 2});
        g.ints("s1", new int[] {4}, new int[] {1, 2, -2, 1});
        ObjectNode a1 = g.node("ss1", "StridedSlice", "x", "b1", "e1", "s1").with("attr");
        a1.putObject("begin_mask").put("i", "1");
        a1.putObject("end_mask").put("i", "1");
        g.ints("b2", new int[] {4}, new int[] {0, 0, 0, 1});
        g.ints("e2", new int[] {4}, new int[] {0, 0, 0, 2});
        g.ints("s2", new int[] {4}, new int[] {1, 1, 1, 1});
        ObjectNode a2 = g.node("ss2", "StridedSlice", "x", "b2", "e2", "s2").with("attr");
        a2.putObject("begin_mask").put("i", "7");
        a2.putObject("end_mask").put("i", "7");
        a2.putObject("shrink_axis_mask").put("i", "8");
        Map<String, float[]> y = g.run(dir.resolve("ss"), x, "ss1", "ss2");
        assertThat(g.shapes.get("ss1")).containsExactly(1, 2, 3, 2);
        assertThat(g.shapes.get("ss2")).containsExactly(1, 4, 6);
        float[] ss1 = new float[12];
        int k = 0;
        for (int i : new int[] {1, 3}) {
            for (int j : new int[] {5, 3, 1}) {
                for (int c = 0; c < 2; c++) {
                    ss1[k++] = x[(i * 6 + j) * 3 + c];
                }
            }
        }
        float[] ss2 = new float[24];
        for (int p = 0; p < 24; p++) {
            ss2[p] = x[p * 3 + 1];
        }
        assertClose(y.get("ss1"), ss1);
        assertClose(y.get("ss2"), ss2);
        assertThat(g.ops).contains("Slice");
    }

    private static float[] rand(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], TOL);
        }
    }
}
