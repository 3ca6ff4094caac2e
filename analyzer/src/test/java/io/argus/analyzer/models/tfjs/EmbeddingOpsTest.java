package io.argus.analyzer.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converters MobileFaceNet's graph needs beyond the detectors': Abs, Square, Sum and Rsqrt
 * (its PReLU is written {@code relu(x) + α·(x − |x|)·0.5}, its L2 normalisation
 * {@code x · rsqrt(max(Σx², ε))}). Each test writes a tiny TF.js graph, converts it, runs it with
 * ONNX Runtime and compares every value (within 1e-4, relative for Rsqrt) with a reference computed
 * here from TensorFlow's op definitions ({@code tensorflow/core/ops/math_ops.cc}); each op is tried
 * on the graph input (NHWC storage) and after a 1×1 identity Conv2D (NCHW storage).
 */
class EmbeddingOpsTest {

    private static final Offset<Float> TOL = Offset.offset(1e-4f);

    @Test
    void absSquareAndRsqrtAreElementwise(@TempDir Path dir) throws Exception {
        int[] s = {1, 3, 4, 5};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(11), 60);
            TfjsTestGraph g = new TfjsTestGraph(s);
            String in = g.input(afterConv);
            g.node("abs", "Abs", in);
            g.node("square", "Square", in);
            g.node("rsqrt", "Rsqrt", "abs");
            Map<String, float[]> y = g.run(dir.resolve("unary" + afterConv), x, "abs", "square", "rsqrt");
            for (String o : new String[] {"abs", "square", "rsqrt"}) {
                assertThat(g.shapes.get(o)).containsExactly(1, 3, 4, 5);
            }
            float[] abs = new float[60];
            float[] sq = new float[60];
            for (int i = 0; i < 60; i++) {
                abs[i] = Math.abs(x[i]);
                sq[i] = x[i] * x[i];
                assertThat(y.get("rsqrt")[i]).as("rsqrt %d", i)
                        .isCloseTo((float) (1 / Math.sqrt(abs[i])), Offset.offset(1e-5f * (float) (1 / Math.sqrt(abs[i]))));
            }
            assertClose(y.get("abs"), abs);
            assertClose(y.get("square"), sq);
            assertThat(g.ops).contains("Abs", "Mul", "Sqrt", "Reciprocal");
        }
    }

    @Test
    void sumAddsOverTheGivenAxesWithAndWithoutKeepDims(@TempDir Path dir) throws Exception {
        int[] s = {1, 3, 4, 5};
        for (boolean afterConv : new boolean[] {false, true}) {
            float[] x = rand(new Random(12), 60);
            TfjsTestGraph g = new TfjsTestGraph(s);
            String in = g.input(afterConv);
            g.ints("hw", new int[] {2}, new int[] {1, 2});
            g.ints("last", new int[0], new int[] {-1});
            g.node("pool", "Sum", in, "hw").with("attr").putObject("keep_dims").put("b", true);
            g.node("chan", "Sum", in, "last");
            Map<String, float[]> y = g.run(dir.resolve("sum" + afterConv), x, "pool", "chan");
            assertThat(g.shapes.get("pool")).containsExactly(1, 1, 1, 5);
            assertThat(g.shapes.get("chan")).containsExactly(1, 3, 4);
            float[] pool = new float[5];
            float[] chan = new float[12];
            for (int p = 0; p < 12; p++) {
                for (int c = 0; c < 5; c++) {
                    pool[c] += x[p * 5 + c];
                    chan[p] += x[p * 5 + c];
                }
            }
            assertClose(y.get("pool"), pool);
            assertClose(y.get("chan"), chan);
            assertThat(g.ops).contains("ReduceSum");
        }
    }

    /** MobileFaceNet's tail: PReLU as Relu/Abs/Sub/Mul/Add, Squeeze, then x·rsqrt(max(Σx², ε)). */
    @Test
    void preluAndL2NormalisationAsMobileFaceNetWritesThem(@TempDir Path dir) throws Exception {
        int[] s = {1, 1, 1, 6};
        float[] x = rand(new Random(13), 6);
        float[] alpha = rand(new Random(14), 6);
        TfjsTestGraph g = new TfjsTestGraph(s);
        String in = g.input(true);
        g.floats("alpha", new int[] {6}, alpha);
        g.floats("half", new int[0], new float[] {0.5f});
        g.floats("eps", new int[0], new float[] {1e-10f});
        g.ints("axis", new int[0], new int[] {1});
        g.node("relu", "Relu", in);
        g.node("abs", "Abs", in);
        g.node("sub", "Sub", in, "abs");
        g.node("mul", "Mul", "sub", "alpha");
        g.node("mul_1", "Mul", "mul", "half");
        g.node("prelu", "Add", "relu", "mul_1");
        g.node("squeeze", "Squeeze", "prelu").with("attr").putObject("squeeze_dims").putObject("list").putArray("i")
                .add("1").add("2");
        g.node("square", "Square", "squeeze");
        g.node("sum", "Sum", "square", "axis").with("attr").putObject("keep_dims").put("b", true);
        g.node("max", "Maximum", "sum", "eps");
        g.node("rsqrt", "Rsqrt", "max");
        g.node("emb", "Mul", "squeeze", "rsqrt");
        Map<String, float[]> y = g.run(dir.resolve("tail"), x, "emb");
        assertThat(g.shapes.get("emb")).containsExactly(1, 6);
        float[] p = new float[6];
        double norm = 0;
        for (int i = 0; i < 6; i++) {
            p[i] = x[i] >= 0 ? x[i] : alpha[i] * x[i];
            norm += p[i] * p[i];
        }
        for (int i = 0; i < 6; i++) {
            p[i] /= (float) Math.sqrt(norm);
        }
        assertClose(y.get("emb"), p);
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
