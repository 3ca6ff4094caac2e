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
 * Maximum → Max, Minimum → Min, Equal → Equal (a bool tensor; a constant Equal folds to 0/1), FloorDiv
 * and FloorMod (see {@link #floorDivMod}), with NumPy broadcasting; integer tensors (TopKV2
 * indices) stay int64 and their constant operands become int64 initializers; a per-channel Mul, or Add/Sub of a
 * constant, right after a Conv read only there is folded into the Conv's weights and bias
 * ({@link ConvOps#foldable}). AddN → Sum. Unary: Relu6 → Clip(0, 6) (min/max as inputs, opset
 * ≥ 11), Relu, Sigmoid, Exp, Tanh, Abs one to one; Square → Mul(x, x); Rsqrt → Reciprocal(Sqrt)
 * (TensorFlow's {@code 1/√x}: +∞ at 0, NaN below, as IEEE division gives); LeakyRelu → LeakyRelu with TensorFlow's
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
        byOp.put("Equal", (n, c) -> binary(n, c, "Equal", (a, b) -> a == b ? 1 : 0, (a, b) -> a == b ? 1 : 0));
        byOp.put("FloorDiv", (n, c) -> floorDivMod(n, c, false));
        byOp.put("FloorMod", (n, c) -> floorDivMod(n, c, true));
        byOp.put("AddN", ElementwiseOps::addN);
        byOp.put("Relu6", (n, c) -> unary(n, c, "Clip", v -> Math.min(6, Math.max(0, v))));
        byOp.put("Relu", (n, c) -> unary(n, c, "Relu", v -> Math.max(0, v)));
        byOp.put("Sigmoid", (n, c) -> unary(n, c, "Sigmoid", v -> 1 / (1 + Math.exp(-v))));
        byOp.put("Exp", (n, c) -> unary(n, c, "Exp", Math::exp));
        byOp.put("Tanh", (n, c) -> unary(n, c, "Tanh", Math::tanh));
        byOp.put("Abs", (n, c) -> unary(n, c, "Abs", Math::abs));
        byOp.put("Square", ElementwiseOps::square);
        byOp.put("Rsqrt", ElementwiseOps::rsqrt);
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

    /** TensorFlow Square ({@code x²}) → ONNX {@code Mul(x, x)}; layout-agnostic. */
    private static void square(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().map(x -> x * x)));
            return;
        }
        Dyn d = (Dyn) v;
        String out = cv.graph().node("Mul", cv.outName(n), List.of(d.name(), d.name()));
        cv.put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }

    /** TensorFlow Rsqrt ({@code 1/√x}) → ONNX {@code Reciprocal(Sqrt(x))}; layout-agnostic. */
    private static void rsqrt(TfjsGraph.Node n, Conversion cv) {
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().map(x -> 1 / Math.sqrt(x))));
            return;
        }
        Dyn d = (Dyn) v;
        String sqrt = cv.graph().node("Sqrt", cv.graph().fresh(n.name() + "/sqrt"), List.of(d.name()));
        String out = cv.graph().node("Reciprocal", cv.outName(n), List.of(sqrt));
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

    /** Two operands ready for an ONNX node: names in a common storage layout, TF shape, type. */
    private record Operands(String x, String y, int[] shape, boolean nchw, int type) {
    }

    /**
     * Arranges two operands (at least one a tensor) for a broadcasting ONNX op: both NCHW-stored
     * 4-D tensors stay NCHW, otherwise both are read in TF layout; a constant operand gets the
     * tensor's storage layout and element type (int64 when the tensor is an integer one).
     */
    private static Operands operands(Conversion cv, Value a, Value b) {
        int[] shape = Nd.broadcast(a.shape(), b.shape());
        if (shape.length != 4) {
            // Only 4-D tensors are ever stored NCHW; anything else is computed in TF layout.
            a = a instanceof Dyn da ? cv.plain(da) : a;
            b = b instanceof Dyn db ? cv.plain(db) : b;
        }
        if (a instanceof Dyn da && b instanceof Dyn db) {
            boolean nchw = da.nchw() && db.nchw();
            if (da.type() != db.type()) {
                throw new IllegalArgumentException("operands of types " + da.type() + " and " + db.type());
            }
            return new Operands((nchw ? da : cv.plain(da)).name(), (nchw ? db : cv.plain(db)).name(), shape, nchw,
                    da.type());
        }
        if (a instanceof Dyn da) {
            return new Operands(da.name(), cv.constantFor(da, ((Const) b).v()), shape, da.nchw(), da.type());
        }
        Dyn db = (Dyn) b;
        return new Operands(cv.constantFor(db, ((Const) a).v()), db.name(), shape, db.nchw(), db.type());
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
        Operands o = operands(cv, a, b);
        String out = cv.graph().node(onnxOp, cv.outName(n), List.of(o.x(), o.y()));
        cv.put(n, new Dyn(out, o.shape(), o.nchw(), null, onnxOp.equals("Equal") ? OnnxGraph.BOOL : o.type()));
    }

    /**
     * TensorFlow FloorDiv and FloorMod ({@code tensorflow/core/ops/math_ops.cc}: the quotient
     * rounded toward −∞, and {@code x − floor(x/y)·y}, whose sign is the divisor's). Integers:
     * FloorMod → ONNX Mod with {@code fmod = 0} (defined with the divisor's sign, as TensorFlow),
     * FloorDiv → {@code (x − floormod(x, y)) / y}, exact because ONNX integer Div truncates an
     * exact quotient to itself. Floats: FloorDiv → Floor(Div), FloorMod → {@code x − Floor(x/y)·y}.
     * Constants are evaluated in Java with the same definitions.
     */
    private static void floorDivMod(TfjsGraph.Node n, Conversion cv, boolean mod) {
        Value a = cv.in(n, 0);
        Value b = cv.in(n, 1);
        if (a instanceof Const ca && b instanceof Const cb) {
            cv.put(n, new Const(Nd.binary(ca.v(), cb.v(),
                    mod ? (x, y) -> x - Math.floor(x / y) * y : (x, y) -> Math.floor(x / y),
                    mod ? Math::floorMod : Math::floorDiv)));
            return;
        }
        Operands o = operands(cv, a, b);
        OnnxGraph g = cv.graph();
        String out;
        if (o.type() == OnnxGraph.INT64) {
            String m = g.node("Mod", mod ? cv.outName(n) : g.fresh(n.name() + "/mod"), List.of(o.x(), o.y()),
                    OnnxGraph.Attribute.of("fmod", 0L));
            out = mod ? m : g.node("Div", cv.outName(n),
                    List.of(g.node("Sub", g.fresh(n.name() + "/exact"), List.of(o.x(), m)), o.y()));
        } else {
            String q = g.node("Floor", mod ? g.fresh(n.name() + "/floor") : cv.outName(n),
                    List.of(g.node("Div", g.fresh(n.name() + "/div"), List.of(o.x(), o.y()))));
            out = mod ? g.node("Sub", cv.outName(n),
                    List.of(o.x(), g.node("Mul", g.fresh(n.name() + "/mul"), List.of(q, o.y())))) : q;
        }
        cv.put(n, new Dyn(out, o.shape(), o.nchw(), null, o.type()));
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
