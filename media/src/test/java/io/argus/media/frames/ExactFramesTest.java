package io.argus.media.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.media.TestVideos;

/**
 * Thumbnails and clips against the FFmpeg CLI on car-detection.mp4 (768×432, 12.5 fps, 377 frames,
 * keyframes every 60 frames, AAC audio): each thumbnail is the frame {@code select=eq(n\,N)}
 * picks (its decoded pixels at PSNR ≥ 40 dB against FFmpeg's lossless PNG, the JPEG at ≥ 38 dB, and
 * closer to it than to the frames before and after), at, just before and just after keyframes; clips have exactly the frames asked for.
 */
class ExactFramesTest {

    static Path dir;
    static Path car;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("argus-exact-frames");
        car = TestVideos.clip("car-detection.mp4");
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestVideos.deleteTree(dir);
    }

    /** @return frame n as FFmpeg's CLI selects it, decoded to BGR */
    static Mat ffmpegFrame(long n) throws Exception {
        Path png = dir.resolve("ffmpeg-" + n + ".png");
        run("ffmpeg", "-v", "error", "-y", "-i", car.toString(), "-vf", "select=eq(n\\," + n + ")", "-vsync", "0",
                "-frames:v", "1", png.toString());
        Mat m = opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_COLOR);
        assertTrue(!m.empty(), "ffmpeg wrote frame " + n);
        return m;
    }

    /**
     * @return frame n as the thumbnail encodes it, before JPEG: the BGR24 pixels
     *         {@link ExactFrameReader} decodes (the "PSNR ≥ 40 dB against the CLI's frame"
     *         is about the frame chosen and decoded; JPEG at quality 95 then costs a few dB more)
     */
    static Mat decodedPixels(Path file, long n) throws Exception {
        try (ExactFrameReader r = new ExactFrameReader(file, 0);
             org.bytedeco.javacv.OpenCVFrameConverter.ToMat conv = new org.bytedeco.javacv.OpenCVFrameConverter.ToMat()) {
            return conv.convert(r.seek(n)).clone();
        }
    }

    static Mat decode(byte[] jpeg) {
        Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8UC1, new BytePointer(jpeg));
        return opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
    }

    static double psnr(Mat a, Mat b) {
        return opencv_core.PSNR(a, b);
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    @Test
    void thumbnailsAreTheFramesFfmpegSelects() throws Exception {
        // keyframes at 0, 60, 120, ...: at, just after and just before them, one in between, and the last
        for (long n : new long[] {0, 1, 59, 60, 61, 137, 179, 180, 376}) {
            byte[] jpeg = Thumbnails.jpeg(car, n, 0, 0, 0, 0);
            Mat ours = decode(jpeg);
            assertEquals(768, ours.cols());
            assertEquals(432, ours.rows());
            double same = psnr(ours, ffmpegFrame(n));
            assertTrue(same >= 38, "frame " + n + ": PSNR " + same + " dB against ffmpeg's");
            double exact = psnr(decodedPixels(car, n), ffmpegFrame(n));
            assertTrue(exact >= 40, "frame " + n + " before JPEG: PSNR " + exact + " dB against ffmpeg's");
            for (long other : new long[] {n - 1, n + 1}) {
                if (other >= 0 && other < 377) {
                    double near = psnr(ours, ffmpegFrame(other));
                    assertTrue(near < same - 1, "frame " + n + " is closer to ffmpeg's frame " + other + " (" + near
                            + " dB) than to its own (" + same + " dB)");
                }
            }
        }
    }

    /** vtest.avi: MPEG-4 Part 2 in AVI, 768×576, 10 fps, 795 frames, a keyframe every 250 frames. */
    @Test
    void aviThumbnailsAreTheFramesFfmpegSelects() throws Exception {
        Path avi = io.argus.extractor.samples.SampleVideos.ensure("vtest.avi");
        for (long n : new long[] {0, 249, 250, 251, 400, 794}) {
            Mat ours = decode(Thumbnails.jpeg(avi, n, 0, 0, 0, 0));
            double same = psnr(ours, frameOf(avi, n));
            assertTrue(same >= 38, "vtest frame " + n + ": " + same + " dB");
            double exact = psnr(decodedPixels(avi, n), frameOf(avi, n));
            assertTrue(exact >= 40, "vtest frame " + n + " before JPEG: " + exact + " dB");
            for (long other : new long[] {n - 1, n + 1}) {
                if (other >= 0 && other < 795) {
                    double near = psnr(ours, frameOf(avi, other));
                    assertTrue(near < same, "vtest frame " + n + " is closer to frame " + other);
                }
            }
        }
        assertNull(Thumbnails.jpeg(avi, 795, 0, 0, 0, 0));
    }

    @Test
    void cropsAreExactInSizeAndPlace() throws Exception {
        Mat ours = decode(Thumbnails.jpeg(car, 100, 320, 240, 160, 96));
        assertEquals(160, ours.cols());
        assertEquals(96, ours.rows());
        Mat ref = new Mat(ffmpegFrame(100), new org.bytedeco.opencv.opencv_core.Rect(320, 240, 160, 96));
        double p = psnr(ours, ref.clone());
        assertTrue(p >= 36, "crop PSNR " + p);
        assertThrows(IllegalArgumentException.class, () -> Thumbnails.jpeg(car, 100, 700, 0, 100, 10));
    }

    @Test
    void framesPastTheEndAreNull() throws Exception {
        assertNull(Thumbnails.jpeg(car, 377, 0, 0, 0, 0));
        assertNull(Thumbnails.jpeg(car, 100_000, 0, 0, 0, 0));
    }

    @Test
    void clipHasExactlyTheFramesAskedForWithAudio() throws Exception {
        Path ts = dir.resolve("clip.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            assertEquals(48, ClipEncoder.encode(car, 0, 47, true, false, out));
        }
        Map<String, String> p = TestVideos.probe(ts);
        assertEquals("h264", p.get("codec_name"));
        assertEquals("48", p.get("nb_read_frames"));
        assertEquals("1", p.get("audio"));
    }

    /**
     * A generated test pattern (testsrc2, 320×240, 25 fps, 250 frames, H.264 with B-frames and a
     * keyframe every 25 frames): neighbouring frames differ a lot (≈ 18 dB), so a clip's first and
     * last frames tell which source frames they are even after re-encoding.
     */
    @Test
    void clipStartsAndEndsOnTheFramesAskedFor() throws Exception {
        Path pattern = dir.resolve("pattern.mp4");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=10",
                "-c:v", "libx264", "-g", "25", "-bf", "2", "-pix_fmt", "yuv420p", pattern.toString());
        Path ts = dir.resolve("pattern.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            assertEquals(48, ClipEncoder.encode(pattern, 20, 67, true, false, out));
        }
        Map<String, String> p = TestVideos.probe(ts);
        assertEquals("48", p.get("nb_read_frames"));
        assertEquals("0", p.get("audio"), "no audio in, none out");
        Mat first = frameOf(ts, 0);
        Mat last = frameOf(ts, 47);
        for (long[] c : new long[][] {{20, 19}, {20, 21}}) {
            assertTrue(psnr(first, frameOf(pattern, c[0])) > psnr(first, frameOf(pattern, c[1])) + 3,
                    "the clip's first frame is the source's frame 20");
        }
        for (long[] c : new long[][] {{67, 66}, {67, 68}}) {
            assertTrue(psnr(last, frameOf(pattern, c[0])) > psnr(last, frameOf(pattern, c[1])) + 3,
                    "the clip's last frame is the source's frame 67");
        }
        // thumbnails of the pattern too, next to its keyframes
        for (long n : new long[] {24, 25, 26, 99, 249}) {
            Mat ours = decode(Thumbnails.jpeg(pattern, n, 0, 0, 0, 0));
            // the pattern's sharp colour edges cost JPEG's 4:2:0 chroma more than a camera's frames
            double same = psnr(ours, frameOf(pattern, n));
            double before = psnr(ours, frameOf(pattern, n - 1));
            double after = n == 249 ? 0 : psnr(ours, frameOf(pattern, n + 1));
            assertTrue(same >= 25 && same > before + 5 && same > after + 5, "pattern frame " + n + ": " + same
                    + " dB, against the frames before and after " + before + " and " + after + " dB");
        }
    }

    /**
     * A width whose decoded rows FFmpeg pads (330 px: not a multiple of 16, 32 or 64): the clip is
     * decoded as BGR24 rather than planar YUV, and its pictures are still the source's (a planar
     * frame with padded rows, read as packed, would come out as diagonal stripes under 10 dB).
     */
    @Test
    void clipOfAWidthWhoseRowsArePadded() throws Exception {
        Path odd = dir.resolve("odd-width.mp4");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=330x240:rate=25:duration=3",
                "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", odd.toString());
        try (ExactFrameReader r = new ExactFrameReader(odd, 0, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P)) {
            assertEquals(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24, r.pixelFormat(), "padded rows: BGR24");
        }
        try (ExactFrameReader r = new ExactFrameReader(car, 0, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P)) {
            assertEquals(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P, r.pixelFormat(), "768 px rows: planar");
        }
        Path ts = dir.resolve("odd-width.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            assertEquals(11, ClipEncoder.encode(odd, 30, 40, false, false, out));
        }
        for (int i : new int[] {0, 10}) {
            Mat ours = frameOf(ts, i);
            double same = psnr(ours, frameOf(odd, 30 + i));
            double next = psnr(ours, frameOf(odd, 31 + i));
            assertTrue(same >= 30 && same > next + 3, "clip frame " + i + ": " + same + " dB, next " + next + " dB");
        }
    }

    /** @return frame n of a file as FFmpeg's CLI selects it */
    static Mat frameOf(Path file, long n) throws Exception {
        Path png = dir.resolve(file.getFileName() + "-" + n + ".png");
        if (!Files.exists(png)) {
            run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-vf", "select=eq(n\\," + n + ")", "-vsync", "0",
                    "-frames:v", "1", png.toString());
        }
        return opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_COLOR);
    }

    @Test
    void clipAcrossAKeyframeWithoutAudioInDebugMode() throws Exception {
        Path ts = dir.resolve("clip-debug.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            assertEquals(31, ClipEncoder.encode(car, 50, 80, false, true, out));
        }
        Map<String, String> p = TestVideos.probe(ts);
        assertEquals("31", p.get("nb_read_frames"));
        assertEquals("0", p.get("audio"));
        Path first = dir.resolve("debug-first.png");
        run("ffmpeg", "-v", "error", "-y", "-i", ts.toString(), "-frames:v", "1", first.toString());
        Mat f = opencv_imgcodecs.imread(first.toString());
        // the overlay's white ink: the top-left corner differs from the source, the rest does not
        Mat src = ffmpegFrame(50);
        org.bytedeco.opencv.opencv_core.Rect corner = new org.bytedeco.opencv.opencv_core.Rect(0, 0, 200, 40);
        org.bytedeco.opencv.opencv_core.Rect below = new org.bytedeco.opencv.opencv_core.Rect(0, 200, 768, 200);
        double cornerPsnr = psnr(new Mat(f, corner).clone(), new Mat(src, corner).clone());
        double belowPsnr = psnr(new Mat(f, below).clone(), new Mat(src, below).clone());
        assertTrue(cornerPsnr < 25 && belowPsnr > 30, "overlay corner " + cornerPsnr + " dB, rest " + belowPsnr + " dB");
        assertArrayEquals(new long[] {0}, new long[] {ClipEncoder.encode(car, 377, 400, false, false,
                OutputStream.nullOutputStream())});
    }

    /**
     * The zero-loss cut of car-detection.mp4 (no B-frames, keyframes at 0, 60, 120...): frames
     * 100..150 start at keyframe 60, so 91 packets are copied; the pictures are bit-exact (PSNR of
     * identical images) and the AAC audio is copied too, or dropped.
     */
    @Test
    void copyCutStartsAtTheKeyframeBeforeAndIsBitExact() throws Exception {
        StreamCopyCut.Plan plan = StreamCopyCut.plan(car, 100, 150, true);
        assertEquals(60, plan.startFrame());
        assertEquals(150, plan.endFrame());
        assertEquals(91, plan.frames());
        assertEquals("h264", plan.videoCodec());
        assertEquals("aac", plan.audioCodec());
        Path ts = dir.resolve("cut.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            assertEquals(91, StreamCopyCut.copy(car, plan, out));
        }
        Map<String, String> p = TestVideos.probe(ts);
        assertEquals("h264", p.get("codec_name"));
        assertEquals("91", p.get("nb_read_frames"));
        assertEquals("1", p.get("audio"));
        double duration = Double.parseDouble(p.get("format.duration"));
        assertTrue(Math.abs(duration - 91 / 12.5) < 0.15, "cut lasts " + duration + " s, 91 frames at 12.5 fps");
        assertTrue(psnr(frameOf(ts, 0), ffmpegFrame(60)) > 99, "first picture identical to the source's frame 60");
        assertTrue(psnr(frameOf(ts, 90), ffmpegFrame(150)) > 99, "last picture identical to the source's frame 150");

        StreamCopyCut.Plan mute = StreamCopyCut.plan(car, 120, 120, false);
        assertEquals(120, mute.startFrame());
        assertEquals(1, mute.frames());
        Path one = dir.resolve("cut-one.ts");
        try (OutputStream out = Files.newOutputStream(one)) {
            StreamCopyCut.copy(car, mute, out);
        }
        assertEquals("1", TestVideos.probe(one).get("nb_read_frames"));
        assertEquals("0", TestVideos.probe(one).get("audio"));

        StreamCopyCut.PastTheEnd past = assertThrows(StreamCopyCut.PastTheEnd.class,
                () -> StreamCopyCut.plan(car, 370, 377, true));
        assertEquals(377, past.frames());
    }

    /**
     * A cut of a stream with B-frames (testsrc2, x264 {@code -bf 2}, a keyframe every 25 frames):
     * it starts at keyframe 25 and the frames it says it copies are the frames in the file, the last
     * one being the source's frame {@code endFrame}.
     */
    @Test
    void copyCutOfAStreamWithBFramesSaysWhatItCopied() throws Exception {
        Path pattern = dir.resolve("pattern-b.mp4");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=6",
                "-c:v", "libx264", "-g", "25", "-bf", "2", "-pix_fmt", "yuv420p", pattern.toString());
        StreamCopyCut.Plan plan = StreamCopyCut.plan(pattern, 30, 60, true);
        assertEquals(25, plan.startFrame());
        assertTrue(plan.endFrame() >= 60 && plan.endFrame() <= 63, "end " + plan.endFrame());
        assertEquals(plan.endFrame() - plan.startFrame() + 1, plan.frames());
        assertTrue(!plan.audio());
        Path ts = dir.resolve("pattern-cut.ts");
        try (OutputStream out = Files.newOutputStream(ts)) {
            StreamCopyCut.copy(pattern, plan, out);
        }
        Map<String, String> p = TestVideos.probe(ts);
        assertEquals("h264", p.get("codec_name"));
        assertEquals(String.valueOf(plan.frames()), p.get("nb_read_frames"));
        assertTrue(psnr(frameOf(ts, 0), frameOf(pattern, 25)) > 99, "first picture: the source's frame 25");
        assertTrue(psnr(frameOf(ts, plan.frames() - 1), frameOf(pattern, plan.endFrame())) > 99,
                "last picture: the source's frame " + plan.endFrame());
    }
}
