package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of slicing: Slice (constant begin and size, {@code -1} = to the end) → ONNX Slice on
 * every axis, or evaluated in Java on a constant; StridedSlice on constants only, with TensorFlow's
 * semantics ({@code tensorflow/core/util/strided_slice_op.cc}: begin, end and shrink-axis masks,
 * negative indices and strides; ellipsis and new-axis masks are refused). In SSD exports
 * StridedSlice only ever reads static shapes ({@code Shape → StridedSlice → Pack}).
 */
final class SliceOps {

    private SliceOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Slice", SliceOps::slice);
        byOp.put("StridedSlice", (n, c) -> c.put(n, new Const(stridedSlice(n, c.constIn(n, 0),
                c.constIn(n, 1).asInts(), c.constIn(n, 2).asInts(), c.constIn(n, 3).asInts()))));
        return byOp;
    }

    private static void slice(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        int[] begin = cv.constIn(n, 1).asInts();
        int[] size = cv.constIn(n, 2).asInts();
        int[] s = v.shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = size[i] == -1 ? s[i] - begin[i] : size[i];
        }
        if (v instanceof Const c) {
            int[] ones = new int[s.length];
            Arrays.fill(ones, 1);
            cv.put(n, new Const(c.v().slice(begin, ones, out)));
            return;
        }
        long[] starts = new long[s.length];
        long[] ends = new long[s.length];
        long[] axes = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            starts[i] = begin[i];
            ends[i] = begin[i] + out[i];
            axes[i] = i;
        }
        String o = cv.graph().node("Slice", cv.outName(n),
                List.of(cv.plain((Dyn) v).name(), cv.longs(starts), cv.longs(ends), cv.longs(axes)));
        cv.put(n, new Dyn(o, out, false, null));
    }

    /** TensorFlow StridedSlice on a constant (tensorflow/core/util/strided_slice_op.cc semantics). */
    private static Nd stridedSlice(TfjsGraph.Node n, Nd x, int[] begin, int[] end, int[] strides) {
        if (n.intAttr("ellipsis_mask", 0) != 0 || n.intAttr("new_axis_mask", 0) != 0) {
            throw new ConversionException(n.name(), n.op(), "ellipsis_mask/new_axis_mask not supported");
        }
        long beginMask = n.intAttr("begin_mask", 0);
        long endMask = n.intAttr("end_mask", 0);
        long shrinkMask = n.intAttr("shrink_axis_mask", 0);
        int[] s = x.shape();
        int[] b = new int[s.length];
        int[] st = new int[s.length];
        int[] count = new int[s.length];
        List<Integer> outShape = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            int dim = s[i];
            if (i >= begin.length) {
                b[i] = 0;
                st[i] = 1;
                count[i] = dim;
                outShape.add(dim);
                continue;
            }
            int stride = strides[i];
            if (stride == 0) {
                throw new ConversionException(n.name(), n.op(), "zero stride");
            }
            boolean shrink = (shrinkMask >> i & 1) != 0;
            int bi = begin[i];
            int ei = end[i];
            if ((beginMask >> i & 1) != 0 && !shrink) {
                bi = stride > 0 ? 0 : dim - 1;
            } else {
                bi = bi < 0 ? bi + dim : bi;
                bi = stride > 0 ? Math.max(0, Math.min(dim, bi)) : Math.max(-1, Math.min(dim - 1, bi));
            }
            if (shrink) {
                if (bi < 0 || bi >= dim) {
                    throw new ConversionException(n.name(), n.op(), "index " + begin[i] + " out of range " + dim);
                }
                b[i] = bi;
                st[i] = 1;
                count[i] = 1;
                continue;
            }
            if ((endMask >> i & 1) != 0) {
                ei = stride > 0 ? dim : -1;
            } else {
                ei = ei < 0 ? ei + dim : ei;
                ei = stride > 0 ? Math.max(0, Math.min(dim, ei)) : Math.max(-1, Math.min(dim - 1, ei));
            }
            int c = stride > 0 ? Math.max(0, (ei - bi + stride - 1) / stride)
                    : Math.max(0, (bi - ei - stride - 1) / -stride);
            b[i] = bi;
            st[i] = stride;
            count[i] = c;
            outShape.add(c);
        }
        return x.slice(b, st, count).reshape(outShape.stream().mapToInt(Integer::intValue).toArray());
    }
}
