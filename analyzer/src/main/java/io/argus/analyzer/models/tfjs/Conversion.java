package io.argus.analyzer.models.tfjs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * The state of one {@link TfjsToOnnx} conversion, shared by the {@link OpConverter}s: the ONNX
 * graph being written, the converted value of every TensorFlow tensor, how many nodes read each
 * tensor (a Conv output read once may absorb a following scale or shift), the layout changes
 * already inserted, and the counts reported in {@link TfjsToOnnx.Result#stats()}.
 *
 * <p>Layout: TensorFlow is NHWC, ONNX Conv is NCHW; convolution outputs stay NCHW until a
 * layout-sensitive op reads them, which asks for {@link #plain(Dyn)} (one Transpose per tensor).
 */
final class Conversion {

    private final TfjsGraph tf;
    private final OnnxGraph g = new OnnxGraph("tfjs");
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, Dyn> layoutCache = new HashMap<>();
    private final Map<String, Integer> stats = new LinkedHashMap<>();

    /** @param tf the graph being converted (for its constants) */
    Conversion(TfjsGraph tf) {
        this.tf = tf;
        for (String k : List.of("tfNodes", "onnxNodes", "foldedConstants", "foldedIntoConv", "transposes")) {
            stats.put(k, 0);
        }
    }

    /**
     * @param input a node input, {@code node} or {@code node:k}
     * @return the tensor key, {@code node:k} ({@code node:0} for a bare name)
     */
    static String key(String input) {
        return input.contains(":") ? input : input + ":0";
    }

    /** @return the ONNX graph being written */
    OnnxGraph graph() {
        return g;
    }

    /** @return the TF.js graph being converted */
    TfjsGraph tf() {
        return tf;
    }

    /** @return the counts, in the order {@link TfjsToOnnx.Result#stats()} documents */
    Map<String, Integer> stats() {
        return stats;
    }

    /** Adds one to a count of {@link #stats()}. */
    void count(String stat) {
        stats.merge(stat, 1, Integer::sum);
    }

    /** Records one more reader of a tensor ({@code node} or {@code node:k}). */
    void consume(String input) {
        consumers.merge(key(input), 1, Integer::sum);
    }

    /** @return how many nodes (and graph outputs) read the tensor */
    int consumers(String input) {
        return consumers.getOrDefault(key(input), 0);
    }

    /**
     * @param tensor {@code node} or {@code node:k}
     * @return its converted value, or null when not converted
     */
    Value value(String tensor) {
        return values.get(key(tensor));
    }

    /**
     * Stores output k of a node as is (an alias, or a value folded into a Conv): not counted as a
     * folded constant.
     */
    void alias(TfjsGraph.Node n, int k, Value v) {
        values.put(n.name() + ":" + k, v);
    }

    /** Stores output 0 of a node; a constant counts as folded. */
    void put(TfjsGraph.Node n, Value v) {
        put(n, 0, v);
    }

    /** Stores output k of a node; a constant counts as folded. */
    void put(TfjsGraph.Node n, int k, Value v) {
        if (v instanceof Const) {
            count("foldedConstants");
        }
        values.put(n.name() + ":" + k, v);
    }

    /**
     * @return input i's value
     * @throws ConversionException when the node has no such input or it was not converted
     */
    Value in(TfjsGraph.Node n, int i) {
        if (i >= n.inputs().size()) {
            throw new ConversionException(n.name(), n.op(), "missing input " + i);
        }
        Value v = values.get(key(n.inputs().get(i)));
        if (v == null) {
            throw new ConversionException(n.name(), n.op(), "input " + n.inputs().get(i) + " has no value");
        }
        return v;
    }

    /**
     * @return input i's constant value
     * @throws ConversionException when it is not constant
     */
    Nd constIn(TfjsGraph.Node n, int i) {
        if (in(n, i) instanceof Const c) {
            return c.v();
        }
        throw new ConversionException(n.name(), n.op(), "input " + i + " (" + n.inputs().get(i)
                + ") must be constant");
    }

    /** @return true when the first {@code count} inputs are constant */
    boolean allConst(TfjsGraph.Node n, int count) {
        for (int i = 0; i < count; i++) {
            if (!(in(n, i) instanceof Const)) {
                return false;
            }
        }
        return true;
    }

    /** @return the ONNX name of the node's output 0 (the TensorFlow node name) */
    String outName(TfjsGraph.Node n) {
        return n.name();
    }

    /** Adds a constant as an initializer (float, or int64 when {@code asLong}). */
    Dyn constant(Nd v, boolean asLong) {
        String name = g.fresh("const");
        long[] dims = Arrays.stream(v.shape()).asLongStream().toArray();
        if (asLong) {
            g.longs(name, v.asLongs(), dims);
        } else {
            g.floats(name, v.asFloats().clone(), dims);
        }
        return new Dyn(name, v.shape(), false, null);
    }

    /** @return the name of a new 1-D int64 initializer holding {@code v} */
    String longs(long... v) {
        return g.longs(g.fresh("shape"), v, v.length);
    }

    /**
     * @return the name of a constant arranged to broadcast against {@code d} in d's storage layout,
     *     of d's element type (int64 against an int64 tensor, else float)
     */
    String constantFor(Dyn d, Nd c) {
        boolean asLong = d.isLong();
        if (!d.nchw()) {
            return constant(c, asLong).name();
        }
        if (c.rank() > 4) {
            throw new IllegalArgumentException("constant of rank " + c.rank() + " against a 4-D tensor");
        }
        int[] s = new int[4];
        Arrays.fill(s, 1);
        System.arraycopy(c.shape(), 0, s, 4 - c.rank(), c.rank());
        return constant(c.reshape(s).transpose(0, 3, 1, 2), asLong).name();
    }

    /** @return d in NHWC (TensorFlow) layout, inserting one Transpose per tensor when needed */
    Dyn plain(Dyn d) {
        if (!d.nchw()) {
            return d;
        }
        return layoutCache.computeIfAbsent(d.name() + "|nhwc", k -> {
            count("transposes");
            String out = g.node("Transpose", g.fresh(d.name() + "/nhwc"), List.of(d.name()),
                    Attribute.ints("perm", 0, 2, 3, 1));
            return new Dyn(out, d.shape(), false, null, d.type());
        });
    }

    /**
     * @return d in NCHW layout, inserting one Transpose per tensor when needed
     * @throws ConversionException when d is not 4-D
     */
    Dyn nchw(Dyn d, TfjsGraph.Node n) {
        if (d.nchw()) {
            return d;
        }
        if (d.shape().length != 4) {
            throw new ConversionException(n.name(), n.op(), "needs a 4-D input, got " + Arrays.toString(d.shape()));
        }
        return layoutCache.computeIfAbsent(d.name() + "|nchw", k -> {
            count("transposes");
            String out = g.node("Transpose", g.fresh(d.name() + "/nchw"), List.of(d.name()),
                    Attribute.ints("perm", 0, 3, 1, 2));
            return new Dyn(out, d.shape(), true, null, d.type());
        });
    }

    /**
     * TensorFlow's {@code DataType} enum ({@code tensorflow/core/framework/types.proto}) as written
     * in TF.js model.json, by name ({@code "DT_INT32"}) or number, mapped to the ONNX element type
     * Argus uses for it: float16/32/64 → FLOAT, any integer → INT64, bool → BOOL.
     *
     * @param attr the attribute's value node ({@code {"type": …}})
     * @param dflt ONNX type when the attribute is missing
     * @return the ONNX element type
     * @throws IllegalArgumentException for other types (strings, complex, …)
     */
    static int onnxType(com.fasterxml.jackson.databind.JsonNode attr, int dflt) {
        com.fasterxml.jackson.databind.JsonNode t = attr.path("type");
        if (t.isMissingNode() || t.isNull()) {
            return dflt;
        }
        String name = t.isNumber() ? switch (t.asInt()) {
            case 1 -> "DT_FLOAT";
            case 2 -> "DT_DOUBLE";
            case 3 -> "DT_INT32";
            case 4 -> "DT_UINT8";
            case 5 -> "DT_INT16";
            case 6 -> "DT_INT8";
            case 9 -> "DT_INT64";
            case 10 -> "DT_BOOL";
            case 19 -> "DT_HALF";
            default -> "type " + t.asInt();
        } : t.asText();
        return switch (name) {
            case "DT_FLOAT", "DT_DOUBLE", "DT_HALF" -> OnnxGraph.FLOAT;
            case "DT_INT32", "DT_INT64", "DT_UINT8", "DT_INT16", "DT_INT8" -> OnnxGraph.INT64;
            case "DT_BOOL" -> OnnxGraph.BOOL;
            default -> throw new IllegalArgumentException("unsupported dtype " + name);
        };
    }

    /** @return v as an ONNX tensor (a constant becomes a float initializer) */
    Dyn dyn(Value v) {
        return v instanceof Dyn d ? d : constant(((Const) v).v(), false);
    }
}
