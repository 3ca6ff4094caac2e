package io.argus.analyzer.models.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an ONNX model (one graph, default domain) and serialises it as a {@code ModelProto}.
 *
 * <p>Field numbers follow {@code onnx/onnx.proto} (github.com/onnx/onnx): ModelProto
 * {@code ir_version=1, producer_name=2, producer_version=3, graph=7, opset_import=8}; GraphProto
 * {@code node=1, name=2, initializer=5, input=11, output=12}; NodeProto {@code input=1, output=2,
 * name=3, op_type=4, attribute=5}; AttributeProto {@code name=1, f=2, i=3, s=4, floats=7, ints=8,
 * type=20} with AttributeType {@code FLOAT=1, INT=2, STRING=3, FLOATS=6, INTS=7}; TensorProto
 * {@code dims=1, data_type=2, name=8, raw_data=9} (raw data little-endian) with DataType
 * {@code FLOAT=1, INT64=7}; ValueInfoProto {@code name=1, type=2}; TypeProto {@code tensor_type=1};
 * TypeProto.Tensor {@code elem_type=1, shape=2}; TensorShapeProto {@code dim=1}; Dimension
 * {@code dim_value=1, dim_param=2}; OperatorSetIdProto {@code domain=1, version=2}.
 *
 * <p>Float initializers keep a reference to the caller's array until {@link #toBytes()}, so a
 * converter may still fold constants into them (e.g. batch-norm scales into convolution weights).
 * Nodes must be added in topological order. Not thread-safe.
 */
public final class OnnxGraph {

    /** ONNX TensorProto.DataType FLOAT. */
    public static final int FLOAT = 1;
    /** ONNX TensorProto.DataType INT64. */
    public static final int INT64 = 7;
    /** ONNX TensorProto.DataType BOOL. */
    public static final int BOOL = 9;
    /** IR version written (IR 7 goes with opsets 12–13; onnx/onnx docs/Versioning.md). */
    public static final long IR_VERSION = 7;

    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Initializer> initializers = new LinkedHashMap<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private int unique;

    /** @param name graph name */
    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A graph input or output: name, element type and dims (negative dim = symbolic {@code N}). */
    public record ValueInfo(String name, int elemType, long[] dims) {
    }

    /** A constant tensor: float data (by reference) or int64 data. */
    public record Initializer(String name, long[] dims, float[] floats, long[] longs) {
    }

    /** One attribute; exactly one value field is used, per {@code type}. */
    public record Attribute(String name, int type, float f, long i, String s, float[] floats, long[] ints) {
        /** @return an INT attribute */
        public static Attribute of(String name, long v) {
            return new Attribute(name, 2, 0, v, null, null, null);
        }

        /** @return a FLOAT attribute */
        public static Attribute of(String name, float v) {
            return new Attribute(name, 1, v, 0, null, null, null);
        }

        /** @return a STRING attribute */
        public static Attribute of(String name, String v) {
            return new Attribute(name, 3, 0, 0, v, null, null);
        }

        /** @return an INTS attribute */
        public static Attribute ints(String name, long... v) {
            return new Attribute(name, 7, 0, 0, null, null, v);
        }

        /** @return a FLOATS attribute */
        public static Attribute floats(String name, float... v) {
            return new Attribute(name, 6, 0, 0, null, v, null);
        }
    }

    /** A node: op type, input and output value names, attributes. */
    public record Node(String opType, String name, List<String> inputs, List<String> outputs,
                       List<Attribute> attributes) {
    }

    /**
     * @param prefix readable prefix
     * @return a value name not used before in this graph
     */
    public String fresh(String prefix) {
        return prefix + "__" + (unique++);
    }

    /**
     * Declares a graph input.
     *
     * @param valueName value name
     * @param elemType {@link #FLOAT} or {@link #INT64}
     * @param dims shape; a negative entry is written as the symbolic dimension {@code N}
     * @return the value name
     */
    public String input(String valueName, int elemType, long... dims) {
        inputs.add(new ValueInfo(valueName, elemType, dims.clone()));
        return valueName;
    }

    /**
     * Declares a graph output.
     *
     * @param valueName name of a value produced by a node
     * @param elemType element type
     * @param dims shape (negative = symbolic)
     */
    public void output(String valueName, int elemType, long... dims) {
        outputs.add(new ValueInfo(valueName, elemType, dims.clone()));
    }

    /**
     * Adds a float initializer. The array is kept by reference and read at {@link #toBytes()}.
     *
     * @param valueName name (must be unique)
     * @param data row-major values
     * @param dims shape
     * @return the name
     * @throws IllegalArgumentException when the name is taken or the size does not match the dims
     */
    public String floats(String valueName, float[] data, long... dims) {
        check(valueName, data.length, dims);
        initializers.put(valueName, new Initializer(valueName, dims.clone(), data, null));
        return valueName;
    }

