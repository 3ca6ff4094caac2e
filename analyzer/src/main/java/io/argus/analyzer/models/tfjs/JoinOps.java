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
 * Unpack → Gather with a scalar index per output; ConcatV2 → Concat; Tile → Tile. All constant
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
        return byOp;
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
