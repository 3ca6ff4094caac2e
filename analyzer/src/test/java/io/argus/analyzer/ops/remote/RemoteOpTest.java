package io.argus.analyzer.ops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.FrameAnalysis;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.op.OpsConfig;
import io.argus.analyzer.ops.PersonHogOp;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;

/**
 * Remote ops against a real local HTTP inference service ({@link InferenceServer}) in both
 * protocols, run through {@link FrameAnalysis} on real vtest.avi frames (0 s and 10 s) kept in a
 * real frame store. Expected answers are computed here from the same frames with the same real
 * components the service runs (HOG people detector, channel means), never written in.
 */
class RemoteOpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static InferenceServer server;
    private static LocalFrameStore store;
    private static List<FrameEvent> frames;

    @BeforeAll
    static void setUp() throws Exception {
        server = new InferenceServer();
        store = new LocalFrameStore(dir);
        frames = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                SamplingSpec.every(10_000));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            long seq = 0;
            while (seq < 2 && (f = s.next()) != null) {
                URI uri = store.put(StoreKeys.frame("job", seq), enc.encode(f.image()));
                frames.add(FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME)
                        .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString()).setOps(List.of()).build());
            }
        }
        assertThat(frames).hasSize(2);
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    // ---- Argus Serving eval ---------------------------------------------------------------

    @Test
    void evalDetectionMapsTheServiceAnswerAndSendsTheJpegInline() throws Exception {
        RemoteOpProvider op = provider("{\"name\":\"remote_person\",\"kind\":\"remote\",\"protocol\":\"argus-eval\","
                + "\"url\":\"" + server.url() + "/\",\"cmd\":\"person\",\"labels\":[\"person\"]}");
        assertThat(op.name()).isEqualTo("remote_person");
        assertThat(op.labels()).containsExactly("person");
        int people = 0;
        try (FrameAnalysis analysis = analysis(op); Op hog = PersonHogOp.provider().create()) {
            for (FrameEvent frame : frames) {
                FrameResult r = analysis.analyze(on(frame, "remote_person")).get(0);
                assertThat(r.getError()).isNull();
                byte[] jpeg = store.get(URI.create(frame.getUri()));
                JsonNode request = server.lastRequest("/v1/eval/person");
                String uri = request.path("data").path("uri").asText();
                assertThat(uri).startsWith("data:image/jpeg;base64,");
                assertThat(Base64.getDecoder().decode(uri.substring(uri.indexOf(',') + 1))).isEqualTo(jpeg);
                assertThat(request.has("params")).isFalse();

                OpOutput local;
                try (Mat img = decode(jpeg)) {
                    local = hog.apply(img);
                }
                assertThat(r.getDetections()).isEqualTo(local.detections());
                assertThat(r.getLabels()).isEqualTo(local.labels());
                assertThat(JSON.readTree(r.getResultJson())).isEqualTo(JSON.readTree(local.resultJson()));
                people += r.getDetections().size();
            }
        }
        assertThat(people).as("HOG finds pedestrians on vtest").isGreaterThanOrEqualTo(2);
        assertThat(server.count("/v1/eval/person")).isEqualTo(2);
    }

    @Test
    void evalClassificationWithFrameUrisAndParams() throws Exception {
        RemoteOpProvider op = provider("{\"name\":\"remote_cls\",\"kind\":\"remote\",\"url\":\"" + server.url()
                + "\",\"cmd\":\"brightness\",\"image\":\"uri\",\"params\":{\"limit\":1},\"labels\":[\"dark\",\"bright\"]}");
        try (FrameAnalysis analysis = analysis(op)) {
            for (FrameEvent frame : frames) {
                FrameResult r = analysis.analyze(on(frame, "remote_cls")).get(0);
                assertThat(r.getError()).isNull();
                JsonNode request = server.lastRequest("/v1/eval/brightness");
                assertThat(request.path("data").path("uri").asText()).isEqualTo(frame.getUri());
                assertThat(request.path("params").path("limit").asInt()).isEqualTo(1);
                double mean = meanGrey(store.get(URI.create(frame.getUri())));
                assertThat(r.getLabels()).hasSize(1);
                assertThat(r.getLabels().get(0).getLabel()).isEqualTo(mean >= 0.5 ? "bright" : "dark");
                assertThat((double) r.getLabels().get(0).getScore()).isCloseTo(mean >= 0.5 ? mean : 1 - mean, within(1e-6));
                assertThat(r.getDetections()).isEmpty();
                assertThat(JSON.readTree(r.getResultJson()).path("confidences").get(0).path("class").asText())
                        .isEqualTo(r.getLabels().get(0).getLabel());
            }
        }
    }

    @Test
    void evalRetriesOnceOn5xx() throws Exception {
        RemoteOpProvider flaky = provider("{\"name\":\"flaky\",\"url\":\"" + server.url()
                + "\",\"cmd\":\"flaky\",\"retry_delay_ms\":50}");
        RemoteOpProvider down = provider("{\"name\":\"down\",\"url\":\"" + server.url()
                + "\",\"cmd\":\"down\",\"retry_delay_ms\":50}");
        try (FrameAnalysis analysis = analysis(flaky, down)) {
            List<FrameResult> results = analysis.analyze(on(frames.get(0), "flaky", "down"));
            assertThat(results.get(0).getError()).isNull();
            assertThat(results.get(0).getLabels()).hasSize(1);
            assertThat(server.count("/v1/eval/flaky")).as("the 503 and the retry").isEqualTo(2);
            assertThat(results.get(1).getError()).isEqualTo("down failed: POST " + server.url()
                    + "/v1/eval/down: HTTP 503 after 2 attempts: overloaded");
            assertThat(results.get(1).getLabels()).isEmpty();
            assertThat(server.count("/v1/eval/down")).isEqualTo(2);
        }
    }

    @Test
    void evalTimeoutFailsTheFrameWithinAboutTheTimeoutAndOtherOpsGoOn() throws Exception {
        RemoteOpProvider slow = provider("{\"name\":\"slow\",\"url\":\"" + server.url()
                + "\",\"cmd\":\"slow\",\"timeout_ms\":300}");
        RemoteOpProvider fine = provider("{\"name\":\"fine\",\"url\":\"" + server.url() + "\",\"cmd\":\"brightness\"}");
        try (FrameAnalysis analysis = analysis(slow, fine)) {
            long t0 = System.nanoTime();
            List<FrameResult> results = analysis.analyze(on(frames.get(1), "slow", "fine"));
            FrameResult r = results.get(0);
            double ms = r.getProcessingMs();
            System.out.printf("remote timeout: failed after %.0f ms (timeout_ms 300, service sleeps %d ms); "
                    + "frame done in %.0f ms%n", ms, InferenceServer.SLOW_MS, (System.nanoTime() - t0) / 1e6);
            assertThat(r.getError()).isEqualTo("slow failed: POST " + server.url()
                    + "/v1/eval/slow: no answer within 300 ms (timeout_ms)");
            assertThat(ms).isBetween(290.0, 1000.0);
            assertThat(server.count("/v1/eval/slow")).as("a timeout is not retried").isEqualTo(1);
            assertThat(results.get(1).getError()).isNull();
            assertThat(results.get(1).getLabels()).hasSize(1);
        }
    }

    @Test
    void evalBadAnswersAndErrorCodesBecomeFrameErrors() throws Exception {
        RemoteOpProvider garbage = provider("{\"name\":\"garbage\",\"url\":\"" + server.url() + "\",\"cmd\":\"garbage\"}");
        RemoteOpProvider refuse = provider("{\"name\":\"refuse\",\"url\":\"" + server.url() + "\",\"cmd\":\"refuse\"}");
        RemoteOpProvider unknown = provider("{\"name\":\"unknown\",\"url\":\"" + server.url() + "\",\"cmd\":\"nope\"}");
        try (FrameAnalysis analysis = analysis(garbage, refuse, unknown)) {
            List<FrameResult> results = analysis.analyze(on(frames.get(0), "garbage", "refuse", "unknown"));
            assertThat(results.get(0).getError()).startsWith("garbage failed: POST " + server.url()
                    + "/v1/eval/garbage: bad answer, not JSON").endsWith("<html>oops</html>");
            assertThat(results.get(1).getError()).isEqualTo("refuse failed: POST " + server.url()
                    + "/v1/eval/refuse: service answered code 4001: image too small");
            assertThat(results.get(2).getError()).isEqualTo("unknown failed: POST " + server.url()
                    + "/v1/eval/nope: HTTP 404: no cmd nope");
            assertThat(results).allSatisfy(r -> {
                assertThat(r.getLabels()).isEmpty();
                assertThat(r.getResultJson()).isEqualTo("{}");
            });
        }
    }

    @Test
    void unreachableServiceIsTriedTwiceThenFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RemoteOpProvider op = provider("{\"name\":\"gone\",\"url\":\"http://127.0.0.1:" + port
                + "\",\"cmd\":\"x\",\"retry_delay_ms\":20}");
        try (FrameAnalysis analysis = analysis(op)) {
            FrameResult r = analysis.analyze(on(frames.get(0), "gone")).get(0);
            assertThat(r.getError()).startsWith("gone failed: POST http://127.0.0.1:" + port
                    + "/v1/eval/x: cannot reach the service (2 attempts): ConnectException");
        }
    }

    // ---- KServe v2 ------------------------------------------------------------------------

    @Test
    void kserveClassificationNhwcUint8Rgb() throws Exception {
        RemoteOpProvider op = provider("{\"name\":\"colour\",\"kind\":\"remote\",\"protocol\":\"kserve-v2\",\"url\":\""
                + server.url() + "\",\"model\":\"channels\",\"family\":\"classification\",\"output\":\"probs\","
                + "\"top_k\":3,\"labels\":[\"red\",\"green\",\"blue\"],"
                + "\"input\":{\"name\":\"image\",\"width\":64,\"height\":48}}");
        try (FrameAnalysis analysis = analysis(op)) {
            for (FrameEvent frame : frames) {
                FrameResult r = analysis.analyze(on(frame, "colour")).get(0);
                assertThat(r.getError()).isNull();
                JsonNode in = server.lastRequest("/v2/models/channels/infer").path("inputs").get(0);
                assertThat(in.path("name").asText()).isEqualTo("image");
                assertThat(in.path("shape").toString()).isEqualTo("[1,48,64,3]");
                assertThat(in.path("datatype").asText()).isEqualTo("UINT8");
                assertThat(in.path("data").size()).isEqualTo(48 * 64 * 3);
                assertThat(server.lastRequest("/v2/models/channels/infer").path("id").asText())
                        .isEqualTo("job/" + frame.getSeq());

                double[] bgr = channelMeans(store.get(URI.create(frame.getUri())), 64, 48, 1, new double[3], new double[] {1, 1, 1});
                double sum = bgr[0] + bgr[1] + bgr[2];
                double[] expected = {bgr[2] / sum, bgr[1] / sum, bgr[0] / sum}; // red, green, blue
                assertThat(r.getLabels()).hasSize(3);
                assertThat(r.getLabels()).extracting(l -> l.getScore()).isSortedAccordingTo((a, b) -> Float.compare(b, a));
                for (var l : r.getLabels()) {
                    int i = List.of("red", "green", "blue").indexOf(l.getLabel());
                    // the service sums the UINT8 values the op sent; OpenCV's mean of the same resize
                    assertThat((double) l.getScore()).as(l.getLabel()).isCloseTo(expected[i], within(1e-4));
                }
                assertThat(JSON.readTree(r.getResultJson()).path("confidences").size()).isEqualTo(3);
            }
        }
    }

    @Test
    void kserveClassificationNchwFp32BgrWithNormalisationAndVersion() throws Exception {
        double scale = 1 / 255.0;
        double[] mean = {0.1, 0.2, 0.05};
        double[] std = {0.5, 0.25, 0.5};
        RemoteOpProvider op = provider("{\"name\":\"colour\",\"protocol\":\"kserve-v2\",\"url\":\"" + server.url()
                + "\",\"model\":\"channels\",\"family\":\"classification\",\"labels\":[\"blue\",\"green\",\"red\"],"
                + "\"min_score\":0.2,\"top_k\":2,\"input\":{\"width\":32,\"height\":24,\"layout\":\"NCHW\","
                + "\"datatype\":\"FP32\",\"color\":\"BGR\",\"scale\":" + scale + ",\"mean\":" + Arrays.toString(mean)
                + ",\"std\":" + Arrays.toString(std) + "}}");
        try (FrameAnalysis analysis = analysis(op)) {
            FrameEvent frame = frames.get(1);
            FrameResult r = analysis.analyze(on(frame, "colour")).get(0);
            assertThat(r.getError()).isNull();
            JsonNode in = server.lastRequest("/v2/models/channels/infer").path("inputs").get(0);
            assertThat(in.path("shape").toString()).isEqualTo("[1,3,24,32]");
            assertThat(in.path("datatype").asText()).isEqualTo("FP32");
            double[] v = channelMeans(store.get(URI.create(frame.getUri())), 32, 24, scale, mean, std);
            double sum = v[0] + v[1] + v[2];
            List<String> names = List.of("blue", "green", "red");
            List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
            order.sort((a, b) -> Double.compare(v[b], v[a]));
            List<String> expected = order.stream().filter(i -> v[i] / sum >= 0.2).limit(2).map(names::get).toList();
            assertThat(expected).isNotEmpty();
            assertThat(r.getLabels()).extracting(l -> l.getLabel()).containsExactlyElementsOf(expected);
            for (var l : r.getLabels()) {
                assertThat((double) l.getScore()).isCloseTo(v[names.indexOf(l.getLabel())] / sum, within(1e-4));
            }
        }
        RemoteOpProvider versioned = provider("{\"name\":\"v\",\"protocol\":\"kserve-v2\",\"url\":\"" + server.url()
                + "\",\"model\":\"channels\",\"version\":\"2\",\"family\":\"classification\",\"labels\":[\"a\",\"b\",\"c\"]}");
        try (FrameAnalysis analysis = analysis(versioned)) {
            FrameResult r = analysis.analyze(on(frames.get(0), "v")).get(0);
            assertThat(r.getError()).isNull();
            assertThat(server.count("/v2/models/channels/versions/2/infer")).isEqualTo(1);
            assertThat(r.getLabels()).hasSize(1);
        }
    }

    @Test
    void kserveDetectionMapsBoxesBackToFramePixels() throws Exception {
        RemoteOpProvider op = provider("{\"name\":\"people\",\"protocol\":\"kserve-v2\",\"url\":\"" + server.url()
                + "\",\"model\":\"people\",\"family\":\"detection\",\"labels\":[\"person\"],\"class_offset\":1,"
                + "\"outputs\":{\"boxes\":\"boxes\",\"scores\":\"scores\",\"classes\":\"classes\"},"
                + "\"box_format\":\"yxyx\",\"min_score\":0.5,\"timeout_ms\":30000}");
        int found = 0;
        try (FrameAnalysis analysis = analysis(op); Op hog = PersonHogOp.provider().create()) {
            for (FrameEvent frame : frames) {
                long t0 = System.nanoTime();
                FrameResult r = analysis.analyze(on(frame, "people")).get(0);
                System.out.printf("kserve detection, 768x576 UINT8 tensor as JSON: %.0f ms per frame%n",
                        (System.nanoTime() - t0) / 1e6);
                assertThat(r.getError()).isNull();
                assertThat(server.lastRequest("/v2/models/people/infer").path("inputs").get(0).path("shape").toString())
                        .isEqualTo("[1,576,768,3]");
                List<Detection> local;
                try (Mat img = decode(store.get(URI.create(frame.getUri())))) {
                    local = hog.apply(img).detections();
                }
                assertThat(r.getDetections()).hasSameSizeAs(local);
                for (int i = 0; i < local.size(); i++) {
                    Detection a = r.getDetections().get(i);
                    Detection b = local.get(i);
                    assertThat(a.getLabel()).isEqualTo("person");
                    assertThat(a.getScore()).isEqualTo(b.getScore());
                    // normalized through the service and back: exact up to float rounding
                    assertThat(a.getBox().getLeft()).isCloseTo(b.getBox().getLeft(), within(1));
                    assertThat(a.getBox().getTop()).isCloseTo(b.getBox().getTop(), within(1));
                    assertThat(a.getBox().getRight()).isCloseTo(b.getBox().getRight(), within(1));
                    assertThat(a.getBox().getBottom()).isCloseTo(b.getBox().getBottom(), within(1));
                }
                assertThat(r.getLabels()).extracting(l -> l.getLabel())
                        .containsExactlyElementsOf(local.isEmpty() ? List.of() : List.of("person"));
                JsonNode raw = JSON.readTree(r.getResultJson());
                assertThat(raw.path("detections").size()).isEqualTo(local.size());
                found += local.size();
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
    }

    @Test
    void kserveErrorsRetriesAndMismatchedOutputs() throws Exception {
        String base = "\"protocol\":\"kserve-v2\",\"url\":\"" + server.url() + "\",\"family\":\"classification\","
                + "\"retry_delay_ms\":20,\"input\":{\"width\":16,\"height\":16}";
        RemoteOpProvider broken = provider("{\"name\":\"broken\"," + base + ",\"model\":\"broken\",\"labels\":[\"a\",\"b\",\"c\"]}");
        RemoteOpProvider flaky = provider("{\"name\":\"flaky\"," + base + ",\"model\":\"flaky\",\"labels\":[\"a\",\"b\",\"c\"]}");
        RemoteOpProvider two = provider("{\"name\":\"two\"," + base + ",\"model\":\"channels\",\"labels\":[\"a\",\"b\"]}");
        RemoteOpProvider named = provider("{\"name\":\"named\"," + base + ",\"model\":\"channels\",\"output\":\"logits\","
                + "\"labels\":[\"a\",\"b\",\"c\"]}");
        try (FrameAnalysis analysis = analysis(broken, flaky, two, named)) {
            List<FrameResult> results = analysis.analyze(on(frames.get(0), "broken", "flaky", "two", "named"));
            assertThat(results.get(0).getError()).isEqualTo("broken failed: POST " + server.url()
                    + "/v2/models/broken/infer: HTTP 400: model broken is not ready");
            assertThat(results.get(1).getError()).isNull();
            assertThat(results.get(1).getLabels()).hasSize(1);
            assertThat(server.count("/v2/models/flaky/infer")).isEqualTo(2);
            assertThat(results.get(2).getError()).isEqualTo("two failed: POST " + server.url()
                    + "/v2/models/channels/infer: bad answer, output probs has 3 values for 2 labels");
            assertThat(results.get(3).getError()).isEqualTo("named failed: POST " + server.url()
                    + "/v2/models/channels/infer: bad answer, no output named logits (outputs: [probs])");
        }
    }

    // ---- configuration --------------------------------------------------------------------

    @Test
    void remoteOpsComeFromTheOpsConfigFileOfTheModelsDirectory(@TempDir Path models) throws Exception {
        Files.writeString(models.resolve(OpsConfig.FILE_NAME),
                "{\"ops\":[{\"name\":\"remote_cls\",\"kind\":\"remote\",\"protocol\":\"argus-eval\",\"url\":\""
                + server.url() + "\",\"cmd\":\"brightness\",\"labels\":[\"dark\",\"bright\"],\"timeout_ms\":2000}]}");
        OpRegistry registry = OpRegistry.builtin(models);
        assertThat(registry.names()).contains("remote_cls", "person");
        assertThat(registry.get("remote_cls").orElseThrow().labels()).containsExactly("dark", "bright");
        try (FrameAnalysis analysis = new FrameAnalysis(registry, store)) {
            FrameResult r = analysis.analyze(on(frames.get(0), "remote_cls")).get(0);
            assertThat(r.getError()).isNull();
            assertThat(r.getLabels()).extracting(l -> l.getLabel()).containsAnyOf("dark", "bright");
        }
        Files.writeString(models.resolve(OpsConfig.FILE_NAME),
                "{\"ops\":[{\"name\":\"remote_cls\",\"kind\":\"remote\",\"cmd\":\"brightness\"}]}");
        assertThatThrownBy(() -> OpRegistry.builtin(models))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remote op remote_cls: url is required");
    }

    @Test
    void invalidConfigurationsAreRejectedWithTheOpAndKey() {
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"cmd\":\"c\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("remote op x: url is required");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"ftp://h\",\"cmd\":\"c\"}"))
                .hasMessage("remote op x: url must be an http(s) URL with a host, got \"ftp://h\"");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\",\"protocol\":\"grpc\"}"))
                .hasMessage("remote op x: protocol must be \"argus-eval\" or \"kserve-v2\", got \"grpc\"");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\"}"))
                .hasMessage("remote op x: cmd is required");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\",\"protocol\":\"kserve-v2\",\"model\":\"m\"}"))
                .hasMessage("remote op x: labels is required for kserve-v2 (class names by index)");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\",\"protocol\":\"kserve-v2\",\"model\":\"m\","
                + "\"labels\":[\"a\"],\"family\":\"detection\"}"))
                .hasMessage("remote op x: outputs must be an object {\"boxes\":…,\"scores\":…,\"classes\":…}");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\",\"cmd\":\"c\",\"timeout_ms\":0}"))
                .hasMessage("remote op x: timeout_ms must be an integer in [1, 600000], got 0");
        assertThatThrownBy(() -> provider("{\"name\":\"x\",\"url\":\"http://h\",\"protocol\":\"kserve-v2\",\"model\":\"m\","
                + "\"labels\":[\"a\"],\"family\":\"classification\",\"input\":{\"layout\":\"CHW\"}}"))
                .hasMessage("remote op x input: layout must be \"NHWC\" or \"NCHW\", got \"CHW\"");
    }

    // ---- helpers --------------------------------------------------------------------------

    private static RemoteOpProvider provider(String json) throws Exception {
        return RemoteOpProvider.fromConfig(JSON.readTree(json));
    }

    private static FrameAnalysis analysis(OpProvider... ops) {
        return new FrameAnalysis(new OpRegistry(List.of(ops)), store);
    }

    private static FrameEvent on(FrameEvent frame, String... ops) {
        return FrameEvent.newBuilder(frame).setOps(List.of(ops)).build();
    }

    private static Mat decode(byte[] jpeg) {
        return opencv_imgcodecs.imdecode(new Mat(new BytePointer(jpeg)), opencv_imgcodecs.IMREAD_COLOR);
    }

    private static double meanGrey(byte[] jpeg) {
        try (Mat img = decode(jpeg); Mat grey = new Mat()) {
            opencv_imgproc.cvtColor(img, grey, opencv_imgproc.COLOR_BGR2GRAY);
            return opencv_core.mean(grey).get(0) / 255;
        }
    }

    /** @return per BGR channel, the mean of (pixel * scale - mean[c]) / std[c] over the frame resized to w×h */
    private static double[] channelMeans(byte[] jpeg, int w, int h, double scale, double[] mean, double[] std) {
        try (Mat img = decode(jpeg); Mat small = new Mat()) {
            opencv_imgproc.resize(img, small, new Size(w, h), 0, 0, opencv_imgproc.INTER_AREA);
            Scalar m = opencv_core.mean(small);
            return new double[] {(m.get(0) * scale - mean[0]) / std[0], (m.get(1) * scale - mean[1]) / std[1],
                    (m.get(2) * scale - mean[2]) / std[2]};
        }
    }
}
