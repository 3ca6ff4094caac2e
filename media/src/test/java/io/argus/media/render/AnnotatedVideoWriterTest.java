package io.argus.media.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.extractor.source.SourceException;
import io.argus.media.TestVideos;

/**
 * Renders car-detection.mp4 (768×432, 12.5 fps, 377 frames) with two moving tracks sampled on
 * every third frame, an untracked box, a counting line and a caption, then checks the MP4 with
 * ffprobe and its pixels against the source's.
 */
class AnnotatedVideoWriterTest {

    private static final int STEP = 3; // a result every 3rd frame (240 ms at 12.5 fps)
    private static final long FRAME_MS = 80;
    private static final int RED = 0xE00000;
    private static final int BLUE = 0x0040FF;

    private static Path dir;
    private static Path source;
    private static Path output;
    private static RenderResult result;

    /** Track 1 moves from (100, 120) to the right by 1 pixel a frame; track 2 down by 0.5 a frame. */
    private static Overlay track1(int frame) {
        return new Overlay(100 + frame, 120, 120, 90, "car", 1, 0.9, RED);
    }

    private static Overlay track2(int frame) {
        return new Overlay(450, 60 + frame * 0.5, 100, 140, "person", 27, 0.75, BLUE);
    }

    @BeforeAll
    static void render() throws Exception {
        dir = Files.createTempDirectory("argus-render");
        source = TestVideos.clip("car-detection.mp4");
        Annotations.Builder b = Annotations.builder();
        for (int f = 0; f < 300; f += STEP) { // tracks end at frame 297
            List<Overlay> boxes = new ArrayList<>(List.of(track1(f), track2(f)));
            if (f == 150) {
                boxes.add(new Overlay(600, 300, 80, 60, "bicycle", Overlay.NO_TRACK, 0.5, 0x00C000));
            }
            b.frame(f * FRAME_MS, boxes);
        }
        b.line(new CountingLine("gate", List.of(new double[] {0, 0.9}, new double[] {1, 0.9}), CountingLine.YELLOW));
        b.caption(0, List.of("0123456789", "cars 2"));
        output = dir.resolve("annotated.mp4");
        result = new AnnotatedVideoWriter().render(source, b.build(), output);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        TestVideos.deleteTree(dir);
    }

    @Test
    void outputIsH264WithTheSourcesFramesAndDuration() throws Exception {
        Map<String, String> in = TestVideos.probe(source);
        Map<String, String> out = TestVideos.probe(output);
        assertEquals("h264", out.get("codec_name"));
        assertEquals("yuv420p", out.get("pix_fmt"));
        assertEquals(in.get("width"), out.get("width"));
        assertEquals(in.get("height"), out.get("height"));
        assertEquals(in.get("nb_read_frames"), out.get("nb_read_frames"), "frame count");
        assertEquals(Long.parseLong(in.get("nb_read_frames")), result.frames());
        assertEquals(in.get("avg_frame_rate"), out.get("avg_frame_rate"));
        double frame = 1 / result.fps();
        assertEquals(Double.parseDouble(in.get("duration")), Double.parseDouble(out.get("duration")), frame,
                "video stream duration within one frame");
        assertEquals("0", out.get("audio"));
        assertFalse(Files.exists(dir.resolve("annotated.mp4.part")));
        System.out.printf("rendered %d frames %dx%d in %.0f ms (%.1f frames/s), %d boxes, %d bytes%n", result.frames(),
                result.width(), result.height(), result.elapsedMs(), result.frames() * 1000 / result.elapsedMs(),
                result.boxes(), result.bytes());
    }

    @Test
    void boxesAreDrawnWhereTheResultsAndTheirInterpolationsSayAndTheInsideIsUnchanged() throws Exception {
        // 30: a result; 31 and 32: interpolated between 30 and 33; 298: after the tracks' last result
        Map<Integer, Frame> src = frames(source, 30, 31, 32, 150, 151, 298);
        Map<Integer, Frame> out = frames(output, 30, 31, 32, 150, 151, 298);
        for (int f : List.of(30, 31, 32)) {
            Overlay a = track1(f); // linear motion: the interpolation is exact
            assertEdge(out.get(f), a, RED, "track 1 frame " + f);
            assertEdge(out.get(f), track2(f), BLUE, "track 2 frame " + f);
            assertInsideUnchanged(src.get(f), out.get(f), a, "track 1 frame " + f);
            assertInsideUnchanged(src.get(f), out.get(f), track2(f), "track 2 frame " + f);
        }
        Overlay bike = new Overlay(600, 300, 80, 60, "bicycle", Overlay.NO_TRACK, 0.5, 0x00C000);
        assertEdge(out.get(150), bike, 0x00C000, "untracked box on its frame");
        assertEdge(out.get(151), bike, 0x00C000, "untracked box held on the next frame (nearest result)");
        // after the last result the track is not drawn: the edge looks like the source
        double diff = meanDiff(src.get(298), out.get(298), (int) track1(298).x(), 120, 120, 2);
        assertTrue(diff < 12, "no box after the track's last result: " + diff);
    }