    /**
     * Adds an int64 initializer.
     *
     * @param valueName name (must be unique)
     * @param data row-major values
     * @param dims shape
     * @return the name
     * @throws IllegalArgumentException when the name is taken or the size does not match the dims
     */
    public String longs(String valueName, long[] data, long... dims) {
        check(valueName, data.length, dims);
        initializers.put(valueName, new Initializer(valueName, dims.clone(), null, data.clone()));
        return valueName;
    }

    /** @return the initializer of that name, or null */
    public Initializer initializer(String valueName) {
        return initializers.get(valueName);
    }

    private void check(String valueName, int n, long[] dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != n) {
            throw new IllegalArgumentException("initializer " + valueName + ": " + n + " values for dims "
                    + java.util.Arrays.toString(dims));
        }
        if (initializers.containsKey(valueName)) {
            throw new IllegalArgumentException("duplicate initializer " + valueName);
        }
    }

    /**
     * Adds a node with one output.
     *
     * @param opType ONNX operator, e.g. {@code Conv}
     * @param output output value name
     * @param inputs input value names ("" for an omitted optional input)
     * @param attributes attributes
     * @return the output name
     */
    public String node(String opType, String output, List<String> inputs, Attribute... attributes) {
        nodes.add(new Node(opType, output, List.copyOf(inputs), List.of(output), List.of(attributes)));
        return output;
    }

    /**
     * Adds a node with several outputs.
     *
     * @return the node
     */
    public Node node(String opType, String nodeName, List<String> inputs, List<String> outputs,
                     Attribute... attributes) {
        Node n = new Node(opType, nodeName, List.copyOf(inputs), List.copyOf(outputs), List.of(attributes));
        nodes.add(n);
        return n;
    }

    /** @return the nodes added so far, in order */
    public List<Node> nodes() {
        return java.util.Collections.unmodifiableList(nodes);
    }

    /**
     * Serialises the model.
     *
     * @param opset default-domain opset version
     * @param producer producer name
     * @param producerVersion producer version
     * @return ModelProto bytes
     */
    public byte[] toBytes(long opset, String producer, String producerVersion) {
        ProtoWriter g = new ProtoWriter();
        for (Node n : nodes) {
            g.message(1, node(n));
        }
        g.string(2, name);
        for (Initializer t : initializers.values()) {
            g.message(5, tensor(t));
        }
        for (ValueInfo v : inputs) {
            g.message(11, valueInfo(v));
        }
        for (ValueInfo v : outputs) {
            g.message(12, valueInfo(v));
        }
        ProtoWriter m = new ProtoWriter();
        m.int64(1, IR_VERSION);
        m.string(2, producer);
        m.string(3, producerVersion);
        m.message(7, g);
        m.message(8, new ProtoWriter().string(1, "").int64(2, opset));
        return m.toByteArray();
    }

    /**
     * Serialises the model to a file.
     *
     * @throws IOException when the file cannot be written
     */
    public void write(Path file, long opset, String producer, String producerVersion) throws IOException {
        Files.write(file, toBytes(opset, producer, producerVersion));
    }

    private static ProtoWriter node(Node n) {
        ProtoWriter w = new ProtoWriter();
        for (String i : n.inputs()) {
            w.string(1, i);
        }
        for (String o : n.outputs()) {
            w.string(2, o);
        }
        w.string(3, n.name());
        w.string(4, n.opType());
        for (Attribute a : n.attributes()) {
            ProtoWriter aw = new ProtoWriter().string(1, a.name()).int64(20, a.type());
            switch (a.type()) {
                case 1 -> aw.float32(2, a.f());
                case 2 -> aw.int64(3, a.i());
                case 3 -> aw.string(4, a.s());
                case 6 -> {
                    for (float f : a.floats()) {
                        aw.float32(7, f);
                    }
                }
                case 7 -> {
                    for (long v : a.ints()) {
                        aw.int64(8, v);
                    }
                }
                default -> throw new IllegalStateException("attribute type " + a.type());
            }
            w.message(5, aw);
        }
        return w;
    }

    private static ProtoWriter tensor(Initializer t) {
        ProtoWriter w = new ProtoWriter();
        w.packedInt64(1, t.dims());
        w.int64(2, t.floats() != null ? FLOAT : INT64);
        w.string(8, t.name());
        ByteBuffer b;
        if (t.floats() != null) {
            b = ByteBuffer.allocate(t.floats().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.floats());
        } else {
            b = ByteBuffer.allocate(t.longs().length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(t.longs());
        }
        w.bytes(9, b.array());
        return w;
    }

    private static ProtoWriter valueInfo(ValueInfo v) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : v.dims()) {
            shape.message(1, d >= 0 ? new ProtoWriter().int64(1, d) : new ProtoWriter().string(2, "N"));
        }
        ProtoWriter tensor = new ProtoWriter().int64(1, v.elemType()).message(2, shape);
        return new ProtoWriter().string(1, v.name()).message(2, new ProtoWriter().message(1, tensor));
    }
}
