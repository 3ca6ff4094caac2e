package io.argus.analyzer.ops.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The configuration of one remote op, an entry of the ops config file
 * ({@code <modelsDir>/ops.json}, {@code {"ops":[{...}]}}) with {@code "kind":"remote"}.
 *
 * <p>Common keys:
 * <ul>
 *   <li>{@code name} (required): the op name jobs use in {@code ops[].op};</li>
 *   <li>{@code protocol}: {@code "argus-eval"} (default) or {@code "kserve-v2"};</li>
 *   <li>{@code url} (required): the service's base URL, http or https, e.g. {@code http://10.0.0.5:9000};</li>
 *   <li>{@code labels}: the labels the op can produce (kserve-v2: required, the class names by
 *       index);</li>
 *   <li>{@code timeout_ms} (default {@value #DEFAULT_TIMEOUT_MS}): time to wait for the answer once
 *       the request is sent, per attempt; {@code connect_timeout_ms} (default
 *       {@value #DEFAULT_CONNECT_TIMEOUT_MS}): TCP connect timeout per attempt;
 *       {@code retry_delay_ms} (default {@value #DEFAULT_RETRY_DELAY_MS}): pause before the one
 *       retry (on 5xx or a failed connection).</li>
 * </ul>
 *
 * <p>{@code argus-eval} keys: {@code cmd} (required, {@code POST <url>/v1/eval/<cmd>});
 * {@code image}: {@code "inline"} (default: the frame's JPEG as a {@code data:image/jpeg;base64,}
 * URI, since the frame store's {@code file:} URIs mean nothing to a remote service) or {@code "uri"}
 * (the frame-store URI as is, for a service that reads the same store); {@code params}: an object
 * sent as the request's {@code params}.
 *
 * <p>{@code kserve-v2} keys: {@code model} (required), {@code version} (optional), {@code input}
 * (the tensor, see {@link TensorInput}), {@code family} ({@code "classification"} or
 * {@code "detection"}) and the family's keys (see {@link Classification}, {@link Detection}).
 *
 * @param name           op name
 * @param protocol       wire protocol
 * @param url            base URL, without a trailing slash
 * @param labels         labels the op can produce (kserve-v2: class names by index)
 * @param timeoutMs      answer timeout per attempt, ms
 * @param connectTimeoutMs connect timeout per attempt, ms
 * @param retryDelayMs   pause before the retry, ms
 * @param cmd            argus-eval: the eval command
 * @param inlineImage    argus-eval: true to send the JPEG inline, false to send the frame URI
 * @param params         argus-eval: the request's params, or null
 * @param model          kserve-v2: model name
 * @param version        kserve-v2: model version, or null
 * @param input          kserve-v2: input tensor
 * @param classification kserve-v2: set for the classification family
 * @param detection      kserve-v2: set for the detection family
 */
public record RemoteConfig(String name, Protocol protocol, String url, List<String> labels, long timeoutMs,
                           long connectTimeoutMs, long retryDelayMs, String cmd, boolean inlineImage,
                           ObjectNode params, String model, String version, TensorInput input,
                           Classification classification, Detection detection) {

    /** Default answer timeout per attempt, ms. */
    public static final long DEFAULT_TIMEOUT_MS = 2000;
    /** Default connect timeout per attempt, ms. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 1000;
    /** Default pause before the retry, ms. */
    public static final long DEFAULT_RETRY_DELAY_MS = 100;

    /** Wire protocol of the service. */
    public enum Protocol {
        /** The original Argus Serving {@code POST /v1/eval/<cmd>} with {@code {"data":{"uri":…}}}. */
        ARGUS_EVAL("argus-eval"),
        /** KServe v2 / Open Inference Protocol {@code POST /v2/models/<name>/infer}. */
        KSERVE_V2("kserve-v2");

        private final String key;

        Protocol(String key) {
            this.key = key;
        }

        /** @return the name used in the config */
        public String key() {
            return key;
        }
    }

    /**
     * The input tensor a kserve-v2 request carries: the frame resized (OpenCV {@code INTER_AREA}
     * when shrinking, {@code INTER_LINEAR} otherwise, aspect ratio not kept) to
     * {@code width}×{@code height} pixels, batch of 1.
     *
     * <p>Keys of {@code input}: {@code name} (default {@code "input"}), {@code width} and
     * {@code height} (pixels; default: the frame's own size), {@code layout} ({@code "NHWC"} default,
     * or {@code "NCHW"}), {@code datatype} ({@code "UINT8"} default: pixel values 0–255; or
     * {@code "FP32"}: {@code (pixel * scale - mean[c]) / std[c]}), {@code color} ({@code "RGB"}
     * default, or {@code "BGR"}), {@code scale} (default 1), {@code mean} and {@code std} (three
     * numbers in {@code color} order, default 0 and 1).
     *
     * @param name     tensor name
     * @param width    pixels, or 0 for the frame's width
     * @param height   pixels, or 0 for the frame's height
     * @param nchw     true for [1, 3, H, W], false for [1, H, W, 3]
     * @param fp32     true for FP32, false for UINT8
     * @param rgb      true for RGB channel order, false for BGR
     * @param scale    FP32: factor applied to pixel values first
     * @param mean     FP32: per-channel mean subtracted after scaling
     * @param std      FP32: per-channel divisor, non-zero
     */
    public record TensorInput(String name, int width, int height, boolean nchw, boolean fp32, boolean rgb,
                              double scale, double[] mean, double[] std) {
    }

    /**
     * kserve-v2 classification: one output of C scores (C = number of {@code labels}), batch of 1.
     * Keys: {@code output} (default: the answer's first output), {@code activation}
     * ({@code "none"} default, when the model outputs probabilities; {@code "softmax"} or
     * {@code "sigmoid"} for logits), {@code top_k} (labels kept, highest first, default 1),
     * {@code min_score} (default 0).
     *
     * @param output     output name, or null for the first output
     * @param activation applied to the scores
     * @param topK       labels kept, &gt;= 1
     * @param minScore   lowest score kept, [0, 1]
     */
    public record Classification(String output, String activation, int topK, double minScore) {
    }

    /**
     * kserve-v2 detection: three outputs of a batch of 1, N detections: {@code boxes} (4N values),
     * {@code scores} (N) and {@code classes} (N class indices, integer or float). Keys:
     * {@code outputs} ({@code {"boxes":…,"scores":…,"classes":…}} output names, required),
     * {@code box_format} ({@code "xyxy"} default, or {@code "yxyx"} as TensorFlow's detection API
     * gives), {@code box_units} ({@code "normalized"} default: [0, 1] of the input; or
     * {@code "pixels"}: pixels of the input tensor), {@code class_offset} (subtracted from a class
     * index before looking up {@code labels}, default 0; 1 when index 0 is a background class),
     * {@code min_score} (default 0.5).
     *
     * @param boxes       boxes output name
     * @param scores      scores output name
     * @param classes     classes output name
     * @param yxyx        true when boxes are (ymin, xmin, ymax, xmax)
     * @param normalized  true when box coordinates are in [0, 1]
     * @param classOffset subtracted from class indices
     * @param minScore    lowest score kept, [0, 1]
     */
    public record Detection(String boxes, String scores, String classes, boolean yxyx, boolean normalized,
                            int classOffset, double minScore) {
    }

    /**
     * Reads an op's entry of the ops config file.
     *
     * @param node the entry, e.g. {@code {"name":"remote_cls","kind":"remote","protocol":"argus-eval",
     *             "url":"http://host:9000","cmd":"terror-classify","labels":["normal","bomb"]}}
     * @return the configuration
     * @throws IllegalArgumentException naming the op and the key, when a required key is missing or a
     *                                  value is of the wrong type or out of range
     */
    public static RemoteConfig fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("remote op config must be a JSON object");
        }
        Reader r = new Reader(node, "remote op");
        String name = r.text("name", null, true);
        r = new Reader(node, "remote op " + name);
        String p = r.text("protocol", Protocol.ARGUS_EVAL.key(), false);
        Protocol protocol = switch (p) {
            case "argus-eval" -> Protocol.ARGUS_EVAL;
            case "kserve-v2" -> Protocol.KSERVE_V2;
            default -> throw r.bad("protocol", "must be \"argus-eval\" or \"kserve-v2\", got \"" + p + "\"");
        };
        String url = r.text("url", null, true);
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw r.bad("url", "must be an http(s) URL with a host, got \"" + url + "\"");
            }
        } catch (URISyntaxException e) {
            throw r.bad("url", "is not a URL: " + e.getMessage());
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        List<String> labels = r.strings("labels");
        long timeout = r.integer("timeout_ms", DEFAULT_TIMEOUT_MS, 1, 600_000);
        long connect = r.integer("connect_timeout_ms", DEFAULT_CONNECT_TIMEOUT_MS, 1, 600_000);
        long retryDelay = r.integer("retry_delay_ms", DEFAULT_RETRY_DELAY_MS, 0, 60_000);
        if (protocol == Protocol.ARGUS_EVAL) {
            String cmd = r.text("cmd", null, true);
            String image = r.text("image", "inline", false);
            if (!image.equals("inline") && !image.equals("uri")) {
                throw r.bad("image", "must be \"inline\" or \"uri\", got \"" + image + "\"");
            }
            JsonNode params = node.get("params");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw r.bad("params", "must be an object");
            }
            return new RemoteConfig(name, protocol, url, labels, timeout, connect, retryDelay, cmd,
                    image.equals("inline"), params == null || params.isNull() ? null : (ObjectNode) params,
                    null, null, null, null, null);
        }
        String model = r.text("model", null, true);
        String version = r.text("version", null, false);
        if (labels.isEmpty()) {
            throw r.bad("labels", "is required for kserve-v2 (class names by index)");
        }
        TensorInput input = tensorInput(node.get("input"), r);
        String family = r.text("family", null, true);
        Classification cls = null;
        Detection det = null;
        switch (family) {
            case "classification" -> {
                String activation = r.text("activation", "none", false);
                if (!List.of("none", "softmax", "sigmoid").contains(activation)) {
                    throw r.bad("activation", "must be \"none\", \"softmax\" or \"sigmoid\", got \"" + activation + "\"");
                }
                cls = new Classification(r.text("output", null, false), activation,
                        (int) r.integer("top_k", 1, 1, Integer.MAX_VALUE), r.number("min_score", 0, 0, 1));
            }
            case "detection" -> {
                JsonNode outputs = node.get("outputs");
                if (outputs == null || !outputs.isObject()) {
                    throw r.bad("outputs", "must be an object {\"boxes\":…,\"scores\":…,\"classes\":…}");
                }
                Reader o = new Reader(outputs, "remote op " + name + " outputs");
                String format = r.text("box_format", "xyxy", false);
                if (!format.equals("xyxy") && !format.equals("yxyx")) {
                    throw r.bad("box_format", "must be \"xyxy\" or \"yxyx\", got \"" + format + "\"");
                }
                String units = r.text("box_units", "normalized", false);
                if (!units.equals("normalized") && !units.equals("pixels")) {
                    throw r.bad("box_units", "must be \"normalized\" or \"pixels\", got \"" + units + "\"");
                }
                det = new Detection(o.text("boxes", null, true), o.text("scores", null, true),
                        o.text("classes", null, true), format.equals("yxyx"), units.equals("normalized"),
                        (int) r.integer("class_offset", 0, -1_000_000, 1_000_000), r.number("min_score", 0.5, 0, 1));
            }
            default -> throw r.bad("family", "must be \"classification\" or \"detection\", got \"" + family + "\"");
        }
        return new RemoteConfig(name, protocol, url, labels, timeout, connect, retryDelay, null, true, null,
                model, version, input, cls, det);
    }

    private static TensorInput tensorInput(JsonNode node, Reader parent) {
        if (node == null || node.isNull()) {
            return new TensorInput("input", 0, 0, false, false, true, 1, new double[3], new double[] {1, 1, 1});
        }
        if (!node.isObject()) {
            throw parent.bad("input", "must be an object");
        }
        Reader r = new Reader(node, parent.where + " input");
        String layout = r.text("layout", "NHWC", false).toUpperCase(Locale.ROOT);
        if (!layout.equals("NHWC") && !layout.equals("NCHW")) {
            throw r.bad("layout", "must be \"NHWC\" or \"NCHW\", got \"" + layout + "\"");
        }
        String type = r.text("datatype", "UINT8", false).toUpperCase(Locale.ROOT);
        if (!type.equals("UINT8") && !type.equals("FP32")) {
            throw r.bad("datatype", "must be \"UINT8\" or \"FP32\", got \"" + type + "\"");
        }
        String color = r.text("color", "RGB", false).toUpperCase(Locale.ROOT);
        if (!color.equals("RGB") && !color.equals("BGR")) {
            throw r.bad("color", "must be \"RGB\" or \"BGR\", got \"" + color + "\"");
        }
        double[] mean = r.triple("mean", 0);
        double[] std = r.triple("std", 1);
        for (double s : std) {
            if (s == 0) {
                throw r.bad("std", "must not contain 0");
            }
        }
        return new TensorInput(r.text("name", "input", false), (int) r.integer("width", 0, 1, 16384),
                (int) r.integer("height", 0, 1, 16384), layout.equals("NCHW"), type.equals("FP32"),
                color.equals("RGB"), r.number("scale", 1, -1e9, 1e9), mean, std);
    }

    /** Typed reads of one JSON object with error messages naming the op and the key. */
    private record Reader(JsonNode node, String where) {

        IllegalArgumentException bad(String key, String problem) {
            return new IllegalArgumentException(where + ": " + key + " " + problem);
        }

        String text(String key, String dflt, boolean required) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                if (required) {
                    throw bad(key, "is required");
                }
                return dflt;
            }
            if (!v.isTextual() || v.asText().isBlank()) {
                throw bad(key, "must be a non-empty string");
            }
            return v.asText();
        }

        long integer(String key, long dflt, long min, long max) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw bad(key, "must be an integer in [" + min + ", " + max + "], got " + v);
            }
            return v.asLong();
        }

        double number(String key, double dflt, double min, double max) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
                throw bad(key, "must be a number in [" + min + ", " + max + "], got " + v);
            }
            return v.asDouble();
        }

        double[] triple(String key, double dflt) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return new double[] {dflt, dflt, dflt};
            }
            if (!v.isArray() || v.size() != 3 || !v.get(0).isNumber() || !v.get(1).isNumber() || !v.get(2).isNumber()) {
                throw bad(key, "must be an array of 3 numbers, got " + v);
            }
            return new double[] {v.get(0).asDouble(), v.get(1).asDouble(), v.get(2).asDouble()};
        }

        List<String> strings(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw bad(key, "must be an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw bad(key, "must be an array of strings, got " + e);
                }
                out.add(e.asText());
            }
            return List.copyOf(out);
        }
    }
}
