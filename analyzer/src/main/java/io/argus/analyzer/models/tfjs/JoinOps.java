package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of ops that join, split or repeat tensors: Pack → Reshape of each part + Concat;
 * Unpack → Gather with a scalar index per output; ConcatV2 → Concat; Tile → Tile; SplitV and Split
 * → Split (see {@link #split}). All constant
 * inputs are evaluated in Java ({@link Nd}); tensors are read in NHWC ({@link Conversion#plain}),
 * and constant parts of a mixed Pack or Concat become float initializers.
 */
final class JoinOps {

    private JoinOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Pack", JoinOps::pack);
        byOp.put("Unpack", JoinOps::unpack);
        byOp.put("ConcatV2", JoinOps::concat);
        byOp.put("Tile", JoinOps::tile);
        byOp.put("SplitV", (n, c) -> split(n, c, 0, c.constIn(n, 2).asInts()[0], c.constIn(n, 1).asInts()));
        byOp.put("Split", (n, c) -> split(n, c, 1, c.constIn(n, 0).asInts()[0], null));
        return byOp;
    }

    /**
     * TensorFlow SplitV ({@code value, size_splits, axis}; one {@code -1} size takes the rest) and
     * Split ({@code axis, value}; {@code num_split} equal parts), following
     * {@code tensorflow/core/ops/array_ops.cc} → ONNX Split with the sizes as an input (opset
     * ≥ 13), output k named {@code node:k}. A 4-D tensor stored NCHW is split on the matching
     * NCHW axis and its parts stay NCHW; constants are sliced in Java.
     *
     * @param valueInput which input holds the tensor
     * @param axis the split axis (negative counts from the end)
     * @param sizes SplitV's sizes, or null for Split's equal parts
     */
    private static void split(TfjsGraph.Node n, Conversion cv, int valueInput, int axis, int[] sizes) {
        Value v = cv.in(n, valueInput);
        int[] s = v.shape();
        int a = axis < 0 ? axis + s.length : axis;
        if (a < 0 || a >= s.length) {
            throw new ConversionException(n.name(), n.op(), "axis " + axis + " out of range for rank " + s.length);
        }
        int[] parts = sizes == null ? equalParts(n, s[a]) : resolveSizes(n, s[a], sizes);
        if (v instanceof Const c) {
            int[] begin = new int[s.length];
            int[] ones = new int[s.length];
            Arrays.fill(ones, 1);
            for (int k = 0; k < parts.length; k++) {
                int[] shape = s.clone();
                shape[a] = parts[k];
                cv.put(n, k, new Const(c.v().slice(begin, ones, shape)));
                begin[a] += parts[k];
            }
            return;
        }
        Dyn d = (Dyn) v;
        if (d.nchw() && s.length != 4) {
            d = cv.plain(d);
        }
        int storageAxis = d.nchw() ? new int[] {0, 2, 3, 1}[a] : a;
        List<String> outs = new ArrayList<>();
        long[] split = new long[parts.length];
        for (int k = 0; k < parts.length; k++) {
            outs.add(k == 0 ? cv.outName(n) : cv.outName(n) + ":" + k);
            split[k] = parts[k];
        }
        cv.graph().node("Split", cv.outName(n), List.of(d.name(), cv.longs(split)), outs,
                Attribute.of("axis", (long) storageAxis));
        for (int k = 0; k < parts.length; k++) {
            int[] shape = s.clone();
            shape[a] = parts[k];
            cv.put(n, k, new Dyn(outs.get(k), shape, d.nchw(), null));
        }
    }

    private static int[] equalParts(TfjsGraph.Node n, int dim) {
        int num = (int) n.intAttr("num_split", 1);
        if (num <= 0 || dim % num != 0) {
            throw new ConversionException(n.name(), n.op(), "cannot split " + dim + " into " + num + " equal parts");
        }
        int[] parts = new int[num];
        Arrays.fill(parts, dim / num);
        return parts;
    }

    private static int[] resolveSizes(TfjsGraph.Node n, int dim, int[] sizes) {
        int[] r = sizes.clone();
        int known = 0;
        int unknown = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (unknown >= 0) {
                    throw new ConversionException(n.name(), n.op(), "two -1 sizes in " + Arrays.toString(sizes));
                }
                unknown = i;
            } else if (r[i] < 0) {
                throw new ConversionException(n.name(), n.op(), "negative size in " + Arrays.toString(sizes));
            } else {
                known += r[i];
            }
        }
        if (unknown >= 0) {
            r[unknown] = dim - known;
        }
        if (Arrays.stream(r).sum() != dim || (unknown >= 0 && r[unknown] < 0)) {
            throw new ConversionException(n.name(), n.op(), "sizes " + Arrays.toString(sizes) + " do not add up to " + dim);
        }
        return r;
    }

    private static void pack(TfjsGraph.Node n, Conversion cv) {
        int count = n.inputs().size();
        int rank = cv.in(n, 0).shape().length;
        int axis = (int) n.intAttr("axis", 0);
        axis = axis < 0 ? axis + rank + 1 : axis;
        if (cv.allConst(n, count)) {
            List<Nd> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                parts.add(cv.constIn(n, i));
            }
            cv.put(n, new Const(Nd.stack(parts, axis)));
            return;
        }
        int[] one = Nd.insert(cv.in(n, 0).shape(), axis, 1);
        List<String> parts = new ArrayList<>();
        String shape = cv.longs(Arrays.stream(one).asLongStream().toArray());
        for (int i = 0; i < count; i++) {
            Value v = cv.in(n, i);
            if (v instanceof Const c) {
                parts.add(cv.constant(c.v().cast(true).reshape(one), false).name());
            } else {
                parts.add(cv.graph().node("Reshape", cv.graph().fresh(n.name() + "/part"),
                        List.of(cv.plain((Dyn) v).name(), shape)));
            }
        }
        int[] out = one.clone();
        out[axis] = count;
        String o = cv.graph().node("Concat", cv.outName(n), parts, Attribute.of("axis", (long) axis));
        cv.put(n, new Dyn(o, out, false, null));
    }

    private static void unpack(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        int rank = v.shape().length;
        int axis = (int) n.intAttr("axis", 0);
        axis = axis < 0 ? axis + rank : axis;
        int num = (int) n.intAttr("num", v.shape()[axis]);
        if (v instanceof Const c) {
            for (int k = 0; k < num; k++) {
                cv.put(n, k, new Const(c.v().unstack(axis, k)));
            }
            return;
        }
        Dyn d = cv.plain((Dyn) v);
        int[] shape = Nd.remove(d.shape(), axis);
        for (int k = 0; k < num; k++) {
            String idx = cv.graph().longs(cv.graph().fresh("index"), new long[] {k});
            String out = cv.graph().node("Gather", k == 0 ? cv.outName(n) : cv.outName(n) + ":" + k,
                    List.of(d.name(), idx), Attribute.of("axis", (long) axis));
            cv.put(n, k, new Dyn(out, shape, false, null));
        }
    }

    private static void concat(TfjsGraph.Node n, Conversion cv) {
        int count = n.inputs().size() - 1;
        int rank = cv.in(n, 0).shape().length;
        int axis = cv.constIn(n, count).asInts()[0];
        axis = axis < 0 ? axis + rank : axis;
        if (cv.allConst(n, count)) {
            List<Nd> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                parts.add(cv.constIn(n, i));
            }
            cv.put(n, new Const(Nd.concat(parts, axis)));
            return;
        }
        List<String> parts = new ArrayList<>();
        int[] out = cv.in(n, 0).shape().clone();
        out[axis] = 0;
        for (int i = 0; i < count; i++) {
            Value v = cv.in(n, i);
            out[axis] += v.shape()[axis];
            parts.add(v instanceof Const c ? cv.constant(c.v().cast(true), false).name() : cv.plain((Dyn) v).name());
        }
        String o = cv.graph().node("Concat", cv.outName(n), parts, Attribute.of("axis", (long) axis));
        cv.put(n, new Dyn(o, out, false, null));
    }

    private static void tile(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        int[] mult = cv.constIn(n, 1).asInts();
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().tile(mult)));
            return;
        }
        Dyn d = cv.plain((Dyn) v);
        int[] out = d.shape().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= mult[i];
        }
        String o = cv.graph().node("Tile", cv.outName(n),
                List.of(d.name(), cv.longs(Arrays.stream(mult).asLongStream().toArray())));
        cv.put(n, new Dyn(o, out, false, null));
    }
}
