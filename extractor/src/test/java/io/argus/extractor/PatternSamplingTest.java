package io.argus.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.FrameSource;
import io.argus.extractor.sampling.LiveOptions;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.sampling.SamplingSpec.Pattern;
import io.argus.extractor.sampling.VideoInfo;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;

/**
 * The sampling patterns (uniform, keyframe, random, scene) and flow pairs on the real videos of
 * Debian's opencv-doc: vtest.avi (768×576, 10 fps, 79.5 s, keyframes at 0/25/50/75 s),
 * Megamind.avi (720×528, 23.976 fps, 11.3 s, four shot changes) and tree.avi (header: 444
 * frames at 15 fps; has 68, ~0.4 s apart, keyframes at 0, 10.67 and 21.87 s).
 */
class PatternSamplingTest {

    static Path vtest;
    static Path megamind;
    static Path tree;

    @BeforeAll
    static void samples() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        megamind = SampleVideos.ensure("Megamind.avi");
        tree = SampleVideos.ensure("tree.avi");
    }

    /** Every frame a sampler returns, with its pair; images are copies, valid after the sampler closes. */
    record Sample(long offsetMs, boolean keyframe, BufferedImage image, long pairOffsetMs, BufferedImage pairImage) {
    }

    static List<Sample> sample(Path video, SamplingSpec spec) throws Exception {
        List<Sample> out = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), spec)) {
            SampledFrame f;
            while ((f = s.next()) != null) {
                SampledFrame.Pair p = f.pair();
                out.add(new Sample(f.offsetMs(), f.keyframe(), JpegEncoder.copyOf(f.image()),
                        p == null ? -1 : p.offsetMs(), p == null ? null : JpegEncoder.copyOf(p.image())));
            }
        }
        return out;
    }

    static List<Long> offsets(Path video, SamplingSpec spec) throws Exception {
        List<Long> out = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), spec)) {
            SampledFrame f;
            while ((f = s.next()) != null) {
                out.add(f.offsetMs());
            }
        }
        return out;
    }

    static VideoInfo info(Path video, SamplingSpec spec) throws Exception {
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), spec)) {
            return s.info();
        }
    }

    /** Reference for random: each sorted target takes the first frame at or after it not yet taken. */
    static List<Long> firstAtOrAfterEach(long[] targets, List<Long> frames) {
        List<Long> out = new ArrayList<>();
        int i = 0;
        for (long target : targets) {
            while (i < frames.size() && frames.get(i) < target) {
                i++;
            }
            if (i == frames.size()) {
                break;
            }
            out.add(frames.get(i++));
        }
        return out;
    }

    // ---- the spec -------------------------------------------------------------------------

    @Test
    void modeZeroAndOneKeepTheirMeaning() {
        SamplingSpec mode0 = new SamplingSpec(false, 5000, 1000, 3000);
        assertThat(mode0.pattern()).isEqualTo(Pattern.UNIFORM);
        assertThat(mode0.keyframesOnly()).isFalse();
        assertThat(mode0.intervalMs()).isEqualTo(5000);
        assertThat(mode0.startMs()).isEqualTo(1000);
        assertThat(mode0.endMs()).isEqualTo(4000);
        assertThat(mode0.pairGap()).isZero();
        assertThat(new SamplingSpec(true, 5000, 0, -1)).isEqualTo(SamplingSpec.keyframes());
        assertThat(SamplingSpec.keyframes().keyframesOnly()).isTrue();
        assertThat(SamplingSpec.keyframes().pattern()).isEqualTo(Pattern.KEYFRAME);
        assertThat(SamplingSpec.every(2000)).isEqualTo(new SamplingSpec(false, 2000, 0, -1));
        assertThat(SamplingSpec.every(2000).endMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(SamplingSpec.every(2000).withRange(10_000, 5_000).withPairGap(2))
                .isEqualTo(new SamplingSpec(Pattern.UNIFORM, 2000, 10_000, 5_000, 0, 0,
                        SamplingSpec.DEFAULT_SCENE_THRESHOLD, 2));
    }

    @Test
    void patternNames() {
        assertThat(Arrays.stream(Pattern.values()).map(Pattern::wireName))
                .containsExactly("uniform", "keyframe", "random", "scene");
        assertThat(Pattern.parse("Scene")).isEqualTo(Pattern.SCENE);
        assertThatThrownBy(() -> Pattern.parse("interval")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pattern.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidParametersAreRefused() {
        assertThatThrownBy(() -> SamplingSpec.random(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.random(SamplingSpec.MAX_RANDOM_COUNT + 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.scene(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.scene(1.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.scene(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.every(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.every(100).withRange(-1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.every(100).withPairGap(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SamplingSpec.every(100).withPairGap(SamplingSpec.MAX_PAIR_GAP + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SamplingSpec(null, 100, 0, -1, 0, 0, 0.1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        // parameters of other patterns are ignored
        assertThat(new SamplingSpec(Pattern.UNIFORM, 100, 0, -1, 0, 0, 0, 0).count()).isZero();
    }

    @Test
    void randomNeedsAnEndFromTheSourceOrTheSpec() {
        assertThatThrownBy(() -> SamplingSpec.random(3, 1).randomTargets(-1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.stream(SamplingSpec.random(3, 1).withRange(0, 10_000).randomTargets(-1, 0)).boxed())
                .hasSize(3).allSatisfy(t -> assertThat(t).isBetween(0L, 9_999L));
        assertThatThrownBy(() -> SamplingSpec.every(100).randomTargets(1000, 10))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void liveSourcesRefuseRandomSceneAndPairsBeforeConnecting() {
        SourceUri live = SourceUri.parse("rtmp://127.0.0.1:9/live/none");
        for (SamplingSpec spec : List.of(SamplingSpec.random(3, 1), SamplingSpec.scene(),
                SamplingSpec.every(1000).withPairGap(1))) {
            assertThatThrownBy(() -> FrameSource.open(SourceOpener.UNRESTRICTED, live, spec, LiveOptions.withTimeout(1000), () -> false))
                    .isInstanceOfSatisfying(SourceException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("invalid parameters");
                    });
        }
    }

    // ---- uniform and keyframe -------------------------------------------------------------

    @Test
    void uniformTakesOneFramePerIntervalOnVtest() throws Exception {
        List<Long> expected = List.of(0L, 10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L, 70_000L);
        assertThat(offsets(vtest, SamplingSpec.every(10_000))).isEqualTo(expected);
        assertThat(offsets(vtest, new SamplingSpec(Pattern.UNIFORM, 10_000, 0, -1, 0, 0, 0, 0))).isEqualTo(expected);
        assertThat(info(vtest, SamplingSpec.every(10_000)).expectedFrames()).isEqualTo(8);
        assertThat(offsets(vtest, SamplingSpec.every(700).withRange(30_000, 2_000)))
                .containsExactly(30_000L, 30_700L, 31_400L);
    }

    @Test
    void keyframeTakesTheFourKeyframesOfVtest() throws Exception {
        List<Sample> frames = sample(vtest, SamplingSpec.keyframes());
        assertThat(frames).extracting(Sample::offsetMs).containsExactly(0L, 25_000L, 50_000L, 75_000L);
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.keyframe()).isTrue();
            assertThat(f.pairImage()).isNull();
            assertThat(f.image().getWidth()).isEqualTo(768);
            assertThat(f.image().getHeight()).isEqualTo(576);
        });
        assertThat(info(vtest, SamplingSpec.keyframes()).expectedFrames()).isEqualTo(-1);
    }

    @Test
    void keyframeWithPairsDecodesEveryFrameAndFindsTheSameKeyframes() throws Exception {
        List<Sample> frames = sample(vtest, SamplingSpec.keyframes().withPairGap(3));
        assertThat(frames).extracting(Sample::offsetMs).containsExactly(0L, 25_000L, 50_000L, 75_000L);
        assertThat(frames).extracting(Sample::pairOffsetMs).containsExactly(300L, 25_300L, 50_300L, 75_300L);
    }

    // ---- random ---------------------------------------------------------------------------

    @Test
    void randomIsReproducibleWithASeedAndStaysInTheVideo() throws Exception {
        SamplingSpec spec = SamplingSpec.random(12, 42);
        List<Long> first = offsets(vtest, spec);
        List<Long> again = offsets(vtest, spec);
        List<Long> other = offsets(vtest, SamplingSpec.random(12, 7));
        assertThat(first).hasSize(12).isEqualTo(again).isNotEqualTo(other);
        assertThat(other).hasSize(12);
        for (List<Long> run : List.of(first, other)) {
            assertThat(run).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(t -> assertThat(t).isBetween(0L, 79_499L).satisfies(v -> assertThat(v % 100).isZero()));
        }
        // each target took the first frame at or after it (vtest: a frame every 100 ms)
        VideoInfo info = info(vtest, spec);
        assertThat(info.durationMs()).isEqualTo(79_500);
        assertThat(info.expectedFrames()).isEqualTo(12);
        long[] targets = spec.randomTargets(info.durationMs(), info.fps());
        assertThat(targets).isSorted().hasSize(12);
        assertThat(Arrays.stream(targets).boxed()).allSatisfy(t -> assertThat(t).isBetween(0L, 79_400L));
        List<Long> grid = new ArrayList<>();
        for (long t = 0; t < 79_500; t += 100) {
            grid.add(t);
        }
        assertThat(first).isEqualTo(firstAtOrAfterEach(targets, grid));
    }

    @Test
    void randomRespectsTheRangeAndCrowdedTargetsTakeDistinctFrames() throws Exception {
        assertThat(offsets(vtest, SamplingSpec.random(5, 1).withRange(10_000, 5_000)))
                .hasSize(5).isSorted().doesNotHaveDuplicates()
                .allSatisfy(t -> assertThat(t).isBetween(10_000L, 14_900L));
        // a range past the end of the video: no targets; the seek past the end decodes nothing,
        // which reads as 400 "cannot open the file", as it always did for mode 0
        assertThat(SamplingSpec.random(5, 1).withRange(90_000, -1).randomTargets(79_500, 10)).isEmpty();
        for (SamplingSpec late : List.of(SamplingSpec.random(5, 1), SamplingSpec.every(1000))) {
            assertThatThrownBy(() -> offsets(vtest, late.withRange(90_000, -1)))
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(400));
        }
        // 30 targets in 2 s of 10 fps video: at most 20 frames, all of them distinct
        List<Long> crowded = offsets(vtest, SamplingSpec.random(30, 3).withRange(40_000, 2_000));
        assertThat(crowded).isSorted().doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(20).hasSizeGreaterThan(12)
                .allSatisfy(t -> assertThat(t).isBetween(40_000L, 41_900L));
    }

    // ---- scene ----------------------------------------------------------------------------

    @Test
    void sceneFindsTheShotChangesOfMegamind() throws Exception {
        List<Sample> frames = sample(megamind, SamplingSpec.scene());
        // 41 ms: the first frame (black); 83: the first shot; then cuts between the two faces
        // (checked by eye on the JPEGs written below)
        assertThat(frames).extracting(Sample::offsetMs).containsExactly(41L, 83L, 4129L, 6464L, 8383L);
        Path dir = Files.createDirectories(Path.of("target"));
        try (JpegEncoder enc = new JpegEncoder()) {
            for (Sample f : frames) {
                Files.write(dir.resolve("scene-" + f.offsetMs() + ".jpg"), enc.encode(f.image()));
            }
        }
        // the cuts score 0.131-0.174, the rest at most 0.016: thresholds in between agree
        assertThat(offsets(megamind, SamplingSpec.scene(0.05))).containsExactly(41L, 83L, 4129L, 6464L, 8383L);
        assertThat(offsets(megamind, SamplingSpec.scene(0.125))).containsExactly(41L, 83L, 4129L, 6464L, 8383L);
        assertThat(offsets(megamind, SamplingSpec.scene(0.2))).containsExactly(41L);
        assertThat(offsets(megamind, SamplingSpec.scene().withRange(5000, -1))).containsExactly(5005L, 6464L, 8383L);
    }

    @Test
    void sceneOnAFixedCameraGivesOnlyTheFirstFrame() throws Exception {
        // vtest: pedestrians walking in front of a fixed camera score at most 0.014
        assertThat(offsets(vtest, SamplingSpec.scene())).containsExactly(0L);
        // tree: a hand moving into a single shot scores at most 0.069
        assertThat(offsets(tree, SamplingSpec.scene())).containsExactly(0L);
    }

    @Test
    void sceneOnAStillClipGivesOnlyTheFirstFrame(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "needs the ffmpeg CLI");
        BufferedImage still;
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()),
                SamplingSpec.every(1000).withRange(30_000, 100))) {
            still = JpegEncoder.copyOf(s.next().image()).getSubimage(192, 144, 384, 288);
        }
        Path png = dir.resolve("frame.png");
        ImageIO.write(still, "png", png.toFile());
        Path clip = dir.resolve("still.avi");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-loop", "1", "-i", png.toString(),
                "-t", "5", "-r", "10", "-c:v", "mpeg4", "-q:v", "5", "-pix_fmt", "yuv420p", clip.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();

        assertThat(offsets(clip, SamplingSpec.every(100))).hasSize(50);
        assertThat(offsets(clip, SamplingSpec.scene())).containsExactly(0L);
        // a still scores ~0.0002: even a threshold 50 times lower than the default finds nothing
        assertThat(offsets(clip, SamplingSpec.scene(0.002))).containsExactly(0L);
    }

    // ---- tree.avi: the header lies --------------------------------------------------------

    @Test
    void treeHeaderLiesButEveryPatternGetsTheDecodedFrames() throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(tree.toString())) {
            g.start();
            assertThat(g.getLengthInFrames()).isEqualTo(444);
        }
        List<Long> all = offsets(tree, SamplingSpec.every(1));
        assertThat(all).hasSize(68).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(67)).isEqualTo(29_533L);

        // uniform: the first decoded frame at or after each 2 s target
        long[] targets = new long[15];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = i * 2000L;
        }
        assertThat(offsets(tree, SamplingSpec.every(2000))).isEqualTo(firstAtOrAfterEach(targets, all));

        // keyframe: the 3 flagged frames (cinepak ignores skip_frame, the flag decides)
        assertThat(offsets(tree, SamplingSpec.keyframes())).containsExactly(0L, 10_666L, 21_866L);

        // random: the targets come from the container duration (29.6 s, right here), frames from decoding
        SamplingSpec random = SamplingSpec.random(10, 42);
        VideoInfo info = info(tree, random);
        assertThat(info.durationMs()).isEqualTo(29_600);
        List<Long> picked = offsets(tree, random);
        assertThat(picked).hasSize(10).isSubsetOf(all)
                .isEqualTo(firstAtOrAfterEach(random.randomTargets(info.durationMs(), info.fps()), all));

        // pairs: the next decoded frame, ~0.4 s later, not 1/15 s as the header says
        List<Sample> pairs = sample(tree, SamplingSpec.keyframes().withPairGap(1));
        assertThat(pairs).extracting(Sample::offsetMs).containsExactly(0L, 10_666L, 21_866L);
        assertThat(pairs).extracting(Sample::pairOffsetMs).containsExactly(733L, 11_000L, 22_266L);
        for (Sample p : sample(tree, SamplingSpec.every(5000).withPairGap(1))) {
            assertThat(p.pairOffsetMs()).isEqualTo(all.get(all.indexOf(p.offsetMs()) + 1));
        }
    }

    // ---- pairs ----------------------------------------------------------------------------

    @Test
    void pairIsTheNextDecodedFrameAndDiffersWherePeopleWalk() throws Exception {
        List<Sample> frames = sample(vtest, SamplingSpec.every(10_000).withPairGap(1));
        assertThat(frames).extracting(Sample::offsetMs)
                .containsExactly(0L, 10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L, 70_000L);
        for (Sample f : frames) {
            assertThat(f.pairOffsetMs()).isEqualTo(f.offsetMs() + 100);
            assertThat(f.pairImage().getWidth()).isEqualTo(768);
            assertThat(f.pairImage().getHeight()).isEqualTo(576);
            byte[] a = pixels(f.image());
            byte[] b = pixels(f.pairImage());
            int changed = 0;
            for (int i = 0; i < a.length; i += 3) {
                int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff)) + Math.abs((a[i + 1] & 0xff) - (b[i + 1] & 0xff))
                        + Math.abs((a[i + 2] & 0xff) - (b[i + 2] & 0xff));
                if (d > 60) {
                    changed++;
                }
            }
            // people moved in 100 ms (hundreds of pixels), the campus did not (under 5% of the frame)
            assertThat(changed).as("pixels changed at %d ms", f.offsetMs()).isBetween(300, 768 * 576 / 20);
        }
        // the selected frames are the same pixels as without pairs (copies taken before decoding on)
        List<Sample> plain = sample(vtest, SamplingSpec.every(10_000));
        for (int i = 0; i < plain.size(); i++) {
            assertThat(pixels(frames.get(i).image())).isEqualTo(pixels(plain.get(i).image()));
        }
    }

    @Test
    void pairFramesMayBeSelectedAndMayLiePastTheRange() throws Exception {
        List<Sample> frames = sample(vtest, SamplingSpec.every(100).withRange(0, 1000).withPairGap(1));
        assertThat(frames).extracting(Sample::offsetMs)
                .containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L);
        assertThat(frames).extracting(Sample::pairOffsetMs)
                .containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);
        for (int i = 0; i + 1 < frames.size(); i++) {
            assertThat(pixels(frames.get(i).pairImage())).isEqualTo(pixels(frames.get(i + 1).image()));
        }
    }

    @Test
    void framesWhosePairIsPastTheEndComeWithoutOne() throws Exception {
        List<Sample> frames = sample(vtest, SamplingSpec.every(100).withRange(79_000, -1).withPairGap(3));
        assertThat(frames).extracting(Sample::offsetMs).containsExactly(79_000L, 79_100L, 79_200L, 79_300L, 79_400L);
        assertThat(frames).extracting(Sample::pairOffsetMs).containsExactly(79_300L, 79_400L, -1L, -1L, -1L);
    }

    @Test
    void pairImagesAreCopiesThatOutliveLaterFrames() throws Exception {
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()),
                SamplingSpec.scene().withRange(20_000, 3_000).withPairGap(2))) {
            SampledFrame first = s.next();
            assertThat(first.offsetMs()).isEqualTo(20_000);
            assertThat(first.hasPair()).isTrue();
            assertThat(first.pair().offsetMs()).isEqualTo(20_200);
            Frame image = first.image();
            Frame pair = first.pair().image();
            assertThat(image).isNotSameAs(pair);
            byte[] before = pixels(JpegEncoder.copyOf(image));
            assertThat(s.next()).isNull();
            assertThat(s.decodedFrames()).isBetween(30L, 32L);
            assertThat(pixels(JpegEncoder.copyOf(image))).isEqualTo(before);
            image.close();
            pair.close();
        }
    }

    static byte[] pixels(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
