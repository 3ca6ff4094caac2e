package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of reductions: Mean and Sum ({@code tensorflow/core/ops/math_ops.cc}: input, constant
 * {@code reduction_indices} (scalar or vector, negative counts from the end), {@code keep_dims})
 * → ONNX ReduceMean with {@code axes} as an attribute (opset 13) and {@code keepdims}, and
 * ReduceSum with {@code axes} as an int64 input (opset 13 moved it there) and {@code keepdims}. A 4-D
 * tensor stored NCHW reduced with {@code keep_dims} (the squeeze-and-excite global pooling of
 * MobileNetV3) is reduced on the matching NCHW axes and stays NCHW; otherwise the tensor is read in
 * TF layout. A constant input is averaged in Java.
 */
final class ReduceOps {

    private ReduceOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Mean", (n, c) -> reduce(n, c, false));
        byOp.put("Sum", (n, c) -> reduce(n, c, true));
        return byOp;
    }

    private static void reduce(TfjsGraph.Node n, Conversion cv, boolean sum) {
        Value v = cv.in(n, 0);
        int[] s = v.shape();
        boolean keep = n.attr().path("keep_dims").path("b").asBoolean(false);
        TreeSet<Integer> axes = new TreeSet<>();
        for (int a : cv.constIn(n, 1).asInts()) {
            int r = a < 0 ? a + s.length : a;
            if (r < 0 || r >= s.length) {
                throw new ConversionException(n.name(), n.op(), "axis " + a + " out of range for rank " + s.length);
            }
            axes.add(r);
        }
        List<Integer> outShape = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (!axes.contains(i)) {
                outShape.add(s[i]);
            } else if (keep) {
                outShape.add(1);
            }
        }
        int[] out = outShape.stream().mapToInt(Integer::intValue).toArray();
        if (v instanceof Const c) {
            cv.put(n, new Const(reduceOf(c.v(), axes, out, sum)));
            return;
        }
        Dyn d = (Dyn) v;
        boolean nchw = d.nchw() && keep && s.length == 4;
        if (!nchw) {
            d = cv.plain(d);
        }
        long[] storageAxes = axes.stream().mapToLong(a -> nchw ? new int[] {0, 2, 3, 1}[a] : a).sorted().toArray();
        String o = sum
                ? cv.graph().node("ReduceSum", cv.outName(n),
                        List.of(d.name(), cv.graph().longs(cv.graph().fresh(n.name() + "/axes"), storageAxes,
                                storageAxes.length)),
                        Attribute.of("keepdims", keep ? 1L : 0L))
                : cv.graph().node("ReduceMean", cv.outName(n), List.of(d.name()),
                        Attribute.ints("axes", storageAxes), Attribute.of("keepdims", keep ? 1L : 0L));
        cv.put(n, new Dyn(o, out, nchw, null, d.type()));
    }

    /** Sum or mean over {@code axes} of a constant, in double precision. */
    private static Nd reduceOf(Nd x, TreeSet<Integer> axes, int[] out, boolean sumOnly) {
        int[] s = x.shape();
        int[] strides = Nd.strides(s);
        double[] sum = new double[Nd.size(out)];
        int count = 1;
        for (int a : axes) {
            count *= s[a];
        }
        int[] keptDims = java.util.stream.IntStream.range(0, s.length).filter(i -> !axes.contains(i)).toArray();
        int[] keptShape = Arrays.stream(keptDims).map(i -> s[i]).toArray();
        int[] keptStrides = Nd.strides(keptShape);
        float[] f = x.asFloats();
        for (int i = 0; i < f.length; i++) {
            int o = 0;
            for (int k = 0; k < keptDims.length; k++) {
                o += (i / strides[keptDims[k]] % s[keptDims[k]]) * keptStrides[k];
            }
            sum[o] += f[i];
        }
        float[] r = new float[sum.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (sumOnly ? sum[i] : sum[i] / count);
        }
        return Nd.floats(r, out);
    }
}
