package io.argus.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.media.TestVideos;

/**
 * {@link BlurDetect} against the {@code ffmpeg} program of the same JavaCV FFmpeg presets
 * ({@code ffmpeg -i crop.png -vf format=gray,blurdetect,metadata=mode=print:file=- -f null -}) on the
 * nine face crops of {@code blur/} (see its README), on Gaussian-blurred copies, on the crops scaled to
 * 112×112 and 320×320, on a grey-level PNG and on a flat image; blurred copies score higher; bad input
 * is refused; concurrent calls agree with sequential ones; 10,000 calls do not grow the resident set.
 */
class BlurDetectTest {

    /** The largest relative difference allowed from the ffmpeg program's value. */
    static final double RELATIVE = 1e-3;

    static final Pattern BLUR = Pattern.compile("lavfi\\.blur=(\\S+)");

    static Path dir;
    static Path res;
    static String ffmpeg;
    static Map<String, BufferedImage> crops = new LinkedHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("argus-blur");
        ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        res = Path.of(BlurDetectTest.class.getResource("/blur").toURI());
        try (var files = Files.list(res)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                crops.put(p.getFileName().toString(), ImageIO.read(p.toFile()));
            }
        }
        assertTrue(crops.size() >= 6, "face crops in blur/: " + crops.keySet());
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestVideos.deleteTree(dir);
    }

    /** @return lavfi.blur as the ffmpeg program prints it for the PNG, through {@code filters} */
    static String cli(Path png, String filters) throws Exception {
        Process p = new ProcessBuilder(ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-i", png.toString(), "-vf",
                filters + ",metadata=mode=print:file=-", "-f", "null", "-").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, "ffmpeg on " + png + ": " + out);
        Matcher m = BLUR.matcher(out);
        assertTrue(m.find(), "no lavfi.blur from ffmpeg on " + png + ": " + out);
        return m.group(1);
    }

    static Path png(String name, BufferedImage img) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    /** Asserts BlurDetect on the image read back from its PNG equals the ffmpeg program's value. */
    static double assertMatchesCli(String name, BufferedImage img, String filters) throws Exception {
        Path f = png(name, img);
        double expected = BlurDetect.parse(cli(f, filters));
        double actual = BlurDetect.score(ImageIO.read(f.toFile()));
        double rel = Math.abs(actual - expected) / Math.abs(expected);
        System.out.printf("blur %-32s %4dx%-4d ffmpeg %.6f  BlurDetect %.6f  rel.diff %.1e%n", name, img.getWidth(),
                img.getHeight(), expected, actual, rel);
        assertTrue(rel <= RELATIVE, name + ": BlurDetect " + actual + ", ffmpeg " + expected);
        return actual;
    }

    @Test
    void equalsTheFfmpegProgramOnFaceCrops() throws Exception {
        double worst = 0;
        for (var e : crops.entrySet()) {
            Path f = res.resolve(e.getKey());
            double expected = BlurDetect.parse(cli(f, "format=gray,blurdetect"));
            double actual = BlurDetect.score(e.getValue());
            assertTrue(expected > 1 && expected < 20, e.getKey() + ": ffmpeg's blur " + expected);
            double rel = Math.abs(actual - expected) / expected;
            worst = Math.max(worst, rel);
            System.out.printf("blur %-32s %4dx%-4d ffmpeg %.6f  BlurDetect %.6f  rel.diff %.1e%n", e.getKey(),
                    e.getValue().getWidth(), e.getValue().getHeight(), expected, actual, rel);
            assertTrue(rel <= RELATIVE, e.getKey() + ": BlurDetect " + actual + ", ffmpeg " + expected);
        }
        System.out.printf("blur worst relative difference over %d face crops: %.1e%n", crops.size(), worst);
    }

    @Test
    void equalsTheFfmpegProgramOnScaledAndBlurredCrops() throws Exception {
        for (var e : crops.entrySet()) {
            String base = e.getKey().replace(".png", "");
            assertMatchesCli(base + "-112.png", scaled(e.getValue(), 112), "format=gray,blurdetect");
            assertMatchesCli(base + "-320.png", scaled(e.getValue(), 320), "format=gray,blurdetect");
            assertMatchesCli(base + "-gauss.png", gaussian(e.getValue(), 1.5), "format=gray,blurdetect");
        }
    }

    @Test
    void aGreyLevelImageIsMeasuredAsIs() throws Exception {
        BufferedImage rgb = crops.get("hp-man-f10.png");
        BufferedImage grey = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int p = rgb.getRGB(x, y);
                int luma = (77 * (p >> 16 & 255) + 150 * (p >> 8 & 255) + 29 * (p & 255) + 128) >> 8;
                grey.getRaster().setSample(x, y, 0, luma);
            }
        }
        // a grey PNG decodes to gray8: the plain filter measures it with no conversion
        Path f = png("grey.png", grey);
        double plain = BlurDetect.parse(cli(f, "blurdetect"));
        assertEquals(plain, BlurDetect.score(ImageIO.read(f.toFile())), plain * RELATIVE);
    }

    /**
     * Gaussian blur (σ 1.5 and 3 pixels) raises the score of every crop scaled to 112×112, and of every
     * crop at its own size when it is at least 48 pixels a side. On the 24×28 classroom crops at their
     * own size the measure cannot see a mild blur (cr-front-right: 4.914 sharp, 4.848 at σ 1.5): few
     * edges, most of them soft already, and the filter drops an edge whose extremum search reaches the
     * image border.
     */
    @Test
    void aBlurredCopyScoresHigher() {
        for (var e : crops.entrySet()) {
            BufferedImage crop = e.getValue();
            List<BufferedImage> sizes = Math.min(crop.getWidth(), crop.getHeight()) >= 48
                    ? List.of(crop, scaled(crop, 112)) : List.of(scaled(crop, 112));
            for (BufferedImage img : sizes) {
                double sharp = BlurDetect.score(img);
                double soft = BlurDetect.score(gaussian(img, 1.5));
                double softer = BlurDetect.score(gaussian(img, 3));
                String what = e.getKey() + " " + img.getWidth() + "x" + img.getHeight();
                System.out.printf("blur %-40s original %.3f  gaussian σ1.5 %.3f  σ3 %.3f%n", what, sharp, soft,
                        softer);
                assertTrue(sharp < soft && soft < softer, what + ": " + sharp + ", σ1.5 " + soft + ", σ3 " + softer);
            }
        }
    }

    @Test
    void aFlatImageScoresNaNAsFfmpegDoes() throws Exception {
        BufferedImage flat = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = flat.createGraphics();
        g.setColor(new java.awt.Color(128, 110, 90));
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        String printed = cli(png("flat.png", flat), "format=gray,blurdetect");
        assertTrue(printed.contains("nan"), "ffmpeg's lavfi.blur for a flat image: " + printed);
        assertTrue(Double.isNaN(BlurDetect.score(flat)));
        System.out.println("blur flat 64x64: ffmpeg prints lavfi.blur=" + printed + ", BlurDetect NaN");
    }

    @Test
    void refusesNullAndTinyCrops() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> BlurDetect.score(null));
        assertTrue(none.getMessage().contains("null"), none.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> BlurDetect.score(new BufferedImage(7, 40, BufferedImage.TYPE_3BYTE_BGR)));
        assertTrue(tiny.getMessage().contains("7x40") && tiny.getMessage().contains("8x8"), tiny.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BlurDetect.score(new BufferedImage(40, 7, BufferedImage.TYPE_INT_RGB)));
        // the smallest accepted crop gives a value (NaN or a width), no error
        double small = BlurDetect.score(scaled(crops.get("hp-man-f10.png"), 8));
        assertTrue(Double.isNaN(small) || small >= 0, "8x8: " + small);
    }

    @Test
    void concurrentCallsAgreeWithSequentialOnes() throws Exception {
        List<BufferedImage> images = new ArrayList<>(crops.values());
        double[] expected = images.stream().mapToDouble(BlurDetect::score).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    double[] got = new double[images.size() * 10];
                    for (int i = 0; i < got.length; i++) {
                        got[i] = BlurDetect.score(images.get(i % images.size()));
                    }
                    return got;
                }));
            }
            for (Future<double[]> run : runs) {
                double[] got = run.get(2, TimeUnit.MINUTES);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i % expected.length], got[i], 0.0, "call " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void timesAndDoesNotLeakOverTenThousandCalls() throws Exception {
        BufferedImage crop = crops.get("hp-man-f10.png");
        BufferedImage small = scaled(crop, 112);
        BufferedImage large = scaled(crop, 320);
        for (int i = 0; i < 300; i++) {
            BlurDetect.score(small);
            BlurDetect.score(large);
        }
        double[] s = msPerCall(small, 300);
        double[] l = msPerCall(large, 100);
        System.out.printf("blur ms per crop (wall / this thread's CPU): 112x112 %.2f / %.2f, 320x320 %.2f / %.2f%n",
                s[0], s[1], l[0], l[1]);

        // 10,000 calls on a 32x32 crop once the resident set outside the Java heap has settled: it grows by
        // ~35 MB over the first 10,000-15,000 calls of a JVM (JIT compilation, malloc arenas), then by
        // < 0.1 MB per 5,000. A graph, a frame or the filter's buffers left behind would add ≥ 2 kB a call,
        // ≥ 20 MB in all (without avfilter_graph_free it is 1.6 GB).
        BufferedImage img = scaled(crop, 32);
        double first = BlurDetect.score(img);
        long[] before = memoryKb();
        int warmUp = 0;
        for (long settled = Long.MAX_VALUE; settled > 1024 && warmUp < 50_000; warmUp += 5_000) {
            for (int i = 0; i < 5_000; i++) {
                BlurDetect.score(img);
            }
            long[] now = memoryKb();
            settled = (now[0] - now[1]) - (before[0] - before[1]);
            before = now;
        }
        // two windows of 10,000 calls: a leak grows the resident set in both; the JVM's own native
        // memory (code cache, GC structures) may still grow in one of them on a busy machine
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 2; window++) {
            before = memoryKb();
            for (int i = 0; i < 10_000; i++) {
                assertEquals(first, BlurDetect.score(img), 0.0);
            }
            long[] after = memoryKb();
            long grown = (after[0] - after[1]) - (before[0] - before[1]);
            System.out.printf("blur 10,000 calls on 32x32 after %d: RSS %d -> %d kB, Java heap committed %d -> %d kB, "
                    + "RSS outside the heap %+d kB%n", warmUp, before[0], after[0], before[1], after[1], grown);
            least = Math.min(least, grown);
        }
        assertTrue(least < 16 * 1024, "RSS outside the Java heap grew by " + least
                + " kB or more in each of two windows of 10,000 calls");
        assertFalse(Double.isNaN(first));
    }

    /** @return {wall ms, this thread's CPU ms} per call, averaged over n calls */
    static double[] msPerCall(BufferedImage img, int n) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BlurDetect.score(img);
        }
        return new double[] {(System.nanoTime() - t0) / 1e6 / n, (mx.getCurrentThreadCpuTime() - c0) / 1e6 / n};
    }

    /** @return {resident set, committed Java heap} in kB, after a full collection */
    static long[] memoryKb() throws Exception {
        System.gc();
        Thread.sleep(200);
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        return new long[] {rssKb(), heap / 1024};
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** The image resized to side×side, bilinear, as TYPE_3BYTE_BGR (what ImageIO gives for RGB PNG). */
    static BufferedImage scaled(BufferedImage src, int side) {
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, side, side, null);
        g.dispose();
        return out;
    }

    /** A separable Gaussian blur of standard deviation sigma pixels (kernel ±3σ, edges clamped). */
    static BufferedImage gaussian(BufferedImage src, double sigma) {
        int w = src.getWidth();
        int h = src.getHeight();
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        double[][] tmp = new double[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double[] acc = new double[3];
                for (int i = -r; i <= r; i++) {
                    int p = in[y * w + Math.min(w - 1, Math.max(0, x + i))];
                    for (int c = 0; c < 3; c++) {
                        acc[c] += k[i + r] * (p >> (16 - 8 * c) & 255);
                    }
                }
                for (int c = 0; c < 3; c++) {
                    tmp[c][y * w + x] = acc[c];
                }
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) {
                        acc += k[i + r] * tmp[c][Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    rgb |= (int) Math.min(255, Math.round(acc)) << (16 - 8 * c);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }
}
