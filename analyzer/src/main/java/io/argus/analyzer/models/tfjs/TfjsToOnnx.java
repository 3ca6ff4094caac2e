package io.argus.analyzer.models.tfjs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

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
 * Reshape (+ Concat); Slice → Slice; Sigmoid, Exp, Relu, Tanh, Transpose, Tile map one to one;
 * LeakyRelu → LeakyRelu (TensorFlow's {@code alpha}); SplitV/Split → Split; Pad/PadV2 → Pad;
 * MaxPool → MaxPool; ResizeBilinear → Resize (linear, with the coordinate mode matching
 * {@code align_corners}/{@code half_pixel_centers}, see {@link SpatialOps}); _FusedConv2D and
 * FusedDepthwiseConv2dNative → Conv + activation ({@link ConvOps}); Mean → ReduceMean
 * ({@link ReduceOps}); Equal, FloorDiv, FloorMod ({@link ElementwiseOps}); TopKV2 → TopK, GatherV2
 * → Gather ({@link IndexOps}); StridedSlice on a tensor → Slice ({@link SliceOps}). Integer
 * tensors (TopK indices and the maths on them) are int64 and bool tensors bool; graph outputs are
 * declared with their tensor's type.
 * Ops spelled in {@code onnx/docs/Operators.md}; TensorFlow semantics from the op definitions in
 * {@code tensorflow/core/ops/*.cc}. Each family of ops has its converter class, found by op name
 * through {@link OpConverters}: {@link GraphOps}, {@link ElementwiseOps}, {@link ConvOps},
 * {@link ShapeOps}, {@link JoinOps}, {@link SliceOps}, {@link SpatialOps}; the state they share
 * (values, layout changes, counts) is a {@link Conversion}. This class orders the nodes and runs them.
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

    private final TfjsGraph tf;
    private final Spec spec;
    private final Conversion cv;
    private int[] inputShape;

    private TfjsToOnnx(TfjsGraph tf, Spec spec) {
        this.tf = tf;
        this.spec = spec;
        this.cv = new Conversion(tf);
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
                n.inputs().forEach(cv::consume);
            }
        }
        spec.outputs().keySet().forEach(cv::consume);
        for (TfjsGraph.Node n : order) {
            if (n.name().equals(spec.inputNode())) {
                inputShape = spec.inputShape() != null ? spec.inputShape().clone() : inferInputShape(n);
                long[] dims = Arrays.stream(inputShape).asLongStream().toArray();
                cv.graph().input(spec.inputName(), OnnxGraph.FLOAT, dims);
                cv.alias(n, 0, new Dyn(spec.inputName(), inputShape, false, null));
                continue;
            }
            cv.count("tfNodes");
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
            Value v = cv.value(o.getKey());
            Dyn d = v instanceof Dyn dy ? cv.plain(dy) : cv.constant(((Const) v).v(), false);
            cv.graph().node("Identity", o.getValue(), List.of(d.name()));
            cv.graph().output(o.getValue(), d.type(), Arrays.stream(d.shape()).asLongStream().toArray());
            outShapes.put(o.getValue(), d.shape());
        }
        cv.stats().put("onnxNodes", cv.graph().nodes().size());
        return new Result(cv.graph(), inputShape, outShapes, cv.stats());
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

    private void convert(TfjsGraph.Node n) {
        OpConverter converter = OpConverters.get(n.op());
        if (converter == null) {
            throw new ConversionException(n.name(), n.op(), "unsupported op");
        }
        converter.convert(n, cv);
    }
}
