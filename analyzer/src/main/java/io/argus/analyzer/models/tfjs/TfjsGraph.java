package io.argus.analyzer.models.tfjs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A TensorFlow.js graph model as saved by {@code tensorflowjs_converter} ({@code model.json}
 * format "graph-model"): {@code modelTopology.node[]} is a TensorFlow GraphDef in JSON (each node
 * has {@code name, op, input[], attr{}}, inputs written {@code name}, {@code name:k} for output k,
 * or {@code ^name} for a control dependency), and {@code weightsManifest[]} lists, per group, the
 * shard files ({@code paths}) whose concatenation holds the group's weights ({@code name, shape,
 * dtype}) back to back, little-endian. Weights may be affine-quantised
 * ({@code quantization: {dtype: uint8|uint16, scale, min}}, value = q·scale + min; tfjs-converter
 * {@code io/weights_loader}/{@code io_utils.decodeWeights}) or stored as float16.
 *
 * <p>Const nodes take their value from the weights of the same name; a Const missing from the
 * weights falls back to the inline {@code attr.value.tensor} ({@code floatVal}, {@code intVal},
 * {@code int64Val} or base64 {@code tensorContent}).
 */
public final class TfjsGraph {

    /**
     * One graph node.
     *
     * @param name node name
     * @param op TensorFlow op type
     * @param inputs data inputs ({@code name} or {@code name:k}); control inputs are dropped
     * @param attr attributes as parsed JSON
     */
    public record Node(String name, String op, List<String> inputs, JsonNode attr) {
        /** @return an int attribute ({@code {"i": "…"}}), or {@code dflt} */
        public long intAttr(String key, long dflt) {
            JsonNode a = attr.path(key).path("i");
            return a.isMissingNode() ? dflt : a.asLong();
        }

        /** @return a float attribute ({@code {"f": …}}), or {@code dflt} */
        public double floatAttr(String key, double dflt) {
            JsonNode a = attr.path(key).path("f");
            return a.isMissingNode() ? dflt : a.asDouble();
        }

