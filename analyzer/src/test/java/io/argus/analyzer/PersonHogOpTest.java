package io.argus.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
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
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;

/**
 * The person op on real vtest.avi frames. Frames at 0, 10 and 20 s were looked at by hand
 * (annotated copies are written to target/person-*.jpg): each shows several pedestrians
 * on the campus path.
 */
class PersonHogOpTest {

    @Test
    void findsPeopleOnVtestFrames(@TempDir Path dir) throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> frames = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(10_000));
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            long seq = 0;
            while ((f = s.next()) != null && seq < 3) {
                var uri = store.put(StoreKeys.frame("job", seq), enc.encode(f.image()));
                frames.add(FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME)
                        .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString())
                        .setOps(List.of("person", "no-such-op")).build());
            }
        }
        try (FrameAnalysis analysis = new FrameAnalysis(OpRegistry.builtin(), store)) {
            for (FrameEvent frame : frames) {
                List<FrameResult> results = analysis.analyze(frame);
                assertThat(results).extracting(FrameResult::getOp).containsExactly("person", "no-such-op");
                FrameResult person = results.get(0);
                assertThat(person.getError()).isNull();
                assertThat(person.getDetections()).hasSizeGreaterThanOrEqualTo(1);
                assertThat(person.getLabels()).hasSize(1);
                assertThat(person.getLabels().get(0).getLabel()).isEqualTo("person");
                for (Detection d : person.getDetections()) {
                    assertThat(d.getScore()).isBetween(0.5f, 1f);
                    assertThat(d.getBox().getLeft()).isBetween(0, 767);
                    assertThat(d.getBox().getRight()).isBetween(d.getBox().getLeft() + 1, 768);
                    assertThat(d.getBox().getBottom()).isBetween(d.getBox().getTop() + 1, 576);
                    // a standing pedestrian: taller than wide
                    assertThat(d.getBox().getBottom() - d.getBox().getTop())
                            .isGreaterThan(d.getBox().getRight() - d.getBox().getLeft());
                }
                assertThat(person.getResultJson()).contains("\"class\":\"person\"").contains("\"pts\"");
                assertThat(results.get(1).getError()).isEqualTo("bad op");
                annotate(store, frame, person);
            }
        }
    }

    @Test
    void thresholdDropsDetectionsScoringBelowIt(@TempDir Path dir) throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        LocalFrameStore store = new LocalFrameStore(dir);
        java.net.URI uri;
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(10_000));
             JpegEncoder enc = new JpegEncoder()) {
            uri = store.put(StoreKeys.frame("job", 0), enc.encode(s.next().image()));
        }
        OpRegistry hog = new OpRegistry(List.of(PersonHogOp.provider()));
        try (FrameAnalysis analysis = new FrameAnalysis(hog, store)) {
            List<Float> all = analysis.analyze(frame(uri, null)).get(0).getDetections().stream()
                    .map(Detection::getScore).toList();
            assertThat(all).isNotEmpty();
            float cut = all.stream().sorted().toList().get(all.size() / 2);
            FrameResult some = analysis.analyze(frame(uri, "{\"threshold\":" + cut + "}")).get(0);
            assertThat(some.getDetections()).extracting(Detection::getScore)
                    .containsExactlyInAnyOrderElementsOf(all.stream().filter(x -> x >= cut).toList());
            assertThat(analysis.analyze(frame(uri, "{\"threshold\":1}")).get(0).getDetections()).isEmpty();
            assertThat(analysis.analyze(frame(uri, "{\"threshold\":0}")).get(0).getDetections()).hasSize(all.size());
            assertThat(analysis.analyze(frame(uri, "{\"threshold\":\"abc\"}")).get(0).getError())
                    .contains("params.threshold must be a number in [0, 1]");
        }
    }

    private static FrameEvent frame(java.net.URI uri, String personParams) {
        return FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME).setSeq(0)
                .setOffsetMs(0).setUri(uri.toString()).setOps(List.of("person"))
                .setOpParams(personParams == null ? java.util.Map.of() : java.util.Map.of("person", personParams))
                .build();
    }

    @Test
    void unreadableFrameGivesAnErrorNotAnException(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        var uri = store.put("job/broken.jpg", "not a jpeg".getBytes());
        FrameEvent frame = FrameEvent.newBuilder().setJobId("job").setVideoId("v").setKind(FrameKind.FRAME)
                .setSeq(0).setOffsetMs(0).setUri(uri.toString()).setOps(List.of("person")).build();
        try (FrameAnalysis analysis = new FrameAnalysis(OpRegistry.builtin(), store)) {
            FrameResult r = analysis.analyze(frame).get(0);
            assertThat(r.getError()).startsWith("cannot");
            assertThat(r.getLabels()).isEmpty();
        }
    }

    @Test
    void framesSmallerThanTheDetectionWindowGiveNoDetectionsAndDoNotCrash() throws Exception {
        // OpenCV's HOG detectMultiScale aborts the JVM on images smaller than its 64×128 window
        for (int[] size : new int[][] {{1, 1}, {32, 32}, {64, 48}, {100, 100}, {63, 128}}) {
            try (Op op = OpRegistry.builtin().get("person").orElseThrow().create();
                 Mat tiny = new Mat(size[1], size[0], org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                         new Scalar(128, 128, 128, 0))) {
                OpOutput out = op.apply(tiny);
                assertThat(out.detections()).as("%dx%d", size[0], size[1]).isEmpty();
            }
        }
    }

    private static void annotate(LocalFrameStore store, FrameEvent frame, FrameResult result) throws Exception {
        Mat img = opencv_imgcodecs.imdecode(new Mat(new org.bytedeco.javacpp.BytePointer(
                store.get(java.net.URI.create(frame.getUri())))), opencv_imgcodecs.IMREAD_COLOR);
        for (Detection d : result.getDetections()) {
            opencv_imgproc.rectangle(img, new Point(d.getBox().getLeft(), d.getBox().getTop()),
                    new Point(d.getBox().getRight(), d.getBox().getBottom()), new Scalar(0, 255, 0, 0), 2, 8, 0);
        }
        Path out = Path.of("target", "person-" + frame.getOffsetMs() + ".jpg");
        Files.createDirectories(out.getParent());
        opencv_imgcodecs.imwrite(out.toString(), img);
    }
}
