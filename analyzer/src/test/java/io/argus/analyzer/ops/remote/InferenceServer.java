package io.argus.analyzer.ops.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.ops.PersonHogOp;
import io.argus.schemas.avro.Detection;

/**
 * A real HTTP inference service on 127.0.0.1 (the JDK's HTTP server) speaking both protocols, with
 * real models behind it: OpenCV's HOG people detector and a channel-mean "classifier" computed from
 * the pixels it receives. Some endpoints misbehave on purpose (5xx, slow, not JSON, error codes).
 * Counts requests per path and keeps the last request body of each.
 *
 * <p>Argus Serving eval ({@code POST /v1/eval/<cmd>}): {@code person} (HOG on the image of
 * {@code data.uri}, a {@code data:} or {@code file:} URI), {@code brightness} (top-1 of
 * {@code dark}/{@code bright}: mean grey / 255), {@code flaky} (503 on its first call, then as
 * brightness), {@code down} (always 503), {@code slow} (answers after {@link #SLOW_MS} ms),
 * {@code garbage} (200 with HTML), {@code refuse} (code 4001, "image too small").
 *
 * <p>KServe v2 ({@code POST /v2/models/<model>/infer}): {@code channels} (output {@code probs}
 * [1, 3]: each channel's mean over the tensor divided by the sum of the three, in the tensor's own
 * channel order, for UINT8 or FP32, NHWC or NCHW), {@code people} (UINT8 NHWC RGB in; HOG; outputs
 * {@code boxes} [1, N, 4] normalized ymin, xmin, ymax, xmax, {@code scores} [1, N],
 * {@code classes} [1, N] all 1.0), {@code flaky} (503 first, then as channels), {@code broken}
 * (400 {"error":"model broken is not ready"}); each also answers at {@code /v2/models/<model>/versions/2/infer}.
 */
final class InferenceServer implements AutoCloseable {

    /** How long {@code slow} waits before answering, ms. */
    static final long SLOW_MS = 1500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastRequest = new ConcurrentHashMap<>();

    InferenceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** @return base URL, e.g. http://127.0.0.1:43817 */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return requests received on a path, e.g. /v1/eval/flaky */
    int count(String path) {
        AtomicInteger c = counts.get(path);
        return c == null ? 0 : c.get();
    }

