package io.argus.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceUri;

/** Sampling real videos from Debian's opencv-doc. */
class FrameSamplerTest {

    static Path vtest;
    static Path tree;

    @BeforeAll
    static void samples() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        tree = SampleVideos.ensure("tree.avi");
    }

    static List<long[]> sample(Path video, SamplingSpec spec) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()), spec)) {
            SampledFrame f;
            while ((f = s.next()) != null) {
                out.add(new long[] {f.offsetMs(), f.keyframe() ? 1 : 0, f.image().imageWidth, f.image().imageHeight});
            }
        }
        return out;
    }

    @Test
    void intervalFiveSecondsGivesSixteenFramesOnVtest() throws Exception {
        List<long[]> frames = sample(vtest, SamplingSpec.every(5000));
        assertThat(frames).extracting(f -> f[0])
                .containsExactly(0L, 5000L, 10000L, 15000L, 20000L, 25000L, 30000L, 35000L, 40000L,
                        45000L, 50000L, 55000L, 60000L, 65000L, 70000L, 75000L);
        assertThat(frames).allSatisfy(f -> assertThat(new long[] {f[2], f[3]}).containsExactly(768, 576));
    }

    @Test
    void keyframesModeGivesTheFourKeyframes() throws Exception {
        List<long[]> frames = sample(vtest, SamplingSpec.keyframes());
        assertThat(frames).extracting(f -> f[0]).containsExactly(0L, 25000L, 50000L, 75000L);
        assertThat(frames).allSatisfy(f -> assertThat(f[1]).isEqualTo(1));
    }

    @Test
    void startAndDurationBoundTheRange() throws Exception {
        List<long[]> frames = sample(vtest, new SamplingSpec(false, 1000, 10_000, 3_000));
        assertThat(frames).extracting(f -> f[0]).containsExactly(10000L, 11000L, 12000L);
    }

    @Test
    void treeHeaderLiesButEveryFrameIsDecoded() throws Exception {
        List<long[]> frames = sample(tree, SamplingSpec.every(1));
        assertThat(frames).hasSize(68);
    }

    @Test
    void expectedFramesMatchesWhatIsSampled() throws Exception {
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(5000))) {
            assertThat(s.info().expectedFrames()).isEqualTo(16);
            assertThat(s.info().width()).isEqualTo(768);
            assertThat(s.info().height()).isEqualTo(576);
        }
    }

    @Test
    void lateConversionGivesTheSamePixelsAsConvertingEveryFrame() throws Exception {
        byte[] viaSampler;
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(2000));
             JpegEncoder enc = new JpegEncoder(1.0f)) {
            s.next();
            viaSampler = enc.encode(s.next().image());
        }
        byte[] direct;
        try (var g = new org.bytedeco.javacv.FFmpegFrameGrabber(vtest.toString()); JpegEncoder enc = new JpegEncoder(1.0f)) {
            g.start();
            org.bytedeco.javacv.Frame f;
            do {
                f = g.grabImage();
            } while (f.timestamp < 2_000_000);
            direct = enc.encode(f);
        }
        assertThat(Arrays.equals(viaSampler, direct)).isTrue();
    }

    @Test
    void jpegIsAReadableImageOfTheFrameSize() throws Exception {
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(vtest.toString()), SamplingSpec.every(5000));
             JpegEncoder enc = new JpegEncoder()) {
            byte[] jpeg = enc.encode(s.next().image());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(img.getWidth()).isEqualTo(768);
            assertThat(img.getHeight()).isEqualTo(576);
            // a real campus scene, not a blank frame: pixel values vary
            int a = img.getRGB(100, 100);
            int b = img.getRGB(600, 400);
            assertThat(a).isNotEqualTo(b);
        }
    }

    @Test
    void missingFileIs424(@TempDir Path dir) {
        assertThatThrownBy(() -> sample(dir.resolve("nope.mp4"), SamplingSpec.every(5000)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(424);
                    assertThat(e.getMessage()).isEqualTo("cannot find the video");
                });
    }

    @Test
    void textFileIs400(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        assertThatThrownBy(() -> sample(text, SamplingSpec.every(5000)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("cannot open the file");
                });
    }

    @Test
    void emptyFileIs400(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.avi"));
        assertThatThrownBy(() -> sample(empty, SamplingSpec.every(5000)))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void truncatedVideoGivesTheFramesItHas(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(vtest);
        Path half = Files.write(dir.resolve("half.avi"), Arrays.copyOf(all, all.length / 2));
        List<long[]> frames = sample(half, SamplingSpec.every(5000));
        assertThat(frames.size()).isBetween(6, 10);
        assertThat(frames.get(0)[0]).isZero();
    }

    @Test
    void narrowFramesWithPaddedRowsAreBgr24AndEncode(@TempDir Path dir) throws Exception {
        // 48 px wide: FFmpeg pads the 144-byte BGR24 rows, which JavaCV reads as 4 channels
        Path narrow = dir.resolve("narrow.png");
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(5, 7, 0x00ff00);
        ImageIO.write(img, "png", narrow.toFile());
        try (FrameSampler s = FrameSampler.open(SourceUri.parse(narrow.toString()), SamplingSpec.every(5000));
             JpegEncoder jpeg = new JpegEncoder()) {
            SampledFrame f = s.next();
            assertThat(f.image().imageChannels).isEqualTo(3);
            assertThat(f.image().imageWidth).isEqualTo(48);
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg.encode(f.image())));
            assertThat(back.getWidth()).isEqualTo(48);
            assertThat((back.getRGB(5, 7) >> 8) & 0xff).as("the green pixel is where it was").isGreaterThan(100);
        }
    }
}
