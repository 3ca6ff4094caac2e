package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of ops that change a tensor's shape but not its values: Shape (always a constant, the
 * shapes being static), Reshape (one {@code -1} dim resolved), ExpandDims and Squeeze (both →
 * Reshape), Transpose; SparseToDense on constants only (it builds Reshape targets, see
 * {@link #sparseToDense}). Constants are reshaped or transposed in Java; tensors are read in NHWC
 * ({@link Conversion#plain}).
 */
final class ShapeOps {

    private ShapeOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Shape", (n, c) -> c.put(n, new Const(Nd.vector(
                Arrays.stream(c.in(n, 0).shape()).asLongStream().toArray()))));
        byOp.put("Reshape", (n, c) -> reshape(n, c, c.in(n, 0),
                resolve(n, c.in(n, 0).shape(), c.constIn(n, 1).asInts())));
        byOp.put("ExpandDims", ShapeOps::expandDims);
        byOp.put("Squeeze", ShapeOps::squeeze);
        byOp.put("Transpose", ShapeOps::transpose);
        byOp.put("SparseToDense", ShapeOps::sparseToDense);
        return byOp;
    }

    /**
     * TensorFlow SparseToDense ({@code tensorflow/core/ops/sparse_ops.cc}: {@code sparse_indices}
     * 0-D, 1-D or {@code [N, rank]}, {@code output_shape}, {@code sparse_values} scalar or
     * {@code [N]}, scalar {@code default_value}), on constants only: graphs converted from ONNX
     * (onnx-tf) use it to build Reshape targets. The result has the type of the values.
     *
     * @throws ConversionException when an input is not constant, an index has the wrong length or
     *     lies outside the output shape
     */
    private static void sparseToDense(TfjsGraph.Node n, Conversion cv) {
        if (!cv.allConst(n, 4)) {
            throw new ConversionException(n.name(), n.op(), "only constant inputs are supported");
        }
        Nd idx = cv.constIn(n, 0);
        int[] shape = cv.constIn(n, 1).asInts();
        Nd vals = cv.constIn(n, 2);
        Nd dflt = cv.constIn(n, 3);
        int count = idx.rank() == 0 ? 1 : idx.shape()[0];
        int d = idx.rank() == 2 ? idx.shape()[1] : 1;
        if (d != shape.length) {
            throw new ConversionException(n.name(), n.op(), "indices of length " + d + " for output shape "
                    + Arrays.toString(shape));
        }
        int[] strides = Nd.strides(shape);
        int size = Nd.size(shape);
        long[] ix = idx.asLongs();
        boolean isFloat = vals.isFloat();
        float[] f = isFloat ? new float[size] : null;
        long[] l = isFloat ? null : new long[size];
        if (isFloat) {
            Arrays.fill(f, dflt.asFloats()[0]);
        } else {
            Arrays.fill(l, dflt.asLongs()[0]);
        }
        for (int i = 0; i < count; i++) {
            int off = 0;
            for (int k = 0; k < d; k++) {
                long c = ix[i * d + k];
                if (c < 0 || c >= shape[k]) {
                    throw new ConversionException(n.name(), n.op(), "index " + c + " outside dim " + k + " of "
                            + Arrays.toString(shape));
                }
                off += (int) c * strides[k];
            }
            int vi = vals.rank() == 0 ? 0 : i;
            if (isFloat) {
                f[off] = vals.asFloats()[vi];
            } else {
                l[off] = vals.asLongs()[vi];
            }
        }
        cv.put(n, new Const(isFloat ? Nd.floats(f, shape) : Nd.longs(l, shape)));
    }

    /** @return {@code to} with its {@code -1} dim (if any) resolved against the size of {@code from} */
    private static int[] resolve(TfjsGraph.Node n, int[] from, int[] to) {
        int[] r = to.clone();
        int known = 1;
        int unknown = -1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (unknown >= 0) {
                    throw new ConversionException(n.name(), n.op(), "two -1 dims in " + Arrays.toString(to));
                }
                unknown = i;
            } else {
                known *= r[i];
            }
        }
        int total = Nd.size(from);
        if (unknown >= 0) {
            r[unknown] = total / known;
        }
        if (Nd.size(r) != total) {
            throw new ConversionException(n.name(), n.op(), "cannot reshape " + Arrays.toString(from) + " to "
                    + Arrays.toString(to));
        }
        return r;
    }

    private static void reshape(TfjsGraph.Node n, Conversion cv, Value v, int[] shape) {
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().reshape(shape)));
            return;
        }
        Dyn d = cv.plain((Dyn) v);
        String out = cv.graph().node("Reshape", cv.outName(n),
                List.of(d.name(), cv.longs(Arrays.stream(shape).asLongStream().toArray())));
        cv.put(n, new Dyn(out, shape, false, null, d.type()));
    }

    private static void expandDims(TfjsGraph.Node n, Conversion cv) {
        int[] s = cv.in(n, 0).shape();
        int axis = cv.constIn(n, 1).asInts()[0];
        axis = axis < 0 ? axis + s.length + 1 : axis;
        reshape(n, cv, cv.in(n, 0), Nd.insert(s, axis, 1));
    }

    private static void squeeze(TfjsGraph.Node n, Conversion cv) {
        int[] s = cv.in(n, 0).shape();
        int[] dims = n.intsAttr("squeeze_dims");
        if (dims == null) {
            dims = n.intsAttr("axis");
        }
        List<Integer> keep = new ArrayList<>();
        Set<Integer> drop = new HashSet<>();
        if (dims != null) {
            for (int d : dims) {
                drop.add(d < 0 ? d + s.length : d);
            }
        }
        for (int i = 0; i < s.length; i++) {
            boolean squeeze = drop.isEmpty() ? s[i] == 1 : drop.contains(i);
            if (squeeze && s[i] != 1) {
                throw new ConversionException(n.name(), n.op(), "dim " + i + " of " + Arrays.toString(s) + " is not 1");
            }
            if (!squeeze) {
                keep.add(s[i]);
            }
        }
        reshape(n, cv, cv.in(n, 0), keep.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void transpose(TfjsGraph.Node n, Conversion cv) {
        int[] perm = cv.constIn(n, 1).asInts();
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().transpose(perm)));
            return;
        }
        Dyn d = cv.plain((Dyn) v);
        int[] shape = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = d.shape()[perm[i]];
        }
        String out = cv.graph().node("Transpose", cv.outName(n), List.of(d.name()),
                Attribute.ints("perm", Arrays.stream(perm).asLongStream().toArray()));
        cv.put(n, new Dyn(out, shape, false, null, d.type()));
    }
}