    /** @return the last request body on a path */
    JsonNode lastRequest(String path) {
        return lastRequest.get(path);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (ex) {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            lastRequest.put(path, body);
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "{\"error\":\"POST only\"}");
                return;
            }
            if (path.startsWith("/v1/eval/")) {
                eval(ex, path.substring("/v1/eval/".length()), body, n);
            } else if (path.startsWith("/v2/models/") && path.endsWith("/infer")) {
                infer(ex, path.substring("/v2/models/".length(), path.length() - "/infer".length()), body, n);
            } else {
                send(ex, 404, "{\"error\":\"no such endpoint\"}");
            }
        } catch (Exception e) {
            send(ex, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void eval(HttpExchange ex, String cmd, JsonNode body, int n) throws Exception {
        switch (cmd) {
            case "slow" -> {
                Thread.sleep(SLOW_MS);
                ok(ex, brightness(image(body)));
            }
            case "garbage" -> send(ex, 200, "<html>oops</html>");
            case "refuse" -> send(ex, 200, "{\"code\":4001,\"message\":\"image too small\",\"result\":{}}");
            case "down" -> send(ex, 503, "{\"code\":503,\"message\":\"overloaded\"}");
            case "flaky" -> {
                if (n == 1) {
                    send(ex, 503, "{\"message\":\"warming up\"}");
                } else {
                    ok(ex, brightness(image(body)));
                }
            }
            case "brightness" -> ok(ex, brightness(image(body)));
            case "person" -> {
                try (Mat img = image(body); Op hog = PersonHogOp.provider().create()) {
                    ok(ex, JSON.readTree(hog.apply(img).resultJson()));
                }
            }
            default -> send(ex, 404, "{\"code\":404,\"message\":\"no cmd " + cmd + "\"}");
        }
    }

    private void ok(HttpExchange ex, JsonNode result) throws IOException {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("code", 0);
        answer.put("message", "");
        answer.set("result", result);
        send(ex, 200, answer.toString());
    }

    private static JsonNode brightness(Mat img) {
        try (Mat grey = new Mat()) {
            opencv_imgproc.cvtColor(img, grey, opencv_imgproc.COLOR_BGR2GRAY);
            double mean = opencv_core.mean(grey).get(0) / 255;
            ObjectNode result = JSON.createObjectNode();
            ObjectNode top = result.putArray("confidences").addObject();
            top.put("index", mean >= 0.5 ? 1 : 0);
            top.put("class", mean >= 0.5 ? "bright" : "dark");
            top.put("score", mean >= 0.5 ? mean : 1 - mean);
            return result;
        } finally {
            img.close();
        }
    }

    /** Decodes data.uri: a base64 data URI or a file: URI. */
    private static Mat image(JsonNode body) throws IOException {
        String uri = body.path("data").path("uri").asText();
        byte[] bytes;
        if (uri.startsWith("data:image/jpeg;base64,")) {
            bytes = Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1));
        } else if (uri.startsWith("file:")) {
            bytes = Files.readAllBytes(Path.of(URI.create(uri)));
        } else {
            throw new IOException("unsupported uri " + uri);
        }
        Mat img = opencv_imgcodecs.imdecode(new Mat(new BytePointer(bytes)), opencv_imgcodecs.IMREAD_COLOR);
        if (img.empty()) {
            throw new IOException("not an image");
        }
        return img;
    }

    private void infer(HttpExchange ex, String path, JsonNode body, int n) throws Exception {
        // every model also answers as version 2: /v2/models/<model>/versions/2/infer
        String model = path.endsWith("/versions/2") ? path.substring(0, path.length() - "/versions/2".length()) : path;
        switch (model) {
            case "broken" -> send(ex, 400, "{\"error\":\"model broken is not ready\"}");
            case "flaky" -> {
                if (n == 1) {
                    send(ex, 503, "{\"error\":\"warming up\"}");
                } else {
                    channels(ex, model, body);
                }
            }
            case "channels" -> channels(ex, model, body);
            case "people" -> people(ex, body);
            default -> send(ex, 404, "{\"error\":\"no model " + model + "\"}");
        }
    }

    private void channels(HttpExchange ex, String model, JsonNode body) throws IOException {
        JsonNode in = body.path("inputs").get(0);
        JsonNode shape = in.path("shape");
        boolean nchw = shape.get(1).asInt() == 3;
        int h = shape.get(nchw ? 2 : 1).asInt();
        int w = shape.get(nchw ? 3 : 2).asInt();
        JsonNode data = in.path("data");
        if (data.size() != 3 * h * w) {
            send(ex, 400, "{\"error\":\"data has " + data.size() + " values for shape " + shape + "\"}");
            return;
        }
        double[] sum = new double[3];
        for (int i = 0; i < data.size(); i++) {
            int c = nchw ? i / (h * w) : i % 3;
            sum[c] += data.get(i).asDouble();
        }
        double total = sum[0] + sum[1] + sum[2];
        ObjectNode answer = JSON.createObjectNode();
        answer.put("model_name", model);
        answer.put("id", body.path("id").asText());
        ObjectNode out = answer.putArray("outputs").addObject();
        out.put("name", "probs");
        out.putArray("shape").add(1).add(3);
        out.put("datatype", "FP32");
        ArrayNode d = out.putArray("data");
        for (double s : sum) {
            d.add(s / total);
        }
        send(ex, 200, answer.toString());
    }

    private void people(HttpExchange ex, JsonNode body) throws Exception {
        JsonNode in = body.path("inputs").get(0);
        int h = in.path("shape").get(1).asInt();
        int w = in.path("shape").get(2).asInt();
        JsonNode data = in.path("data");
        byte[] px = new byte[h * w * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) data.get(i).asInt();
        }
        List<Detection> found;
        try (Mat rgb = new Mat(h, w, opencv_core.CV_8UC3); Mat bgr = new Mat(); Op hog = PersonHogOp.provider().create()) {
            rgb.data().put(px);
            opencv_imgproc.cvtColor(rgb, bgr, opencv_imgproc.COLOR_RGB2BGR);
            OpOutput out = hog.apply(bgr);
            found = out.detections();
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("model_name", "people");
        ArrayNode outputs = answer.putArray("outputs");
        ObjectNode boxes = outputs.addObject().put("name", "boxes").put("datatype", "FP32");
        boxes.putArray("shape").add(1).add(found.size()).add(4);
        ArrayNode nested = boxes.putArray("data").addArray(); // nested [1][N][4], as some servers send
        ObjectNode scores = outputs.addObject().put("name", "scores").put("datatype", "FP32");
        scores.putArray("shape").add(1).add(found.size());
        ObjectNode classes = outputs.addObject().put("name", "classes").put("datatype", "FP32");
        classes.putArray("shape").add(1).add(found.size());
        ArrayNode s = scores.putArray("data");
        ArrayNode c = classes.putArray("data");
        for (Detection f : found) {
            nested.addArray().add((double) f.getBox().getTop() / h).add((double) f.getBox().getLeft() / w)
                    .add((double) f.getBox().getBottom() / h).add((double) f.getBox().getRight() / w);
            s.add(f.getScore());
            c.add(1.0);
        }
        send(ex, 200, answer.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
