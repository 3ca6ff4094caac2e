package io.argus.analyzer.models.tfjs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;

/**
 * Converts the feed-forward part of a TensorFlow.js graph model ({@link TfjsGraph}) to an ONNX model
 * (opset {@value #OPSET}) that ONNX Runtime can run.
 *
 * <p><b>Cut.</b> Conversion starts at one node named by {@link Spec#inputNode()} (for the TF Object
 * Detection API exports, the end of the {@code Preprocessor} while-loop, whose TensorArray ops
 * have no ONNX equivalent) which becomes the float ONNX input, and walks back from the requested
 * outputs; nodes not on a path between them (the loop, the Placeholder) are ignored.
 *
 * <p><b>Static shapes and constant folding.</b> The input shape is fixed, so every tensor's shape
 * is known while converting. Sub-graphs whose inputs are all constant are evaluated in Java
 * ({@link Nd}): Shape, StridedSlice, Pack, Tile, Reshape, Transpose, Unpack, ExpandDims, Squeeze,
 * ConcatV2, Slice, Cast and element-wise maths. In SSD exports this folds the reshape targets
 * computed from {@code Shape → StridedSlice → Pack}, and the anchor tiling and centre/size
 * computation of the box decoder, so only the image-dependent ops reach ONNX.
 *
 * <p><b>Layout.</b> TensorFlow is NHWC, ONNX Conv is NCHW. Convolution outputs stay NCHW while
 * they flow through layout-agnostic ops (Relu6, Add/Mul/Sub with a per-channel or same-layout
 * operand, AddN); a Transpose back to NHWC is inserted (once per tensor) where a layout-sensitive
 * op (Reshape, Concat, Pack, Slice, Transpose, Unpack, Tile, graph output) reads one.
 *
 * <p><b>Op mapping.</b> Conv2D: HWIO weights → OIHW; DepthwiseConv2dNative: HWCM → (C·M, 1, H, W)
 * with {@code group = C} (output channel c·M+m, TensorFlow's order); SAME padding becomes explicit
 * pads with the extra pixel at the end (TensorFlow {@code GetWindowedOutputSize}: total
 * {@code max((ceil(in/s)−1)·s + (k−1)·d + 1 − in, 0)}, {@code before = total/2}). Every Conv gets
 * a bias; BiasAdd, a following per-channel Mul or Add/Sub by a constant (the
 * {@code BatchNorm/batchnorm/mul_1, add_1} pairs), and FusedBatchNorm
 * ({@code scale = γ/√(σ²+ε)}, {@code bias = β − μ·scale}) are folded into that Conv's weights and
 * bias when the Conv output has no other consumer. Relu6 → Clip(0, 6) (min/max as inputs, opset
 * ≥ 11); AddN → Sum; Unpack → Gather with a scalar index per output; Pack/ExpandDims/Squeeze →
 * Reshape (+ Concat); Slice → Slice; Sigmoid, Exp, Relu, Tanh, Transpose, Tile map one to one.
 * Ops spelled in {@code onnx/docs/Operators.md}; TensorFlow semantics from the op definitions in
 * {@code tensorflow/core/ops/*.cc}.
 *
 * <p>Any other op on the converted path raises {@link ConversionException} naming the node and op.
 */
public final class TfjsToOnnx {

    /** ONNX opset the converter writes. */
    public static final long OPSET = 13;
    /** Converter version; recorded next to converted files so a new converter re-converts. */
    public static final String VERSION = "1";
    /** Producer name written into the ONNX model. */
    public static final String PRODUCER = "argus-tfjs-to-onnx";

    /**
     * What to convert.
     *
     * @param inputNode the node whose output becomes the ONNX input (a Placeholder or a cut point)
     * @param inputShape its NHWC shape with the batch dim; null to take {@code [1] + element_shape}
     *     or the node's {@code shape} attribute
     * @param inputName ONNX input name
     * @param outputs TF tensor name ({@code node} or {@code node:k}) → ONNX output name, in order
     */
    public record Spec(String inputNode, int[] inputShape, String inputName, Map<String, String> outputs) {
    }

