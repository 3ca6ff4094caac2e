package io.argus.analyzer.models.tfjs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of ops that select elements by value or by index, as in-graph detection decoders
 * (CenterNet's top-k peak picking) use them.
 *
 * <ul>
 *   <li>TopKV2 ({@code tensorflow/core/ops/nn_ops.cc}: input {@code [..., n]}, constant scalar
 *       {@code k}; outputs values and int32 indices of the k largest along the last axis, sorted
 *       descending, equal values by lower index first) → ONNX TopK ({@code axis = -1},
 *       {@code largest = 1}, {@code sorted = 1}; ONNX also orders ties by lower index). The indices
 *       are int64 in ONNX. {@code sorted = false} is accepted (a sorted result is a valid
 *       unsorted one).</li>
 *   <li>GatherV2 ({@code array_ops.cc}: {@code params, indices, axis}, {@code batch_dims = 0};
 *       output shape {@code params[:axis] + indices.shape + params[axis+1:]}) → ONNX Gather on the
 *       same axis; constant params become an initializer, constant indices int64 ones.</li>
 * </ul>
 * Tensors are read in TF layout ({@link Conversion#plain}).
 */
final class IndexOps {

    private IndexOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("TopKV2", IndexOps::topK);
        byOp.put("GatherV2", IndexOps::gather);
        return byOp;
    }

    private static void topK(TfjsGraph.Node n, Conversion cv) {
        if (!(cv.in(n, 0) instanceof Dyn d0)) {
            throw new ConversionException(n.name(), n.op(), "constant input not supported");
        }
        Dyn d = cv.plain(d0);
        int k = cv.constIn(n, 1).asInts()[0];
        int[] s = d.shape();
        if (s.length == 0 || k < 0 || k > s[s.length - 1]) {
            throw new ConversionException(n.name(), n.op(), "k = " + k + " for shape " + Arrays.toString(s));
        }
        int[] out = s.clone();
        out[out.length - 1] = k;
        String values = cv.outName(n);
        String indices = cv.outName(n) + ":1";
        cv.graph().node("TopK", n.name(), List.of(d.name(), cv.longs(k)), List.of(values, indices),
                Attribute.of("axis", -1L), Attribute.of("largest", 1L), Attribute.of("sorted", 1L));
        cv.put(n, 0, new Dyn(values, out, false, null, d.type()));
        cv.put(n, 1, new Dyn(indices, out, false, null, OnnxGraph.INT64));
    }

    private static void gather(TfjsGraph.Node n, Conversion cv) {
        if (n.intAttr("batch_dims", 0) != 0) {
            throw new ConversionException(n.name(), n.op(), "batch_dims != 0 not supported");
        }
        Value params = cv.in(n, 0);
        Value indices = cv.in(n, 1);
        int[] ps = params.shape();
        int axis = cv.constIn(n, 2).asInts()[0];
        axis = axis < 0 ? axis + ps.length : axis;
        if (axis < 0 || axis >= ps.length) {
            throw new ConversionException(n.name(), n.op(), "axis out of range for shape " + Arrays.toString(ps));
        }
        int[] is = indices.shape();
        int[] out = new int[ps.length - 1 + is.length];
        System.arraycopy(ps, 0, out, 0, axis);
        System.arraycopy(is, 0, out, axis, is.length);
        System.arraycopy(ps, axis + 1, out, axis + is.length, ps.length - axis - 1);
        if (params instanceof Const && indices instanceof Const) {
            throw new ConversionException(n.name(), n.op(), "constant params and indices not supported");
        }
        String p = params instanceof Dyn dp ? cv.plain(dp).name() : cv.constant(((Const) params).v(), !((Const) params).v().isFloat()).name();
        String i;
        if (indices instanceof Dyn di) {
            if (!di.isLong()) {
                throw new ConversionException(n.name(), n.op(), "indices must be integers");
            }
            i = cv.plain(di).name();
        } else {
            i = cv.constant(((Const) indices).v().cast(false), true).name();
        }
        int type = params instanceof Dyn dp ? dp.type() : ((Const) params).v().isFloat() ? OnnxGraph.FLOAT
                : OnnxGraph.INT64;
        String o = cv.graph().node("Gather", cv.outName(n), List.of(p, i), Attribute.of("axis", (long) axis));
        cv.put(n, new Dyn(o, out, false, null, type));
    }
}
