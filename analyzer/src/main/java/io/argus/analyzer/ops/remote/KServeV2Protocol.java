package io.argus.analyzer.ops.remote;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;

/**
 * The KServe v2 inference protocol, also called the Open Inference Protocol (KServe, "Open
 * Inference Protocol (V2 Inference Protocol)", HTTP/REST, §Inference:
 * https://kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol and
 * github.com/kserve/open-inference-protocol specification/protocol/inference_rest.md), as served by
 * KServe, NVIDIA Triton, Seldon MLServer and OpenVINO Model Server.
 *
 * <p>Request: {@code POST <url>/v2/models/<model>[/versions/<version>]/infer} with
 * {@code {"id":"<job>/<seq>","inputs":[{"name":…,"shape":[1,H,W,3] or [1,3,H,W],"datatype":"UINT8"
 * or "FP32","data":[…]}]}}: the frame as described by {@link RemoteConfig.TensorInput}, data
 * flattened in row-major order as the protocol's tensor data allows.
 *
 * <p>Answer: {@code {"model_name":…,"outputs":[{"name":…,"shape":[…],"datatype":…,"data":[…]}]}}
 * (data flat or nested, numeric); an HTTP error carries {@code {"error":"…"}} (the protocol's
 * inference error response). Outputs are mapped by the configured family:
 * <ul>
 *   <li>classification ({@link RemoteConfig.Classification}): the output's C values are the scores
 *       of {@code labels[0..C-1]} (C must equal the number of labels), after the activation; the
 *       {@code top_k} highest at or above {@code min_score} become labels. Raw result, the Argus
 *       Serving classification shape: {@code {"confidences":[{"index":i,"class":…,"score":…}]}};</li>
 *   <li>detection ({@link RemoteConfig.Detection}): N boxes, scores and classes; those at or above
 *       {@code min_score} become detections with boxes mapped from the input tensor to frame pixels
 *       (the resize is undone per axis), rounded and clipped; labels are per class with the highest
 *       score. Raw result, the Argus Serving detection shape:
 *       {@code {"detections":[{"index":class,"class":…,"score":…,"pts":[[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}]}}.</li>
 * </ul>
 */
final class KServeV2Protocol implements RemoteProtocol {

    private final RemoteConfig config;
    private final RemoteConfig.TensorInput input;
    private final URI endpoint;
    /** Input tensor size of the last request (the frame's when not configured). */
    private int inWidth;
    private int inHeight;

