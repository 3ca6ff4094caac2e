package io.argus.analyzer.models.tfjs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of element-wise maths. Binary: Add, AddV2 and BiasAdd → Add, Sub, Mul, RealDiv → Div,
 * Maximum → Max, Minimum → Min, with NumPy broadcasting; a per-channel Mul, or Add/Sub of a
 * constant, right after a Conv read only there is folded into the Conv's weights and bias
 * ({@link ConvOps#foldable}). AddN → Sum. Unary: Relu6 → Clip(0, 6) (min/max as inputs, opset
 * ≥ 11), Relu, Sigmoid, Exp, Tanh one to one; LeakyRelu → LeakyRelu with TensorFlow's
 * {@code alpha}. Constant operands are evaluated in Java ({@link Nd}). Outputs keep NCHW storage
 * when every tensor operand is stored NCHW.
 */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        OpConverter add = (n, c) -> binary(n, c, "Add", Double::sum, Long::sum);
        byOp.put("Add", add);
        byOp.put("AddV2", add);
        byOp.put("BiasAdd", add);
        byOp.put("Sub", (n, c) -> binary(n, c, "Sub", (a, b) -> a - b, (a, b) -> a - b));
        byOp.put("Mul", (n, c) -> binary(n, c, "Mul", (a, b) -> a * b, (a, b) -> a * b));
        byOp.put("RealDiv", (n, c) -> binary(n, c, "Div", (a, b) -> a / b, (a, b) -> a / b));
        byOp.put("Maximum", (n, c) -> binary(n, c, "Max", Math::max, Math::max));
        byOp.put("Minimum", (n, c) -> binary(n, c, "Min", Math::min, Math::min));
        byOp.put("AddN", ElementwiseOps::addN);
        byOp.put("Relu6", (n, c) -> unary(n, c, "Clip", v -> Math.min(6, Math.max(0, v))));
        byOp.put("Relu", (n, c) -> unary(n, c, "Relu", v -> Math.max(0, v)));
        byOp.put("Sigmoid", (n, c) -> unary(n, c, "Sigmoid", v -> 1 / (1 + Math.exp(-v))));
        byOp.put("Exp", (n, c) -> unary(n, c, "Exp", Math::exp));
        byOp.put("Tanh", (n, c) -> unary(n, c, "Tanh", Math::tanh));
        byOp.put("LeakyRelu", ElementwiseOps::leakyRelu);
        return byOp;
    }

    /**
     * TensorFlow LeakyRelu ({@code tensorflow/core/ops/nn_ops.cc}: {@code x < 0 ? alpha·x : x},
     * attribute {@code alpha}, default 0.2) → ONNX LeakyRelu with the same {@code alpha} (whose own
     * default, 0.01, differs, so it is always written). Layout-agnostic: keeps NCHW storage.
     */
    private static void leakyRelu(TfjsGraph.Node n, Conversion cv) {
        double alpha = n.floatAttr("alpha", 0.2);
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().map(x -> x < 0 ? alpha * x : x)));
            return;
        }
        Dyn d = (Dyn) v;
        String out = cv.graph().node("LeakyRelu", cv.outName(n), List.of(d.name()),
                OnnxGraph.Attribute.of("alpha", (float) alpha));
        cv.put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }

    private static void unary(TfjsGraph.Node n, Conversion cv, String onnxOp, DoubleUnaryOperator f) {
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().map(f)));
            return;
        }
        Dyn d = (Dyn) v;
        List<String> inputs = new ArrayList<>(List.of(d.name()));
        if (onnxOp.equals("Clip")) {
            inputs.add(cv.graph().floats(cv.graph().fresh("clip_min"), new float[] {0f}));
            inputs.add(cv.graph().floats(cv.graph().fresh("clip_max"), new float[] {6f}));
        }
        String out = cv.graph().node(onnxOp, cv.outName(n), inputs);
        cv.put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }

    private static void binary(TfjsGraph.Node n, Conversion cv, String onnxOp, DoubleBinaryOperator f,
                               LongBinaryOperator l) {
        Value a = cv.in(n, 0);
        Value b = cv.in(n, 1);
        if (a instanceof Const ca && b instanceof Const cb) {
            cv.put(n, new Const(Nd.binary(ca.v(), cb.v(), f, l)));
            return;
        }
        int[] shape = Nd.broadcast(a.shape(), b.shape());
        // Fold into the producing convolution: conv·s, conv+t, t+conv, conv−t.
        if (onnxOp.equals("Mul") || onnxOp.equals("Add") || onnxOp.equals("Sub")) {
            for (int side = 0; side < 2; side++) {
                Value dv = side == 0 ? a : b;
                Value constant = side == 0 ? b : a;
                if (dv instanceof Dyn d && constant instanceof Const c && ConvOps.foldable(n, cv, side, d, c.v())
                        && !(onnxOp.equals("Sub") && side == 1)) {
                    float[] k = c.v().asFloats();
                    switch (onnxOp) {
                        case "Mul" -> d.conv().scale(k);
                        case "Add" -> d.conv().shift(k, 1);
                        default -> d.conv().shift(k, -1);
                    }
                    cv.count("foldedIntoConv");
                    cv.alias(n, 0, new Dyn(d.name(), shape, d.nchw(), d.conv()));
                    return;
                }
            }
        }
        if (shape.length != 4) {
            // Only 4-D tensors are ever stored NCHW; anything else is computed in TF layout.
            a = a instanceof Dyn da ? cv.plain(da) : a;
            b = b instanceof Dyn db ? cv.plain(db) : b;
        }
        String x;
        String y;
        boolean nchw;
        if (a instanceof Dyn da && b instanceof Dyn db) {
            nchw = da.nchw() && db.nchw();
            x = (nchw ? da : cv.plain(da)).name();
            y = (nchw ? db : cv.plain(db)).name();
        } else if (a instanceof Dyn da) {
            nchw = da.nchw();
            x = da.name();
            y = cv.constantFor(da, ((Const) b).v());
        } else {
            Dyn db = (Dyn) b;
            nchw = db.nchw();
            x = cv.constantFor(db, ((Const) a).v());
            y = db.name();
        }
        String out = cv.graph().node(onnxOp, cv.outName(n), List.of(x, y));
        cv.put(n, new Dyn(out, shape, nchw, null));
    }

    private static void addN(TfjsGraph.Node n, Conversion cv) {
        int count = n.inputs().size();
        if (cv.allConst(n, count)) {
            Nd sum = cv.constIn(n, 0);
            for (int i = 1; i < count; i++) {
                sum = Nd.binary(sum, cv.constIn(n, i), Double::sum, Long::sum);
            }
            cv.put(n, new Const(sum));
            return;
        }
        boolean nchw = true;
        int[] shape = new int[0];
        for (int i = 0; i < count; i++) {
            Value v = cv.in(n, i);
            shape = Nd.broadcast(shape, v.shape());
            nchw &= v instanceof Dyn d && d.nchw();
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Value v = cv.in(n, i);
            inputs.add(nchw ? ((Dyn) v).name() : cv.plain(cv.dyn(v)).name());
        }
        String out = cv.graph().node("Sum", cv.outName(n), inputs);
        cv.put(n, new Dyn(out, shape, nchw, null));
    }
}
