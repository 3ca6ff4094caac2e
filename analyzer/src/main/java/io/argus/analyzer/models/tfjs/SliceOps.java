package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of slicing: Slice (constant begin and size, {@code -1} = to the end) → ONNX Slice on
 * every axis, or evaluated in Java on a constant; StridedSlice with constant begin/end/strides and
 * TensorFlow's semantics ({@code tensorflow/core/util/strided_slice_op.cc}: begin, end and
 * shrink-axis masks, negative indices and strides; ellipsis and new-axis masks are refused),
 * evaluated in Java on a constant (SSD exports: {@code Shape → StridedSlice → Pack}) or → ONNX
 * Slice with steps plus a Reshape for shrunk axes on a tensor (CenterNet's box columns).
 */
final class SliceOps {

    private SliceOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Slice", SliceOps::slice);
        byOp.put("StridedSlice", SliceOps::stridedSlice);
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

    /** A resolved StridedSlice: first index, step and count per input dim, and the output shape. */
    private record Strided(int[] begin, int[] step, int[] count, int[] outShape) {
    }

    /**
     * TensorFlow StridedSlice: evaluated in Java on a constant; on a tensor → ONNX Slice (starts,
     * ends, axes, steps for every dim) followed by a Reshape dropping the shrunk axes.
     */
    private static void stridedSlice(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        Strided r = resolve(n, v.shape(), cv.constIn(n, 1).asInts(), cv.constIn(n, 2).asInts(),
                cv.constIn(n, 3).asInts());
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().slice(r.begin(), r.step(), r.count()).reshape(r.outShape())));
            return;
        }
        Dyn d = cv.plain((Dyn) v);
        int[] s = d.shape();
        long[] starts = new long[s.length];
        long[] ends = new long[s.length];
        long[] axes = new long[s.length];
        long[] steps = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            starts[i] = r.begin()[i];
            long end = (long) r.begin()[i] + (long) r.step()[i] * r.count()[i];
            // A negative end would count from the back in ONNX; below −dim it clamps to "before 0".
            ends[i] = end < 0 ? -(long) s[i] - 1 : end;
            axes[i] = i;
            steps[i] = r.step()[i];
        }
        OnnxGraph g = cv.graph();
        int[] sliced = r.count();
        boolean reshape = !Arrays.equals(sliced, r.outShape());
        String o = g.node("Slice", reshape ? g.fresh(n.name() + "/slice") : cv.outName(n),
                List.of(d.name(), cv.longs(starts), cv.longs(ends), cv.longs(axes), cv.longs(steps)));
        if (reshape) {
            o = g.node("Reshape", cv.outName(n),
                    List.of(o, cv.longs(Arrays.stream(r.outShape()).asLongStream().toArray())));
        }
        cv.put(n, new Dyn(o, r.outShape(), false, null, d.type()));
    }

    /** TensorFlow StridedSlice's index resolution (tensorflow/core/util/strided_slice_op.cc semantics). */
    private static Strided resolve(TfjsGraph.Node n, int[] s, int[] begin, int[] end, int[] strides) {
        if (n.intAttr("ellipsis_mask", 0) != 0 || n.intAttr("new_axis_mask", 0) != 0) {
            throw new ConversionException(n.name(), n.op(), "ellipsis_mask/new_axis_mask not supported");
        }
        long beginMask = n.intAttr("begin_mask", 0);
        long endMask = n.intAttr("end_mask", 0);
        long shrinkMask = n.intAttr("shrink_axis_mask", 0);
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
        return new Strided(b, st, count, outShape.stream().mapToInt(Integer::intValue).toArray());
    }
}