    /** @param config a kserve-v2 configuration */
    KServeV2Protocol(RemoteConfig config) {
        this.config = config;
        this.input = config.input();
        String model = URLEncoder.encode(config.model(), StandardCharsets.UTF_8).replace("+", "%20");
        String version = config.version() == null ? ""
                : "/versions/" + URLEncoder.encode(config.version(), StandardCharsets.UTF_8).replace("+", "%20");
        this.endpoint = URI.create(config.url() + "/v2/models/" + model + version + "/infer");
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public byte[] request(Mat bgr, OpContext context) throws Exception {
        int w = input.width() > 0 ? input.width() : bgr.cols();
        int h = input.height() > 0 ? input.height() : bgr.rows();
        inWidth = w;
        inHeight = h;
        byte[] px = pixels(bgr, w, h);
        ByteArrayOutputStream out = new ByteArrayOutputStream(px.length * (input.fp32() ? 10 : 4) + 256);
        try (JsonGenerator g = Answers.JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (context != null) {
                g.writeStringField("id", context.event().getJobId() + "/" + context.event().getSeq());
            }
            g.writeArrayFieldStart("inputs");
            g.writeStartObject();
            g.writeStringField("name", input.name());
            g.writeArrayFieldStart("shape");
            if (input.nchw()) {
                g.writeNumber(1);
                g.writeNumber(3);
                g.writeNumber(h);
                g.writeNumber(w);
            } else {
                g.writeNumber(1);
                g.writeNumber(h);
                g.writeNumber(w);
                g.writeNumber(3);
            }
            g.writeEndArray();
            g.writeStringField("datatype", input.fp32() ? "FP32" : "UINT8");
            g.writeArrayFieldStart("data");
            int n = w * h;
            if (input.nchw()) {
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < n; p++) {
                        value(g, px[p * 3 + c] & 0xff, c);
                    }
                }
            } else {
                for (int i = 0; i < n * 3; i++) {
                    value(g, px[i] & 0xff, i % 3);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void value(JsonGenerator g, int v, int channel) throws java.io.IOException {
        if (input.fp32()) {
            g.writeNumber((float) ((v * input.scale() - input.mean()[channel]) / input.std()[channel]));
        } else {
            g.writeNumber(v);
        }
    }

    /** @return the frame resized to w×h, in the configured channel order, interleaved HWC bytes */
    private byte[] pixels(Mat bgr, int w, int h) {
        Mat resized = bgr;
        Mat ordered = null;
        try {
            if (w != bgr.cols() || h != bgr.rows()) {
                resized = new Mat();
                int interp = (long) w * h < (long) bgr.cols() * bgr.rows() ? opencv_imgproc.INTER_AREA
                        : opencv_imgproc.INTER_LINEAR;
                try (Size size = new Size(w, h)) {
                    opencv_imgproc.resize(bgr, resized, size, 0, 0, interp);
                }
            }
            Mat src = resized;
            if (input.rgb()) {
                ordered = new Mat();
                opencv_imgproc.cvtColor(resized, ordered, opencv_imgproc.COLOR_BGR2RGB);
                src = ordered;
            } else if (!resized.isContinuous()) {
                ordered = resized.clone();
                src = ordered;
            }
            byte[] px = new byte[w * h * 3];
            src.data().get(px);
            return px;
        } finally {
            if (resized != bgr) {
                resized.close();
            }
            if (ordered != null) {
                ordered.close();
            }
        }
    }

    @Override
    public OpOutput answer(HttpPoster.Answer answer, int width, int height) throws RemoteException {
        JsonNode body = Answers.object(endpoint, answer);
        JsonNode outputs = body.get("outputs");
        if (outputs == null || !outputs.isArray() || outputs.isEmpty()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, no outputs: " + HttpPoster.excerpt(answer.body()));
        }
        return config.classification() != null
                ? classify(outputs, config.classification())
                : detect(outputs, config.detection(), width, height);
    }

    private OpOutput classify(JsonNode outputs, RemoteConfig.Classification c) throws RemoteException {
        JsonNode output = c.output() == null ? outputs.get(0) : output(outputs, c.output());
        double[] scores = values(output);
        List<String> names = config.labels();
        if (scores.length != names.size()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, output " + output.path("name").asText()
                    + " has " + scores.length + " values for " + names.size() + " labels");
        }
        activate(scores, c.activation());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            Answers.score(endpoint, "class " + names.get(i) + " (activation " + c.activation() + ")", scores[i]);
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        List<Label> labels = new ArrayList<>();
        ObjectNode result = Answers.JSON.createObjectNode();
        ArrayNode confidences = result.putArray("confidences");
        for (int i : order) {
            if (labels.size() >= c.topK() || scores[i] < c.minScore()) {
                break;
            }
            labels.add(new Label(names.get(i), (float) scores[i]));
            confidences.addObject().put("index", i).put("class", names.get(i)).put("score", (float) scores[i]);
        }
        return new OpOutput(labels, List.of(), result.toString());
    }

    private static void activate(double[] v, String activation) {
        switch (activation) {
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double x : v) {
                    max = Math.max(max, x);
                }
                double sum = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.exp(v[i] - max);
                    sum += v[i];
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] /= sum;
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = 1 / (1 + Math.exp(-v[i]));
                }
            }
            default -> {
                // probabilities already
            }
        }
    }

    private OpOutput detect(JsonNode outputs, RemoteConfig.Detection d, int width, int height) throws RemoteException {
        double[] boxes = values(output(outputs, d.boxes()));
        double[] scores = values(output(outputs, d.scores()));
        double[] classes = values(output(outputs, d.classes()));
        int n = scores.length;
        if (boxes.length != 4 * n || classes.length != n) {
            throw new RemoteException("POST " + endpoint + ": bad answer, " + boxes.length + " box values, "
                    + n + " scores and " + classes.length + " classes do not describe the same detections");
        }
        double sx = d.normalized() ? width : (double) width / inWidth;
        double sy = d.normalized() ? height : (double) height / inHeight;
        List<String> names = config.labels();
        List<Detection> detections = new ArrayList<>();
        ObjectNode result = Answers.JSON.createObjectNode();
        ArrayNode list = result.putArray("detections");
        for (int i = 0; i < n; i++) {
            int cls = (int) Math.round(classes[i]);
            int index = cls - d.classOffset();
            if (index < 0 || index >= names.size()) {
                throw new RemoteException("POST " + endpoint + ": bad answer, class " + cls + " (offset "
                        + d.classOffset() + ") is outside the " + names.size() + " labels");
            }
            String label = names.get(index);
            float score = Answers.score(endpoint, "detection " + label, scores[i]);
            if (score < d.minScore()) {
                continue;
            }
            double a = boxes[4 * i];
            double b = boxes[4 * i + 1];
            double e = boxes[4 * i + 2];
            double f = boxes[4 * i + 3];
            Box box = d.yxyx() ? Answers.clip(b * sx, a * sy, f * sx, e * sy, width, height)
                    : Answers.clip(a * sx, b * sy, e * sx, f * sy, width, height);
            if (box == null) {
                continue;
            }
            detections.add(new Detection(label, score, box, null, null));
            ObjectNode o = list.addObject();
            o.put("index", cls);
            o.put("class", label);
            o.put("score", score);
            ArrayNode pts = o.putArray("pts");
            pts.addArray().add(box.getLeft()).add(box.getTop());
            pts.addArray().add(box.getRight()).add(box.getTop());
            pts.addArray().add(box.getRight()).add(box.getBottom());
            pts.addArray().add(box.getLeft()).add(box.getBottom());
        }
        return new OpOutput(OpOutput.labelsOf(detections), detections, result.toString());
    }

    private JsonNode output(JsonNode outputs, String name) throws RemoteException {
        List<String> seen = new ArrayList<>();
        for (JsonNode o : outputs) {
            String n = o.path("name").asText();
            if (n.equals(name)) {
                return o;
            }
            seen.add(n);
        }
        throw new RemoteException("POST " + endpoint + ": bad answer, no output named " + name + " (outputs: " + seen + ")");
    }

    /** @return the output's data flattened in row-major order */
    private double[] values(JsonNode output) throws RemoteException {
        JsonNode data = output == null ? null : output.get("data");
        if (data == null || !data.isArray()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, output "
                    + (output == null ? "" : output.path("name").asText()) + " has no data array");
        }
        List<Double> flat = new ArrayList<>();
        flatten(data, flat, output.path("name").asText());
        double[] v = new double[flat.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = flat.get(i);
        }
        return v;
    }

    private void flatten(JsonNode node, List<Double> out, String name) throws RemoteException {
        for (JsonNode e : node) {
            if (e.isArray()) {
                flatten(e, out, name);
            } else if (e.isNumber()) {
                out.add(e.asDouble());
            } else {
                throw new RemoteException("POST " + endpoint + ": bad answer, output " + name
                        + " holds a non-numeric value: " + e);
            }
        }
    }
}