    @Test
    void captionDigitsAreReadableInTheEncodedVideo() throws Exception {
        Frame f = frames(output, 100).get(100);
        int s = FrameAnnotator.fontScale(f.imageHeight);
        int at = 6 * s; // caption margin 4 s + padding 2 s
        assertEquals("0123456789", GlyphReader.read((x, y) -> luma(f, x, y), at, at, s, 10, false));
        int second = at + BitmapFont.height(s) + 3 * s;
        assertEquals("cars 2", GlyphReader.read((x, y) -> luma(f, x, y), at, second, s, 6, false));
    }

    @Test
    void theTrackLabelIsReadable() throws Exception {
        Frame f = frames(output, 30).get(30);
        int s = FrameAnnotator.fontScale(f.imageHeight);
        Overlay a = track1(30);
        int top = (int) a.y() - (BitmapFont.height(s) + 2 * s) + s;
        // red background: white text
        assertEquals("car #1 0.90", GlyphReader.read((x, y) -> luma(f, x, y), (int) a.x() + s, top, s, 11, false));
    }

    @Test
    void aFileThatIsNotAVideoIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        SourceException e = assertThrows(SourceException.class,
                () -> new AnnotatedVideoWriter().render(text, Annotations.builder().build(), dir.resolve("x.mp4")));
        assertEquals("cannot open the file", e.getMessage());
        assertEquals(400, e.code());
        assertFalse(Files.exists(dir.resolve("x.mp4")) || Files.exists(dir.resolve("x.mp4.part")));
    }

    private static void assertEdge(Frame f, Overlay o, int rgb, String what) {
        int t = FrameAnnotator.thickness(f.imageHeight);
        // middle of the top edge, of the left edge and of the bottom edge, inside the line
        int x = (int) Math.round(o.x());
        int y = (int) Math.round(o.y());
        int w = (int) Math.round(o.width());
        int h = (int) Math.round(o.height());
        int[][] points = {{x + w / 2, y + t / 2}, {x + t / 2, y + h / 2}, {x + w / 2, y + h - 1 - t / 2},
            {x + w - 1 - t / 2, y + h / 2}};
        for (int[] p : points) {
            int got = rgb(f, p[0], p[1]);
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs((got >> shift & 0xFF) - (rgb >> shift & 0xFF));
                assertTrue(d <= 60, what + " at " + p[0] + "," + p[1] + ": " + Integer.toHexString(got) + " vs "
                        + Integer.toHexString(rgb));
            }
        }
    }

    private static void assertInsideUnchanged(Frame src, Frame out, Overlay o, String what) {
        int m = 3 * FrameAnnotator.thickness(out.imageHeight);
        double d = meanDiff(src, out, (int) o.x() + m, (int) o.y() + m, (int) o.width() - 2 * m,
                (int) o.height() - 2 * m);
        assertTrue(d < 8, what + ": inside differs from the source by " + d + " on average");
    }

    /** Mean absolute difference of the channels over a rectangle. */
    private static double meanDiff(Frame a, Frame b, int x, int y, int w, int h) {
        long sum = 0;
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                int p = rgb(a, xx, yy);
                int q = rgb(b, xx, yy);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * w * h);
    }

    private static int rgb(Frame f, int x, int y) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        int at = y * f.imageStride + x * 3;
        return (b.get(at + 2) & 0xFF) << 16 | (b.get(at + 1) & 0xFF) << 8 | b.get(at) & 0xFF;
    }

    private static int luma(Frame f, int x, int y) {
        return FrameAnnotator.luma(rgb(f, x, y));
    }

    /** Decodes a file and keeps copies of the frames of the given indices (counted from 0). */
    private static Map<Integer, Frame> frames(Path file, int... wanted) throws Exception {
        Map<Integer, Frame> out = new java.util.HashMap<>();
        int last = java.util.Arrays.stream(wanted).max().orElse(0);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            for (int i = 0; i <= last; i++) {
                Frame f = g.grabImage();
                for (int w : wanted) {
                    if (w == i) {
                        out.put(i, f.clone());
                    }
                }
            }
        }
        return out;
    }
}