        /** @return a bytes/string attribute ({@code {"s": …}}, base64 or byte array), or {@code dflt} */
        public String stringAttr(String key, String dflt) {
            JsonNode s = attr.path(key).path("s");
            if (s.isMissingNode()) {
                return dflt;
            }
            if (s.isArray()) {
                byte[] b = new byte[s.size()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) s.get(i).asInt();
                }
                return new String(b, java.nio.charset.StandardCharsets.UTF_8);
            }
            return new String(Base64.getDecoder().decode(s.asText()), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** @return an int-list attribute ({@code {"list": {"i": […]}}}), or null */
        public int[] intsAttr(String key) {
            JsonNode a = attr.path(key).path("list").path("i");
            if (!a.isArray()) {
                return null;
            }
            int[] r = new int[a.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = a.get(i).asInt();
            }
            return r;
        }

        /** @return a shape attribute ({@code {"shape": {"dim": [{"size": …}]}}}) or null */
        public int[] shapeAttr(String key) {
            JsonNode dims = attr.path(key).path("shape").path("dim");
            if (!dims.isArray()) {
                return null;
            }
            int[] r = new int[dims.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = dims.get(i).path("size").asInt();
            }
            return r;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Node> nodes;
    private final Map<String, Nd> weights;

    private TfjsGraph(Map<String, Node> nodes, Map<String, Nd> weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /**
     * Reads {@code model.json} and its shards (resolved next to it).
     *
     * @param modelJson path of model.json
     * @return the graph
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when the JSON is not a graph model or a weight has an
     *     unsupported dtype/quantisation, or the shards are shorter than the manifest says
     */
    public static TfjsGraph read(Path modelJson) throws IOException {
        JsonNode root = JSON.readTree(modelJson.toFile());
        JsonNode topology = root.path("modelTopology");
        JsonNode nodeList = topology.path("node");
        if (!nodeList.isArray()) {
            throw new IllegalArgumentException(modelJson + " has no modelTopology.node[] (not a TF.js graph model)");
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (JsonNode n : nodeList) {
            List<String> inputs = new ArrayList<>();
            for (JsonNode i : n.path("input")) {
                if (!i.asText().startsWith("^")) {
                    inputs.add(i.asText());
                }
            }
            Node node = new Node(n.path("name").asText(), n.path("op").asText(), List.copyOf(inputs),
                    n.path("attr"));
            nodes.put(node.name(), node);
        }
        Map<String, Nd> weights = new LinkedHashMap<>();
        Path dir = modelJson.toAbsolutePath().getParent();
        for (JsonNode group : root.path("weightsManifest")) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (JsonNode p : group.path("paths")) {
                try (InputStream in = Files.newInputStream(dir.resolve(p.asText()))) {
                    in.transferTo(all);
                }
            }
            ByteBuffer buf = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                int[] shape = new int[w.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").get(i).asInt();
                }
                weights.put(name, decode(buf, name, shape, w.path("dtype").asText(), w.path("quantization")));
            }
        }
        return new TfjsGraph(Collections.unmodifiableMap(nodes), Collections.unmodifiableMap(weights));
    }

    private static Nd decode(ByteBuffer buf, String name, int[] shape, String dtype, JsonNode quant) {
        int n = Nd.size(shape);
        boolean isFloat = dtype.equals("float32");
        if (!isFloat && !dtype.equals("int32") && !dtype.equals("bool")) {
            throw new IllegalArgumentException("weight " + name + " has unsupported dtype " + dtype);
        }
        try {
            if (!quant.isMissingNode()) {
                String q = quant.path("dtype").asText();
                float[] v = new float[n];
                if (q.equals("uint8") || q.equals("uint16")) {
                    double scale = quant.path("scale").asDouble();
                    double min = quant.path("min").asDouble();
                    for (int i = 0; i < n; i++) {
                        int raw = q.equals("uint8") ? buf.get() & 0xff : buf.getShort() & 0xffff;
                        v[i] = (float) (raw * scale + min);
                    }
                } else if (q.equals("float16")) {
                    for (int i = 0; i < n; i++) {
                        v[i] = halfToFloat(buf.getShort());
                    }
                } else {
                    throw new IllegalArgumentException("weight " + name + " has unsupported quantization " + q);
                }
                return isFloat ? Nd.floats(v, shape) : Nd.floats(v, shape).cast(false);
            }
            if (isFloat) {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                buf.position(buf.position() + 4 * n);
                return Nd.floats(v, shape);
            }
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = dtype.equals("bool") ? buf.get() : buf.getInt();
            }
            return Nd.longs(v, shape);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("weight shards end before weight " + name, e);
        }
    }

    /** IEEE 754 binary16 to float (sign, 5-bit exponent with bias 15, 10-bit fraction). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int frac = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (frac << 13));
        }
        if (exp == 0) {
            float v = frac * 0x1p-24f; // subnormal: frac · 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (frac << 13));
    }

    /** @return nodes by name, in file order */
    public Map<String, Node> nodes() {
        return nodes;
    }

    /** @return decoded weights by name */
    public Map<String, Nd> weights() {
        return weights;
    }

    /**
     * @param node a Const node
     * @return its value: the weight of the same name, else the inline tensor
     * @throws IllegalArgumentException when neither exists
     */
    public Nd constant(Node node) {
        Nd w = weights.get(node.name());
        if (w != null) {
            return w;
        }
        JsonNode t = node.attr().path("value").path("tensor");
        JsonNode dims = t.path("tensorShape").path("dim");
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).path("size").asInt();
        }
        int n = Nd.size(shape);
        int dtype = t.path("dtype").asInt(node.attr().path("dtype").path("type").asInt());
        boolean isFloat = dtype == 1;
        if (t.hasNonNull("tensorContent")) {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(t.get("tensorContent").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (isFloat) {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                return Nd.floats(v, shape);
            }
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = dtype == 9 ? b.getLong() : b.getInt();
            }
            return Nd.longs(v, shape);
        }
        JsonNode vals = t.path(isFloat ? "floatVal" : dtype == 9 ? "int64Val" : "intVal");
        if (vals.isArray() && vals.size() > 0) {
            // TensorFlow stores a splat (one value for all elements) when every element is equal.
            if (isFloat) {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) vals.get(Math.min(i, vals.size() - 1)).asDouble();
                }
                return Nd.floats(v, shape);
            }
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = vals.get(Math.min(i, vals.size() - 1)).asLong();
            }
            return Nd.longs(v, shape);
        }
        throw new IllegalArgumentException("Const node " + node.name() + " has no weight and no inline value");
    }
}
