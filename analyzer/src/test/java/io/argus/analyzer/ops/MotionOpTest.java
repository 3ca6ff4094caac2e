package io.argus.analyzer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.analyzer.FrameAnalysis;
import io.argus.analyzer.op.OpRegistry;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;

/**
 * The motion op on real frames, run through {@link FrameAnalysis} as the analyzer runs it: frames
 * go to a real frame store as JPEGs and every FRAME event carries its predecessor's URI in
 * {@code prev_uri}, as ingest sends them.
 *
 * <p>Moving scene: vtest.avi (fixed camera, pedestrians walking on a campus path) sampled every
 * second: frames 1 s apart scored 0.025–0.037 (2.5–3.7% of the frame changed), and 31 of the 33
 * people the HOG detector found on them overlapped a motion region. Still scene: one vtest frame
 * looped for 5 s with ffmpeg's temporal noise filter (strength 12: consecutive frames differ by
 * about 5 grey levels on average, as sensor noise would) and encoded to MPEG-4: it scored 0.
 * Annotated copies of the moving frames (motion regions in red, HOG people in green) are written to
 * target/motion-*.jpg.
 */
class MotionOpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void scoresHighWherePeopleWalkAndRegionsCoverThem(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> frames = sample(store, SampleVideos.ensure("vtest.avi"), SamplingSpec.every(1000), 12,
                List.of(MotionOp.NAME, "person"), Map.of());
        assertThat(frames).hasSize(12);
        List<Float> scores = new ArrayList<>();
        int peopleSeen = 0;
        int peopleInMotion = 0;
        double ms = 0;
        try (FrameAnalysis analysis = new FrameAnalysis(registry(), store)) {
            for (FrameEvent frame : frames) {
                List<FrameResult> results = analysis.analyze(frame);
                FrameResult motion = results.get(0);
                assertThat(motion.getOp()).isEqualTo(MotionOp.NAME);
                assertThat(motion.getError()).isNull();
                JsonNode raw = JSON.readTree(motion.getResultJson());
                float score = raw.path("score").floatValue();
                if (frame.getSeq() == 0) {
                    assertThat(score).as("first frame").isZero();
                    assertThat(motion.getLabels()).isEmpty();
                    assertThat(motion.getDetections()).isEmpty();
                    assertThat(raw.path("previous").isNull()).isTrue();
                    continue;
                }
                scores.add(score);
                ms += motion.getProcessingMs();
                assertThat(raw.path("previous").asText()).isEqualTo(frame.getPrevUri());
                assertThat(motion.getLabels()).as("frame %d ms, score %s", frame.getOffsetMs(), score).hasSize(1);
                assertThat(motion.getLabels().get(0).getLabel()).isEqualTo(MotionOp.LABEL);
                assertThat(motion.getLabels().get(0).getScore()).isEqualTo(score);
                assertThat(motion.getDetections()).isNotEmpty();
                assertThat(raw.path("detections").size()).isEqualTo(motion.getDetections().size());
                long regionPixels = 0;
                for (Detection d : motion.getDetections()) {
                    Box b = d.getBox();
                    assertThat(d.getLabel()).isEqualTo(MotionOp.LABEL);
                    assertThat(d.getScore()).isBetween(0f, 1f);
                    assertThat(b.getLeft()).isBetween(0, 767);
                    assertThat(b.getRight()).isBetween(b.getLeft() + 1, 768);
                    assertThat(b.getBottom()).isBetween(b.getTop() + 1, 576);
                    regionPixels += (long) (b.getRight() - b.getLeft()) * (b.getBottom() - b.getTop());
                }
                // the changed pixels lie inside the reported regions
                assertThat(regionPixels).isGreaterThanOrEqualTo((long) (score * 768 * 576 * 0.9));
                // people the HOG detector finds on the frame overlap a moving region
                for (Detection person : results.get(1).getDetections()) {
                    peopleSeen++;
                    if (motion.getDetections().stream().anyMatch(m -> overlap(person.getBox(), m.getBox()) > 0.3)) {
                        peopleInMotion++;
                    }
                }
                annotate(store, frame, motion, results.get(1));
            }
        }
        System.out.printf("motion on vtest (1 s apart): scores %s; %d of %d HOG people overlap a region; "
                + "%.1f ms per frame (reading and decoding the previous frame included)%n",
                scores, peopleInMotion, peopleSeen, ms / scores.size());
        assertThat(scores).hasSize(11).allSatisfy(s -> assertThat(s).isGreaterThan((float) MotionOp.DEFAULT_MIN_SCORE));
        assertThat(peopleSeen).isGreaterThanOrEqualTo(10);
        assertThat(peopleInMotion).as("HOG people overlapping a motion region").isGreaterThanOrEqualTo(peopleSeen * 8 / 10);
    }

    @Test
    void scoresNearZeroOnAStillScene(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "needs the ffmpeg CLI");
        Path vtest = SampleVideos.ensure("vtest.avi");
        BufferedImage still;
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()),
                SamplingSpec.every(1000).withRange(30_000, 100))) {
            still = JpegEncoder.copyOf(s.next().image());
        }
        Path png = dir.resolve("frame.png");
        ImageIO.write(still, "png", png.toFile());
        Path clip = dir.resolve("still.avi");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", png.toString(),
                "-t", "5", "-r", "10", "-vf", "noise=alls=12:allf=t", "-c:v", "mpeg4", "-q:v", "5", "-pix_fmt", "yuv420p", clip.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();

        LocalFrameStore store = new LocalFrameStore(dir.resolve("store"));
        List<FrameEvent> frames = sample(store, clip, SamplingSpec.every(300), 100, List.of(MotionOp.NAME), Map.of());
        assertThat(frames).hasSizeGreaterThanOrEqualTo(15);
        float max = 0;
        try (FrameAnalysis analysis = new FrameAnalysis(registry(), store)) {
            for (FrameEvent frame : frames) {
                FrameResult r = analysis.analyze(frame).get(0);
                assertThat(r.getError()).isNull();
                float score = JSON.readTree(r.getResultJson()).path("score").floatValue();
                max = Math.max(max, score);
                assertThat(r.getLabels()).as("still frame %d ms, score %s", frame.getOffsetMs(), score).isEmpty();
                assertThat(r.getDetections()).isEmpty();
            }
            // the same frame twice: nothing changed at all
            FrameEvent self = FrameEvent.newBuilder(frames.get(3)).setPrevUri(frames.get(3).getUri()).build();
            FrameResult r = analysis.analyze(self).get(0);
            assertThat(JSON.readTree(r.getResultJson()).path("score").floatValue()).isZero();
            assertThat(r.getLabels()).isEmpty();
        }
        System.out.printf("motion on a still MPEG-4 clip: max score %.6f over %d frames%n", max, frames.size());
        assertThat(max).isLessThan((float) MotionOp.DEFAULT_MIN_SCORE / 10);
    }

    @Test
    void paramsFromTheJobRequestChangeThresholdAndMinimum(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        List<FrameEvent> frames = sample(store, SampleVideos.ensure("vtest.avi"), SamplingSpec.every(1000), 3,
                List.of(MotionOp.NAME), Map.of());
        FrameEvent frame = frames.get(2);
        try (FrameAnalysis analysis = new FrameAnalysis(registry(), store)) {
            FrameResult defaults = analysis.analyze(frame).get(0);
            float score = JSON.readTree(defaults.getResultJson()).path("score").floatValue();
            assertThat(defaults.getLabels()).hasSize(1);

            FrameResult strict = analysis.analyze(withParams(frame, "{\"threshold\":100,\"min_score\":1}")).get(0);
            JsonNode raw = JSON.readTree(strict.getResultJson());
            assertThat(raw.path("threshold").asInt()).isEqualTo(100);
            assertThat(raw.path("score").floatValue()).isGreaterThan(0f).isLessThan(score);
            assertThat(strict.getLabels()).as("min_score 1: never labelled").isEmpty();

            FrameResult bad = analysis.analyze(withParams(frame, "{\"threshold\":\"high\"}")).get(0);
            assertThat(bad.getError()).contains("threshold must be a number");
            FrameResult outOfRange = analysis.analyze(withParams(frame, "{\"min_score\":2}")).get(0);
            assertThat(outOfRange.getError()).contains("min_score must be in [0, 1]");
            assertThat(analysis.analyze(withParams(frame, "[1]")).get(0).getError())
                    .isEqualTo("motion failed: params of op motion must be a JSON object");
            assertThat(analysis.analyze(withParams(frame, "{bad")).get(0).getError())
                    .startsWith("motion failed: params of op motion are not JSON");
        }
    }

    @Test
    void framesOfDifferentSizesGiveAClearError(@TempDir Path dir) throws Exception {
        LocalFrameStore store = new LocalFrameStore(dir);
        FrameEvent tree = sample(store, SampleVideos.ensure("tree.avi"), SamplingSpec.every(1000), 1,
                List.of(MotionOp.NAME), Map.of()).get(0);
        FrameEvent vtest = sample(store, SampleVideos.ensure("vtest.avi"), SamplingSpec.every(1000), 1,
                List.of(MotionOp.NAME), Map.of()).get(0);
        FrameEvent mixed = FrameEvent.newBuilder(vtest).setPrevUri(tree.getUri()).build();
        FrameEvent missing = FrameEvent.newBuilder(vtest).setPrevUri(store.root().toUri() + "job/none.jpg").build();
        try (FrameAnalysis analysis = new FrameAnalysis(registry(), store)) {
            FrameResult r = analysis.analyze(mixed).get(0);
            assertThat(r.getError()).isEqualTo("motion failed: motion needs frames of one size: previous frame is "
                    + "320x240 px, this frame 768x576 px");
            assertThat(r.getLabels()).isEmpty();
            assertThat(analysis.analyze(missing).get(0).getError()).startsWith("motion failed:");
        }
    }

    private static OpRegistry registry() {
        return OpRegistry.builtin(Path.of("target", "no-models"));
    }

    private static FrameEvent withParams(FrameEvent frame, String params) {
        return FrameEvent.newBuilder(frame).setOpParams(Map.of(MotionOp.NAME, params)).build();
    }

    /** Samples a video into the store as ingest does: JPEG per frame, prev_uri chained. */
    static List<FrameEvent> sample(LocalFrameStore store, Path video, SamplingSpec spec, int max, List<String> ops,
                                   Map<String, String> params) throws Exception {
        List<FrameEvent> frames = new ArrayList<>();
        String job = video.getFileName().toString().replace('.', '-');
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), spec);
             JpegEncoder enc = new JpegEncoder()) {
            SampledFrame f;
            String prev = null;
            long seq = 0;
            while (seq < max && (f = s.next()) != null) {
                URI uri = store.put(StoreKeys.frame(job, seq), enc.encode(f.image()));
                frames.add(FrameEvent.newBuilder().setJobId(job).setVideoId("v").setKind(FrameKind.FRAME)
                        .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString()).setPrevUri(prev)
                        .setWidth(f.image().imageWidth).setHeight(f.image().imageHeight)
                        .setOps(ops).setOpParams(params).build());
                prev = uri.toString();
            }
        }
        return frames;
    }

    /** @return intersection area / area of {@code a} */
    private static double overlap(Box a, Box b) {
        int iw = Math.min(a.getRight(), b.getRight()) - Math.max(a.getLeft(), b.getLeft());
        int ih = Math.min(a.getBottom(), b.getBottom()) - Math.max(a.getTop(), b.getTop());
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        return (double) iw * ih / ((double) (a.getRight() - a.getLeft()) * (a.getBottom() - a.getTop()));
    }

    private static void annotate(LocalFrameStore store, FrameEvent frame, FrameResult motion, FrameResult person)
            throws Exception {
        Mat img = opencv_imgcodecs.imdecode(new Mat(new org.bytedeco.javacpp.BytePointer(
                store.get(URI.create(frame.getUri())))), opencv_imgcodecs.IMREAD_COLOR);
        for (Detection d : motion.getDetections()) {
            opencv_imgproc.rectangle(img, new Point(d.getBox().getLeft(), d.getBox().getTop()),
                    new Point(d.getBox().getRight(), d.getBox().getBottom()), new Scalar(0, 0, 255, 0), 2, 8, 0);
        }
        for (Detection d : person.getDetections()) {
            opencv_imgproc.rectangle(img, new Point(d.getBox().getLeft(), d.getBox().getTop()),
                    new Point(d.getBox().getRight(), d.getBox().getBottom()), new Scalar(0, 255, 0, 0), 1, 8, 0);
        }
        Path out = Path.of("target", "motion-" + frame.getOffsetMs() + ".jpg");
        Files.createDirectories(out.getParent());
        opencv_imgcodecs.imwrite(out.toString(), img);
    }
}
