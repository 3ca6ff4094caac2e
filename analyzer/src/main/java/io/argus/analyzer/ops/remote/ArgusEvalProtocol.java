package io.argus.analyzer.ops.remote;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;

/**
 * The original Argus Serving eval protocol (the "SERVING - /v1/eval/&lt;cmd&gt;" ops of the video
 * API spec, e.g. {@code terror-detect}, {@code terror-classify}, {@code detection}).
 *
 * <p>Request: {@code POST <url>/v1/eval/<cmd>} with {@code {"data":{"uri":"…"},"params":{…}}}. The
 * URI is, by default, the frame's stored JPEG inline as {@code data:image/jpeg;base64,…} (the
 * frame store's {@code file:} URIs are local to Argus), or the frame-store URI as is with
 * {@code "image":"uri"}; {@code params} is the op config's {@code params}, omitted when absent.
 *
 * <p>Answer: {@code {"code":0,"message":"","result":{…}}}; a {@code code} other than 0 is an error
 * carrying {@code message}. The result is kept as the frame's raw result, and mapped:
 * <ul>
 *   <li>classification, {@code {"confidences":[{"index":1,"class":"bomb","score":0.97}]}}: one label
 *       per class ({@code class}, else {@code index} as text), with its highest score;</li>
 *   <li>detection, {@code {"detections":[{"index":1,"class":"guns","score":0.9,"pts":[[x,y],…]}]}}:
 *       one detection per entry with the bounding box of {@code pts} (pixels), rounded and clipped to
 *       the frame, and one label per class with its highest score.</li>
 * </ul>
 * Both lists may appear; scores must be numbers in [0, 1].
 */
final class ArgusEvalProtocol implements RemoteProtocol {

    /** JPEG quality used when the frame has to be encoded here (no stored JPEG at hand). */
    static final int JPEG_QUALITY = 95;

    private final RemoteConfig config;
    private final URI endpoint;

    /** @param config an argus-eval configuration */
    ArgusEvalProtocol(RemoteConfig config) {
        this.config = config;
        this.endpoint = URI.create(config.url() + "/v1/eval/"
                + URLEncoder.encode(config.cmd(), StandardCharsets.UTF_8).replace("+", "%20"));
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public byte[] request(Mat bgr, OpContext context) throws Exception {
        String uri;
        if (!config.inlineImage()) {
            if (context == null || context.event().getUri() == null) {
                throw new IllegalStateException("op " + config.name() + " sends frame URIs (image: uri) but the frame has none");
            }
            uri = context.event().getUri();
        } else {
            byte[] jpeg = context != null ? context.jpeg() : encode(bgr);
            uri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
        }
        ObjectNode body = Answers.JSON.createObjectNode();
        body.putObject("data").put("uri", uri);
        if (config.params() != null) {
            body.set("params", config.params());
        }
        return Answers.JSON.writeValueAsBytes(body);
    }

    private static byte[] encode(Mat bgr) {
        try (BytePointer out = new BytePointer();
             org.bytedeco.javacpp.IntPointer params = new org.bytedeco.javacpp.IntPointer(
                     opencv_imgcodecs.IMWRITE_JPEG_QUALITY, JPEG_QUALITY)) {
            if (!opencv_imgcodecs.imencode(".jpg", bgr, out, params)) {
                throw new IllegalStateException("cannot encode the frame as JPEG");
            }
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }

    @Override
    public OpOutput answer(HttpPoster.Answer answer, int width, int height) throws RemoteException {
        JsonNode body = Answers.object(endpoint, answer);
        JsonNode code = body.get("code");
        if (code != null && !code.isNull() && !(code.isNumber() && code.asLong() == 0)) {
            String message = body.path("message").asText("");
            throw new RemoteException("POST " + endpoint + ": service answered code " + code.asText()
                    + (message.isBlank() ? " (no message)" : ": " + message));
        }
        JsonNode result = body.get("result");
        if (result == null || !result.isObject()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, no result object: "
                    + HttpPoster.excerpt(answer.body()));
        }
        Map<String, Float> best = new LinkedHashMap<>();
        JsonNode confidences = result.get("confidences");
        if (confidences != null && !confidences.isNull()) {
            if (!confidences.isArray()) {
                throw new RemoteException("POST " + endpoint + ": bad answer, result.confidences is not an array");
            }
            for (JsonNode c : confidences) {
                String label = className(c, "confidence");
                best.merge(label, Answers.score(endpoint, "class " + label, c.get("score")), Math::max);
            }
        }
        List<Detection> detections = new ArrayList<>();
        JsonNode list = result.get("detections");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new RemoteException("POST " + endpoint + ": bad answer, result.detections is not an array");
            }
            for (JsonNode d : list) {
                String label = className(d, "detection");
                float score = Answers.score(endpoint, "detection " + label, d.get("score"));
                Box box = box(d.get("pts"), label, width, height);
                if (box != null) {
                    detections.add(new Detection(label, score, box, null, null));
                }
                best.merge(label, score, Math::max);
            }
        }
        List<Label> labels = new ArrayList<>();
        best.forEach((k, v) -> labels.add(new Label(k, v)));
        return new OpOutput(labels, detections, result.toString());
    }

    private String className(JsonNode entry, String what) throws RemoteException {
        if (entry == null || !entry.isObject()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, a " + what + " is not an object");
        }
        JsonNode c = entry.get("class");
        if (c != null && (c.isTextual() || c.isNumber()) && !c.asText().isBlank()) {
            return c.asText();
        }
        JsonNode i = entry.get("index");
        if (i != null && i.isIntegralNumber()) {
            return i.asText();
        }
        throw new RemoteException("POST " + endpoint + ": bad answer, a " + what + " has neither class nor index");
    }

    private Box box(JsonNode pts, String label, int width, int height) throws RemoteException {
        if (pts == null || !pts.isArray() || pts.isEmpty()) {
            throw new RemoteException("POST " + endpoint + ": bad answer, detection " + label + " has no pts");
        }
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (JsonNode p : pts) {
            if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new RemoteException("POST " + endpoint + ": bad answer, detection " + label
                        + " has a point that is not [x, y]: " + p);
            }
            x0 = Math.min(x0, p.get(0).asDouble());
            x1 = Math.max(x1, p.get(0).asDouble());
            y0 = Math.min(y0, p.get(1).asDouble());
            y1 = Math.max(y1, p.get(1).asDouble());
        }
        return Answers.clip(x0, y0, x1, y1, width, height);
    }
}
