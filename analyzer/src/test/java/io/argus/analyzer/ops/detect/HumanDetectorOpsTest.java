package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;

/**
 * The {@code detection-nanodet} and {@code detection-centernet} ops, registered by the built-in
 * detection plug-in once their models are installed (from npm, {@link HumanTestModels}), on frame 30
 * of the committed clip {@code person-bicycle-car-detection-preview.mp4} (480×270). Its boxes in
 * eval/annotations.json: a car at (38, 37)–(141, 118), a bicycle at (365, 27)–(412, 61), a person
 * at (386, 9)–(401, 40). Checks the raw result has {@code detection}'s shape (index = COCO id,
 * class, score, four corner points in frame pixels), the car is found at threshold 0.3 (NanoDet
 * scores it 0.40, CenterNet 0.43), and
 * {@code params.threshold} lowers and raises the cut.
 */
class HumanDetectorOpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpRegistry registry;
    private static Mat frame;

    @BeforeAll
    static void setUp() throws Exception {
        registry = OpRegistry.builtin(HumanTestModels.install());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(
                Path.of("..", "eval", "clips", "person-bicycle-car-detection-preview.mp4").toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f = null;
            for (int i = 0; i <= 30; i++) {
                f = g.grabImage();
            }
            frame = conv.convert(f).clone();
            g.stop();
        }
    }

    private static OpOutput run(Op op, String name, String params) throws Exception {
        FrameEvent event = FrameEvent.newBuilder().setJobId("j").setVideoId("v").setKind(FrameKind.FRAME).setSeq(30)
                .setOffsetMs(0).setWidth(480).setHeight(270).setOps(List.of(name))
                .setOpParams(params == null ? Map.of() : Map.of(name, params)).build();
        return op.apply(frame, new OpContext(event, name, null, null));
    }

    @Test
    void bothOpsAreRegisteredAndFindTheCarInDetectionsShape() throws Exception {
        assertThat(registry.names()).contains(ObjectDetection.NANODET_NAME, ObjectDetection.CENTERNET_NAME);
        for (String name : List.of(ObjectDetection.NANODET_NAME, ObjectDetection.CENTERNET_NAME)) {
            OpProvider p = registry.get(name).orElseThrow();
            assertThat(p.labels()).hasSize(80).contains("person", "car", "bicycle");
            assertThat(p.params()).extracting(io.argus.schemas.ops.OpParam::name).containsExactly("threshold", "tiles", "class_thresholds");
            try (Op op = p.create()) {
                OpOutput out = run(op, name, "{\"threshold\":0.3}");
                JsonNode dets = JSON.readTree(out.resultJson()).path("detections");
                System.out.println(name + " on preview#30: " + dets);
                assertThat(dets.size()).isPositive();
                boolean car = false;
                for (JsonNode d : dets) {
                    assertThat(d.path("score").asDouble()).isBetween(0.3, 1.0);
                    assertThat(CocoLabels.BY_INDEX.get(d.path("index").asInt() - 1)).isEqualTo(d.path("class").asText());
                    JsonNode pts = d.path("pts");
                    assertThat(pts.size()).isEqualTo(4);
                    int x0 = pts.get(0).get(0).asInt();
                    int y0 = pts.get(0).get(1).asInt();
                    int x1 = pts.get(2).get(0).asInt();
                    int y1 = pts.get(2).get(1).asInt();
                    assertThat(pts.get(1).get(0).asInt()).isEqualTo(x1);
                    assertThat(pts.get(3).get(1).asInt()).isEqualTo(y1);
                    assertThat(x0).isBetween(0, x1 - 1);
                    assertThat(y0).isBetween(0, y1 - 1);
                    assertThat(x1).isLessThanOrEqualTo(480);
                    assertThat(y1).isLessThanOrEqualTo(270);
                    if (d.path("class").asText().equals("car") && d.path("index").asInt() == 3) {
                        car |= iou(x0, y0, x1, y1, 38, 37, 141, 118) >= 0.5;
                    }
                }
                assertThat(car).as(name + " finds the car").isTrue();
                assertThat(out.detections()).hasSize(dets.size());
            }
        }
    }

    @Test
    void paramsThresholdMovesTheCut() throws Exception {
        for (String name : List.of(ObjectDetection.NANODET_NAME, ObjectDetection.CENTERNET_NAME)) {
            try (Op op = registry.get(name).orElseThrow().create()) {
                JsonNode low = JSON.readTree(run(op, name, "{\"threshold\":0.1}").resultJson()).path("detections");
                JsonNode dflt = JSON.readTree(run(op, name, null).resultJson()).path("detections");
                JsonNode high = JSON.readTree(run(op, name, "{\"threshold\":0.99}").resultJson()).path("detections");
                assertThat(low.size()).as(name).isGreaterThan(dflt.size());
                assertThat(high.size()).as(name).isZero();
                for (JsonNode d : low) {
                    assertThat(d.path("score").asDouble()).isGreaterThanOrEqualTo(0.1);
                }
                assertThatThrownBy(() -> run(op, name, "{\"threshold\":1.5}"))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
            }
        }
    }

    private static double iou(int ax0, int ay0, int ax1, int ay1, int bx0, int by0, int bx1, int by1) {
        double iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
        double ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
        double inter = iw * ih;
        return inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter);
    }
}