    /**
     * A converted model.
     *
     * @param graph the ONNX graph (serialise with {@link OnnxGraph#toBytes})
     * @param inputShape the ONNX input's shape (NHWC)
     * @param outputShapes ONNX output name → shape
     * @param stats counts: {@code tfNodes} converted, {@code onnxNodes}, {@code foldedConstants}
     *     (TF nodes evaluated at conversion time), {@code foldedIntoConv} (BiasAdd/BatchNorm/Mul/Add
     *     folded into Conv weights), {@code transposes} (layout changes inserted)
     */
    public record Result(OnnxGraph graph, int[] inputShape, Map<String, int[]> outputShapes, Map<String, Integer> stats) {
    }

    /** A converted value: a constant or an ONNX tensor. */
    private sealed interface Value permits Const, Dyn {
        int[] shape();
    }

    private record Const(Nd v) implements Value {
        @Override
        public int[] shape() {
            return v.shape();
        }
    }

    /** An ONNX tensor with its TensorFlow (NHWC) shape; {@code nchw} when stored transposed. */
    private record Dyn(String name, int[] shape, boolean nchw, ConvParams conv) implements Value {
    }

    /** Weights and bias of an emitted Conv (arrays referenced by the graph's initializers). */
    private record ConvParams(float[] w, float[] b, int outC) {
        void scale(float[] s) {
            int per = w.length / outC;
            for (int o = 0; o < outC; o++) {
                float k = s.length == 1 ? s[0] : s[o];
                for (int j = 0; j < per; j++) {
                    w[o * per + j] *= k;
                }
                b[o] *= k;
            }
        }

        void shift(float[] t, float sign) {
            for (int o = 0; o < outC; o++) {
                b[o] += sign * (t.length == 1 ? t[0] : t[o]);
            }
        }
    }

    private final TfjsGraph tf;
    private final Spec spec;
    private final OnnxGraph g = new OnnxGraph("tfjs");
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, Dyn> layoutCache = new HashMap<>();
    private final Map<String, Integer> stats = new LinkedHashMap<>();
    private int[] inputShape;

    private TfjsToOnnx(TfjsGraph tf, Spec spec) {
        this.tf = tf;
        this.spec = spec;
        for (String k : List.of("tfNodes", "onnxNodes", "foldedConstants", "foldedIntoConv", "transposes")) {
            stats.put(k, 0);
        }
    }

    /**
     * Converts a graph.
     *
     * @param tf the TF.js graph
     * @param spec cut point and outputs
     * @return the ONNX graph and its shapes
     * @throws ConversionException naming the node and op that cannot be converted (unsupported op,
     *     non-constant operand where a constant is needed, unsupported attribute value)
     * @throws IllegalArgumentException when the input node or an output is not in the graph
     */
    public static Result convert(TfjsGraph tf, Spec spec) {
        return new TfjsToOnnx(tf, spec).run();
    }

    /**
     * Reads {@code model.json} (with its shards), converts it, and writes the ONNX file atomically
     * (temporary file in the same directory, then rename).
     *
     * @param modelJson TF.js model.json
     * @param spec cut point and outputs
     * @param out ONNX file to write
     * @return the conversion result
     * @throws IOException when reading or writing fails
     * @throws ConversionException when an op cannot be converted
     */
    public static Result convert(Path modelJson, Spec spec, Path out) throws IOException {
        Result r = convert(TfjsGraph.read(modelJson), spec);
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
        try {
            r.graph().write(tmp, OPSET, PRODUCER, VERSION);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return r;
    }

    private static String key(String input) {
        return input.contains(":") ? input : input + ":0";
    }

    private static String nodeOf(String input) {
        int c = input.indexOf(':');
        return c < 0 ? input : input.substring(0, c);
    }

    private Result run() {
        if (!tf.nodes().containsKey(spec.inputNode())) {
            throw new IllegalArgumentException("input node " + spec.inputNode() + " is not in the graph");
        }
        List<TfjsGraph.Node> order = order();
        for (TfjsGraph.Node n : order) {
            if (!n.op().equals("Shape")) {
                for (String i : n.inputs()) {
                    consumers.merge(key(i), 1, Integer::sum);
                }
            }
        }
        spec.outputs().keySet().forEach(o -> consumers.merge(key(o), 1, Integer::sum));
        for (TfjsGraph.Node n : order) {
            if (n.name().equals(spec.inputNode())) {
                inputShape = spec.inputShape() != null ? spec.inputShape().clone() : inferInputShape(n);
                long[] dims = Arrays.stream(inputShape).asLongStream().toArray();
                g.input(spec.inputName(), OnnxGraph.FLOAT, dims);
                values.put(key(n.name()), new Dyn(spec.inputName(), inputShape, false, null));
                continue;
            }
            stats.merge("tfNodes", 1, Integer::sum);
            try {
                convert(n);
            } catch (ConversionException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConversionException(n.name(), n.op(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        Map<String, int[]> outShapes = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : spec.outputs().entrySet()) {
            Value v = values.get(key(o.getKey()));
            Dyn d = v instanceof Dyn dy ? plain(dy) : constant(((Const) v).v(), false);
            g.node("Identity", o.getValue(), List.of(d.name()));
            g.output(o.getValue(), OnnxGraph.FLOAT, Arrays.stream(d.shape()).asLongStream().toArray());
            outShapes.put(o.getValue(), d.shape());
        }
        stats.put("onnxNodes", g.nodes().size());
        return new Result(g, inputShape, outShapes, stats);
    }

    private int[] inferInputShape(TfjsGraph.Node n) {
        int[] el = n.shapeAttr("element_shape");
        if (el != null && el.length > 0) {
            int[] s = new int[el.length + 1];
            s[0] = 1;
            System.arraycopy(el, 0, s, 1, el.length);
            return s;
        }
        int[] s = n.shapeAttr("shape");
        if (s == null || Arrays.stream(s).skip(1).anyMatch(d -> d < 0)) {
            throw new ConversionException(n.name(), n.op(), "input shape unknown; give Spec.inputShape");
        }
        s = s.clone();
        s[0] = 1;
        return s;
    }

    /** Nodes needed for the outputs, inputs first, stopping at the cut. */
    private List<TfjsGraph.Node> order() {
        List<TfjsGraph.Node> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onStack = new HashSet<>();
        Deque<String[]> stack = new ArrayDeque<>();
        for (String o : spec.outputs().keySet()) {
            if (!tf.nodes().containsKey(nodeOf(o))) {
                throw new IllegalArgumentException("output " + o + " is not in the graph");
            }
            stack.push(new String[] {nodeOf(o), "0"});
        }
        while (!stack.isEmpty()) {
            String[] top = stack.peek();
            String name = top[0];
            if (done.contains(name)) {
                stack.pop();
                continue;
            }
            TfjsGraph.Node n = tf.nodes().get(name);
            if (n == null) {
                throw new IllegalArgumentException("node " + name + " is referenced but not in the graph");
            }
            List<String> deps = name.equals(spec.inputNode()) ? List.of() : n.inputs();
            int next = Integer.parseInt(top[1]);
            if (next == 0) {
                onStack.add(name);
            }
            if (next < deps.size()) {
                top[1] = Integer.toString(next + 1);
                String d = nodeOf(deps.get(next));
                if (onStack.contains(d) && !done.contains(d)) {
                    throw new ConversionException(name, n.op(), "cycle through " + d
                            + " (control flow must lie before the input node)");
                }
                if (!done.contains(d)) {
                    stack.push(new String[] {d, "0"});
                }
                continue;
            }
            stack.pop();
            onStack.remove(name);
            done.add(name);
            out.add(n);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Node conversion

    private Value in(TfjsGraph.Node n, int i) {
        if (i >= n.inputs().size()) {
            throw new ConversionException(n.name(), n.op(), "missing input " + i);
        }
        Value v = values.get(key(n.inputs().get(i)));
        if (v == null) {
            throw new ConversionException(n.name(), n.op(), "input " + n.inputs().get(i) + " has no value");
        }
        return v;
    }

    private Nd constIn(TfjsGraph.Node n, int i) {
        if (in(n, i) instanceof Const c) {
            return c.v();
        }
        throw new ConversionException(n.name(), n.op(), "input " + i + " (" + n.inputs().get(i)
                + ") must be constant");
    }

    private void put(TfjsGraph.Node n, Value v) {
        put(n, 0, v);
    }

    private void put(TfjsGraph.Node n, int k, Value v) {
        if (v instanceof Const) {
            stats.merge("foldedConstants", 1, Integer::sum);
        }
        values.put(n.name() + ":" + k, v);
    }

    private boolean allConst(TfjsGraph.Node n, int count) {
        for (int i = 0; i < count; i++) {
            if (!(in(n, i) instanceof Const)) {
                return false;
            }
        }
        return true;
    }

    private String outName(TfjsGraph.Node n) {
        return n.name();
    }

    private void convert(TfjsGraph.Node n) {
        switch (n.op()) {
            case "Const" -> values.put(n.name() + ":0", new Const(tf.constant(n)));
            case "Identity", "StopGradient", "Snapshot" -> values.put(n.name() + ":0", in(n, 0));
            case "Placeholder" -> throw new ConversionException(n.name(), n.op(),
                    "placeholder reached; set Spec.inputNode to it or to a node after it");
            case "Cast" -> cast(n);
            case "Shape" -> put(n, new Const(Nd.vector(Arrays.stream(in(n, 0).shape()).asLongStream().toArray())));
            case "StridedSlice" -> put(n, new Const(stridedSlice(n, constIn(n, 0), constIn(n, 1).asInts(),
                    constIn(n, 2).asInts(), constIn(n, 3).asInts())));
            case "Add", "AddV2", "BiasAdd" -> binary(n, "Add", Double::sum, Long::sum);
            case "Sub" -> binary(n, "Sub", (a, b) -> a - b, (a, b) -> a - b);
            case "Mul" -> binary(n, "Mul", (a, b) -> a * b, (a, b) -> a * b);
            case "RealDiv" -> binary(n, "Div", (a, b) -> a / b, (a, b) -> a / b);
            case "Maximum" -> binary(n, "Max", Math::max, Math::max);
            case "Minimum" -> binary(n, "Min", Math::min, Math::min);
            case "AddN" -> addN(n);
            case "Relu6" -> unary(n, "Clip", v -> Math.min(6, Math.max(0, v)));
            case "Relu" -> unary(n, "Relu", v -> Math.max(0, v));
            case "Sigmoid" -> unary(n, "Sigmoid", v -> 1 / (1 + Math.exp(-v)));
            case "Exp" -> unary(n, "Exp", Math::exp);
            case "Tanh" -> unary(n, "Tanh", Math::tanh);
            case "Conv2D" -> conv(n, false);
            case "DepthwiseConv2dNative" -> conv(n, true);
            case "FusedBatchNorm", "FusedBatchNormV3" -> batchNorm(n);
            case "Reshape" -> reshape(n, in(n, 0), resolve(n, in(n, 0).shape(), constIn(n, 1).asInts()));
            case "ExpandDims" -> {
                int[] s = in(n, 0).shape();
                int axis = constIn(n, 1).asInts()[0];
                axis = axis < 0 ? axis + s.length + 1 : axis;
                reshape(n, in(n, 0), Nd.insert(s, axis, 1));
            }
            case "Squeeze" -> squeeze(n);
            case "Transpose" -> transpose(n);
            case "Pack" -> pack(n);
            case "Unpack" -> unpack(n);
            case "ConcatV2" -> concat(n);
            case "Slice" -> slice(n);
            case "Tile" -> tile(n);
            default -> throw new ConversionException(n.name(), n.op(), "unsupported op");
        }
    }

    private void cast(TfjsGraph.Node n) {
        int dst = (int) n.attr().path("DstT").path("type").asLong(1);
        Value v = in(n, 0);
        if (v instanceof Const c) {
            put(n, new Const(c.v().cast(dst == 1)));
        } else if (dst == 1) {
            values.put(n.name() + ":0", v);
        } else {
            throw new ConversionException(n.name(), n.op(), "only casts to float32 of tensors are supported");
        }
    }

    // --- constants and layout -----------------------------------------------------------------

    /** Adds a constant as an initializer (float, or int64 when {@code asLong}). */
    private Dyn constant(Nd v, boolean asLong) {
        String name = g.fresh("const");
        long[] dims = Arrays.stream(v.shape()).asLongStream().toArray();
        if (asLong) {
            g.longs(name, v.asLongs(), dims);
        } else {
            g.floats(name, v.asFloats().clone(), dims);
        }
        return new Dyn(name, v.shape(), false, null);
    }

    private String longs(long... v) {
        return g.longs(g.fresh("shape"), v, v.length);
    }

    /** A constant arranged to broadcast against {@code d} in d's storage layout. */
    private String constantFor(Dyn d, Nd c) {
        if (!d.nchw()) {
            return constant(c, false).name();
        }
        if (c.rank() > 4) {
            throw new IllegalArgumentException("constant of rank " + c.rank() + " against a 4-D tensor");
        }
        int[] s = new int[4];
        Arrays.fill(s, 1);
        System.arraycopy(c.shape(), 0, s, 4 - c.rank(), c.rank());
        return constant(c.reshape(s).transpose(0, 3, 1, 2), false).name();
    }

    /** @return d in NHWC (TensorFlow) layout, inserting one Transpose per tensor when needed */
    private Dyn plain(Dyn d) {
        if (!d.nchw()) {
            return d;
        }
        return layoutCache.computeIfAbsent(d.name() + "|nhwc", k -> {
            stats.merge("transposes", 1, Integer::sum);
            String out = g.node("Transpose", g.fresh(d.name() + "/nhwc"), List.of(d.name()),
                    Attribute.ints("perm", 0, 2, 3, 1));
            return new Dyn(out, d.shape(), false, null);
        });
    }

    /** @return d in NCHW layout */
    private Dyn nchw(Dyn d, TfjsGraph.Node n) {
        if (d.nchw()) {
            return d;
        }
        if (d.shape().length != 4) {
            throw new ConversionException(n.name(), n.op(), "needs a 4-D input, got " + Arrays.toString(d.shape()));
        }
        return layoutCache.computeIfAbsent(d.name() + "|nchw", k -> {
            stats.merge("transposes", 1, Integer::sum);
            String out = g.node("Transpose", g.fresh(d.name() + "/nchw"), List.of(d.name()),
                    Attribute.ints("perm", 0, 3, 1, 2));
            return new Dyn(out, d.shape(), true, null);
        });
    }

    private Dyn dyn(Value v) {
        return v instanceof Dyn d ? d : constant(((Const) v).v(), false);
    }

    // --- element-wise -------------------------------------------------------------------------

    private void unary(TfjsGraph.Node n, String onnxOp, java.util.function.DoubleUnaryOperator f) {
        Value v = in(n, 0);
        if (v instanceof Const c) {
            put(n, new Const(c.v().map(f)));
            return;
        }
        Dyn d = (Dyn) v;
        List<String> inputs = new ArrayList<>(List.of(d.name()));
        if (onnxOp.equals("Clip")) {
            inputs.add(g.floats(g.fresh("clip_min"), new float[] {0f}));
            inputs.add(g.floats(g.fresh("clip_max"), new float[] {6f}));
        }
        String out = g.node(onnxOp, outName(n), inputs);
        put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }

    /** Per-channel constant for a conv with {@code outC} outputs: size 1, or [.., C] with all other dims 1. */
    private static boolean perChannel(Nd c, int outC) {
        if (c.size() == 1) {
            return true;
        }
        int[] s = c.shape();
        return s.length >= 1 && s[s.length - 1] == outC && c.size() == outC;
    }

    private boolean foldable(TfjsGraph.Node n, int dynInput, Dyn d, Nd c) {
        return d.conv() != null
                && consumers.getOrDefault(key(n.inputs().get(dynInput)), 0) == 1
                && perChannel(c, d.conv().outC())
                && Arrays.equals(Nd.broadcast(d.shape(), c.shape()), d.shape());
    }

    private void binary(TfjsGraph.Node n, String onnxOp, DoubleBinaryOperator f, LongBinaryOperator l) {
        Value a = in(n, 0);
        Value b = in(n, 1);
        if (a instanceof Const ca && b instanceof Const cb) {
            put(n, new Const(Nd.binary(ca.v(), cb.v(), f, l)));
            return;
        }
        int[] shape = Nd.broadcast(a.shape(), b.shape());
        // Fold into the producing convolution: conv·s, conv+t, t+conv, conv−t.
        if (onnxOp.equals("Mul") || onnxOp.equals("Add") || onnxOp.equals("Sub")) {
            for (int side = 0; side < 2; side++) {
                Value dv = side == 0 ? a : b;
                Value cv = side == 0 ? b : a;
                if (dv instanceof Dyn d && cv instanceof Const c && foldable(n, side, d, c.v())
                        && !(onnxOp.equals("Sub") && side == 1)) {
                    float[] k = c.v().asFloats();
                    switch (onnxOp) {
                        case "Mul" -> d.conv().scale(k);
                        case "Add" -> d.conv().shift(k, 1);
                        default -> d.conv().shift(k, -1);
                    }
                    stats.merge("foldedIntoConv", 1, Integer::sum);
                    values.put(n.name() + ":0", new Dyn(d.name(), shape, d.nchw(), d.conv()));
                    return;
                }
            }
        }
        if (shape.length != 4) {
            // Only 4-D tensors are ever stored NCHW; anything else is computed in TF layout.
            a = a instanceof Dyn da ? plain(da) : a;
            b = b instanceof Dyn db ? plain(db) : b;
        }
        String x;
        String y;
        boolean nchw;
        if (a instanceof Dyn da && b instanceof Dyn db) {
            nchw = da.nchw() && db.nchw();
            x = (nchw ? da : plain(da)).name();
            y = (nchw ? db : plain(db)).name();
        } else if (a instanceof Dyn da) {
            nchw = da.nchw();
            x = da.name();
            y = constantFor(da, ((Const) b).v());
        } else {
            Dyn db = (Dyn) b;
            nchw = db.nchw();
            x = constantFor(db, ((Const) a).v());
            y = db.name();
        }
        String out = g.node(onnxOp, outName(n), List.of(x, y));
        put(n, new Dyn(out, shape, nchw, null));
    }

    private void addN(TfjsGraph.Node n) {
        int count = n.inputs().size();
        if (allConst(n, count)) {
            Nd sum = constIn(n, 0);
            for (int i = 1; i < count; i++) {
                sum = Nd.binary(sum, constIn(n, i), Double::sum, Long::sum);
            }
            put(n, new Const(sum));
            return;
        }
        boolean nchw = true;
        int[] shape = new int[0];
        for (int i = 0; i < count; i++) {
            Value v = in(n, i);
            shape = Nd.broadcast(shape, v.shape());
            nchw &= v instanceof Dyn d && d.nchw();
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Value v = in(n, i);
            inputs.add(nchw ? ((Dyn) v).name() : plain(dyn(v)).name());
        }
        String out = g.node("Sum", outName(n), inputs);
        put(n, new Dyn(out, shape, nchw, null));
    }

    // --- convolution --------------------------------------------------------------------------

    private void conv(TfjsGraph.Node n, boolean depthwise) {
        if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
            throw new ConversionException(n.name(), n.op(), "data_format must be NHWC");
        }
        if (!(in(n, 0) instanceof Dyn x0)) {
            throw new ConversionException(n.name(), n.op(), "constant input image");
        }
        Dyn x = nchw(x0, n);
        Nd w = constIn(n, 1);
        int kh = w.shape()[0];
        int kw = w.shape()[1];
        int ci = w.shape()[2];
        int m = w.shape()[3];
        int[] strides = n.intsAttr("strides");
        int[] dil = n.intsAttr("dilations");
        int sh = strides == null ? 1 : strides[1];
        int sw = strides == null ? 1 : strides[2];
        int dh = dil == null ? 1 : dil[1];
        int dw = dil == null ? 1 : dil[2];
        String padding = n.stringAttr("padding", "VALID");
        int[] s = x.shape();
        long[] pads = new long[4];
        int oh = outSize(n, padding, s[1], kh, sh, dh, pads, 0);
        int ow = outSize(n, padding, s[2], kw, sw, dw, pads, 1);
        int outC;
        float[] wt;
        long[] wdims;
        float[] src = w.asFloats();
        if (depthwise) {
            if (ci != s[3]) {
                throw new ConversionException(n.name(), n.op(), "filter has " + ci + " channels, input " + s[3]);
            }
            outC = ci * m;
            wt = new float[src.length];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < ci; c++) {
                        for (int k = 0; k < m; k++) {
                            wt[((c * m + k) * kh + y) * kw + xx] = src[((y * kw + xx) * ci + c) * m + k];
                        }
                    }
                }
            }
            wdims = new long[] {outC, 1, kh, kw};
        } else {
            if (ci != s[3]) {
                throw new ConversionException(n.name(), n.op(), "filter has " + ci + " input channels, input " + s[3]);
            }
            outC = m;
            wt = new float[src.length];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < ci; c++) {
                        for (int o = 0; o < m; o++) {
                            wt[((o * ci + c) * kh + y) * kw + xx] = src[((y * kw + xx) * ci + c) * m + o];
                        }
                    }
                }
            }
            wdims = new long[] {m, ci, kh, kw};
        }
        float[] bias = new float[outC];
        String wn = g.floats(n.name() + "/W", wt, wdims);
        String bn = g.floats(n.name() + "/B", bias, outC);
        String out = g.node("Conv", outName(n), List.of(x.name(), wn, bn),
                Attribute.ints("kernel_shape", kh, kw), Attribute.ints("strides", sh, sw),
                Attribute.ints("dilations", dh, dw), Attribute.ints("pads", pads),
                Attribute.of("group", (long) (depthwise ? ci : 1)));
        put(n, new Dyn(out, new int[] {s[0], oh, ow, outC}, true, new ConvParams(wt, bias, outC)));
    }

    /** Output size of one spatial dim; writes ONNX pads [begin_h, begin_w, end_h, end_w]. */
    private static int outSize(TfjsGraph.Node n, String padding, int in, int k, int s, int d, long[] pads, int axis) {
        int eff = (k - 1) * d + 1;
        if (padding.equals("VALID")) {
            return (in - eff) / s + 1;
        }
        if (!padding.equals("SAME")) {
            throw new ConversionException(n.name(), n.op(), "padding " + padding + " not supported");
        }
        int out = (in + s - 1) / s;
        int total = Math.max((out - 1) * s + eff - in, 0);
        pads[axis] = total / 2;
        pads[axis + 2] = total - total / 2;
        return out;
    }

    private void batchNorm(TfjsGraph.Node n) {
        if (!(in(n, 0) instanceof Dyn d)) {
            throw new ConversionException(n.name(), n.op(), "constant input");
        }
        if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
            throw new ConversionException(n.name(), n.op(), "data_format must be NHWC");
        }
        float[] gamma = constIn(n, 1).asFloats();
        float[] beta = constIn(n, 2).asFloats();
        float[] mean = constIn(n, 3).asFloats();
        float[] var = constIn(n, 4).asFloats();
        double eps = n.floatAttr("epsilon", 1e-3);
        int c = gamma.length;
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + eps));
            shift[i] = (float) (beta[i] - mean[i] * scale[i]);
        }
        Nd sc = Nd.floats(scale, c);
        if (foldable(n, 0, d, sc)) {
            d.conv().scale(scale);
            d.conv().shift(shift, 1);
            stats.merge("foldedIntoConv", 1, Integer::sum);
            values.put(n.name() + ":0", d);
            return;
        }
        String mul = g.node("Mul", g.fresh(n.name() + "/scale"), List.of(d.name(), constantFor(d, sc)));
        String out = g.node("Add", outName(n), List.of(mul, constantFor(d, Nd.floats(shift, c))));
        put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }

    // --- shape ops ----------------------------------------------------------------------------

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

    private void reshape(TfjsGraph.Node n, Value v, int[] shape) {
        if (v instanceof Const c) {
            put(n, new Const(c.v().reshape(shape)));
            return;
        }
        Dyn d = plain((Dyn) v);
        String out = g.node("Reshape", outName(n),
                List.of(d.name(), longs(Arrays.stream(shape).asLongStream().toArray())));
        put(n, new Dyn(out, shape, false, null));
    }

    private void squeeze(TfjsGraph.Node n) {
        int[] s = in(n, 0).shape();
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
        reshape(n, in(n, 0), keep.stream().mapToInt(Integer::intValue).toArray());
    }

    private void transpose(TfjsGraph.Node n) {
        int[] perm = constIn(n, 1).asInts();
        Value v = in(n, 0);
        if (v instanceof Const c) {
            put(n, new Const(c.v().transpose(perm)));
            return;
        }
        Dyn d = plain((Dyn) v);
        int[] shape = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = d.shape()[perm[i]];
        }
        String out = g.node("Transpose", outName(n), List.of(d.name()),
                Attribute.ints("perm", Arrays.stream(perm).asLongStream().toArray()));
        put(n, new Dyn(out, shape, false, null));
    }

    private void pack(TfjsGraph.Node n) {
        int count = n.inputs().size();
        int rank = in(n, 0).shape().length;
        int axis = (int) n.intAttr("axis", 0);
        axis = axis < 0 ? axis + rank + 1 : axis;
        if (allConst(n, count)) {
            List<Nd> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                parts.add(constIn(n, i));
            }
            put(n, new Const(Nd.stack(parts, axis)));
            return;
        }
        int[] one = Nd.insert(in(n, 0).shape(), axis, 1);
        List<String> parts = new ArrayList<>();
        String shape = longs(Arrays.stream(one).asLongStream().toArray());
        for (int i = 0; i < count; i++) {
            Value v = in(n, i);
            if (v instanceof Const c) {
                parts.add(constant(c.v().cast(true).reshape(one), false).name());
            } else {
                parts.add(g.node("Reshape", g.fresh(n.name() + "/part"), List.of(plain((Dyn) v).name(), shape)));
            }
        }
        int[] out = one.clone();
        out[axis] = count;
        String o = g.node("Concat", outName(n), parts, Attribute.of("axis", (long) axis));
        put(n, new Dyn(o, out, false, null));
    }

    private void unpack(TfjsGraph.Node n) {
        Value v = in(n, 0);
        int rank = v.shape().length;
        int axis = (int) n.intAttr("axis", 0);
        axis = axis < 0 ? axis + rank : axis;
        int num = (int) n.intAttr("num", v.shape()[axis]);
        if (v instanceof Const c) {
            for (int k = 0; k < num; k++) {
                put(n, k, new Const(c.v().unstack(axis, k)));
            }
            return;
        }
        Dyn d = plain((Dyn) v);
        int[] shape = Nd.remove(d.shape(), axis);
        for (int k = 0; k < num; k++) {
            String idx = g.longs(g.fresh("index"), new long[] {k});
            String out = g.node("Gather", k == 0 ? outName(n) : outName(n) + ":" + k, List.of(d.name(), idx),
                    Attribute.of("axis", (long) axis));
            put(n, k, new Dyn(out, shape, false, null));
        }
    }

    private void concat(TfjsGraph.Node n) {
        int count = n.inputs().size() - 1;
        int rank = in(n, 0).shape().length;
        int axis = constIn(n, count).asInts()[0];
        axis = axis < 0 ? axis + rank : axis;
        if (allConst(n, count)) {
            List<Nd> parts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                parts.add(constIn(n, i));
            }
            put(n, new Const(Nd.concat(parts, axis)));
            return;
        }
        List<String> parts = new ArrayList<>();
        int[] out = in(n, 0).shape().clone();
        out[axis] = 0;
        for (int i = 0; i < count; i++) {
            Value v = in(n, i);
            out[axis] += v.shape()[axis];
            parts.add(v instanceof Const c ? constant(c.v().cast(true), false).name() : plain((Dyn) v).name());
        }
        String o = g.node("Concat", outName(n), parts, Attribute.of("axis", (long) axis));
        put(n, new Dyn(o, out, false, null));
    }

    private void slice(TfjsGraph.Node n) {
        Value v = in(n, 0);
        int[] begin = constIn(n, 1).asInts();
        int[] size = constIn(n, 2).asInts();
        int[] s = v.shape();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = size[i] == -1 ? s[i] - begin[i] : size[i];
        }
        if (v instanceof Const c) {
            int[] ones = new int[s.length];
            Arrays.fill(ones, 1);
            put(n, new Const(c.v().slice(begin, ones, out)));
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
        String o = g.node("Slice", outName(n), List.of(plain((Dyn) v).name(), longs(starts), longs(ends), longs(axes)));
        put(n, new Dyn(o, out, false, null));
    }

    private void tile(TfjsGraph.Node n) {
        Value v = in(n, 0);
        int[] mult = constIn(n, 1).asInts();
        if (v instanceof Const c) {
            put(n, new Const(c.v().tile(mult)));
            return;
        }
        Dyn d = plain((Dyn) v);
        int[] out = d.shape().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= mult[i];
        }
        String o = g.node("Tile", outName(n), List.of(d.name(), longs(Arrays.stream(mult).asLongStream().toArray())));
        put(n, new Dyn(o, out, false, null));
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
