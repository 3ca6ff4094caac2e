package io.argus.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacv.FFmpegFrameGrabber;

import io.argus.extractor.samples.SampleVideos;
import io.argus.media.render.AnnotatedVideoWriter;
import io.argus.media.render.Annotations;
import io.argus.media.render.FrameAnnotator;
import io.argus.media.render.Overlay;
import io.argus.media.render.RenderResult;

/**
 * The annotated video's encode speed against the ffmpeg CLI drawing the same boxes (issue
 * "Objects over time", benchmark: target ≥ 0.9).
 *
 * <p>Scene: {@value #TRACKS} synthetic tracks crossing the frame in straight lines, each with a
 * result on every third frame (a job tracking at a third of the frame rate); Argus interpolates
 * the boxes of the frames between ({@link Annotations}). The CLI draws, on every frame, the
 * boxes Argus computes for that frame: one {@code drawbox} filter per track, moved frame by frame
 * by a {@code sendcmd} script, encoded with libx264 (Debian's ffmpeg has no libopenh264) at two
 * presets. Argus draws labels too ({@code class #id score} in its bitmap font), the CLI boxes only.
 * Both write H.264 yuv420p MP4 with a keyframe every 2 s and {@code +faststart}, no audio.
 * Ratio = CLI wall time / Argus wall time; the CLI's includes its process start.
 */
public final class RenderBench {

    /** Heading of the section, used to replace it in an existing report. */
    public static final String HEADING = "## Annotated video against the ffmpeg CLI";
    /** Tracks in the synthetic scene. */
    public static final int TRACKS = 8;
    /** A result every this many frames. */
    public static final int STEP = 3;
    /** The CLI's x264 presets measured. */
    static final List<String> PRESETS = List.of("veryfast", "ultrafast");

    private RenderBench() {
    }

    /**
     * One clip's figures.
     *
     * @param video   file name
     * @param width   pixels
     * @param height  pixels
     * @param frames  frames rendered
     * @param boxes   boxes drawn by Argus over all frames
     * @param argusMs median wall time of Argus, ms
     * @param cliMs   median wall time of the CLI per preset (order of {@link #PRESETS}), ms
     */
    public record Row(String video, int width, int height, long frames, long boxes, double argusMs, double[] cliMs) {
    }

    /**
     * @param work scratch directory
     * @param runs measured runs per side (one more warms up), alternating
     * @return the section as Markdown, starting with a newline
     * @throws Exception when ffmpeg or the writer fails
     */
    public static String section(Path work, int runs) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Path clip : clips()) {
            rows.add(measure(clip, work, runs));
        }
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Annotated MP4 of a whole clip (`AnnotatedVideoWriter`: decode, draw, encode with the bundled ")
          .append("FFmpeg's libopenh264, in process) against the ffmpeg CLI drawing the same boxes with `drawbox` ")
          .append("(moved per frame by `sendcmd`) and encoding with libx264 (Debian's ffmpeg has no libopenh264). ")
          .append(TRACKS).append(" synthetic tracks with a result every ").append(STEP)
          .append(" frames; Argus interpolates the frames between and also draws each box's label in its bitmap ")
          .append("font, the CLI draws the same interpolated boxes and no labels. Both: H.264 yuv420p MP4, keyframe ")
          .append("every 2 s, `+faststart`, no audio. Medians of ").append(runs)
          .append(" runs after one warm-up, alternating; the CLI's time includes its process start. ")
          .append("Ratio = CLI time / Argus time (target >= 0.9). Rerun with `./argus bench --suite render`.\n\n")
          .append("| video | size | frames | boxes | Argus ms | Argus frames/s |");
        for (String p : PRESETS) {
            md.append(" CLI x264 ").append(p).append(" ms | ratio ").append(p).append(" |");
        }
        md.append("\n|---|---|---:|---:|---:|---:|");
        md.append("---:|---:|".repeat(PRESETS.size()));
        md.append('\n');
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %dx%d | %d | %d | %.0f | %.1f |", r.video(), r.width(),
                    r.height(), r.frames(), r.boxes(), r.argusMs(), r.frames() * 1000 / r.argusMs()));
            for (double cli : r.cliMs()) {
                md.append(String.format(Locale.ROOT, " %.0f | %.2f |", cli, cli / r.argusMs()));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** @return the committed car clip, and vtest.avi (fetched when missing) */
    private static List<Path> clips() throws IOException {
        List<Path> clips = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("eval/clips/car-detection.mp4");
            if (Files.isRegularFile(f)) {
                clips.add(f);
                break;
            }
        }
        clips.add(SampleVideos.ensure("vtest.avi"));
        return clips;
    }

    /**
     * @param clip a video
     * @param work scratch directory
     * @param runs measured runs per side
     * @return the clip's figures
     * @throws Exception when ffmpeg or the writer fails
     */
    public static Row measure(Path clip, Path work, int runs) throws Exception {
        int width;
        int height;
        double fps;
        int frames;
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            width = g.getImageWidth();
            height = g.getImageHeight();
            fps = g.getVideoFrameRate();
            frames = 0;
            while (g.grabImage() != null) {
                frames++;
            }
        }
        Annotations scene = scene(width, height, fps, frames);
        Path filters = filterScript(scene, work, clip.getFileName().toString(), height, fps, frames);
        AnnotatedVideoWriter writer = new AnnotatedVideoWriter();
        Path ours = work.resolve("render-argus.mp4");
        Path theirs = work.resolve("render-cli.mp4");
        double[] argus = new double[runs];
        double[][] cli = new double[PRESETS.size()][runs];
        RenderResult last = null;
        for (int run = -1; run < runs; run++) {
            long t0 = System.nanoTime();
            last = writer.render(clip, scene, ours);
            double argusMs = (System.nanoTime() - t0) / 1e6;
            for (int p = 0; p < PRESETS.size(); p++) {
                double ms = cli(clip, filters, PRESETS.get(p), fps, theirs);
                if (run >= 0) {
                    cli[p][run] = ms;
                }
            }
            if (run >= 0) {
                argus[run] = argusMs;
            }
        }
        double[] cliMedians = new double[PRESETS.size()];
        for (int p = 0; p < PRESETS.size(); p++) {
            cliMedians[p] = median(cli[p]);
        }
        Files.deleteIfExists(ours);
        Files.deleteIfExists(theirs);
        return new Row(clip.getFileName().toString(), width, height, last.frames(), last.boxes(), median(argus),
                cliMedians);
    }

    /**
     * @return {@value #TRACKS} tracks, each crossing the frame in a straight line over a random
     *         part of the clip (seeded: the same scene every run), results every {@value #STEP} frames
     */
    static Annotations scene(int width, int height, double fps, int frames) {
        Random random = new Random(20261206L);
        Annotations.Builder b = Annotations.builder();
        List<List<Overlay>> results = new ArrayList<>();
        for (int f = 0; f < frames; f += STEP) {
            results.add(new ArrayList<>());
        }
        for (int t = 0; t < TRACKS; t++) {
            int first = random.nextInt(Math.max(1, frames / 3));
            int last = Math.min(frames - 1, first + frames / 2 + random.nextInt(Math.max(1, frames / 3)));
            double w = width / 10.0 + random.nextInt(Math.max(1, width / 10));
            double h = height / 8.0 + random.nextInt(Math.max(1, height / 8));
            double x0 = random.nextDouble() * (width - w);
            double y0 = random.nextDouble() * (height - h);
            double x1 = random.nextDouble() * (width - w);
            double y1 = random.nextDouble() * (height - h);
            String label = t % 3 == 0 ? "person" : "car";
            for (int i = 0; i < results.size(); i++) {
                int f = i * STEP;
                if (f >= first && f <= last) {
                    double u = (f - first) / (double) Math.max(1, last - first);
                    results.get(i).add(Overlay.of(x0 + (x1 - x0) * u, y0 + (y1 - y0) * u, w, h, label, t + 1,
                            0.5 + 0.05 * (t % 10)));
                }
            }
        }
        for (int i = 0; i < results.size(); i++) {
            b.frame(Math.round(i * STEP * 1000 / fps), results.get(i));
        }
        return b.build();
    }

    /**
     * Writes the CLI's filter script: {@code sendcmd} with, for every frame, the position and size
     * of each track's {@code drawbox} (off-frame when the track has no box on that frame), then one
     * {@code drawbox} per track in the track's colour and Argus's line thickness.
     *
     * @return the filter script file
     */
    static Path filterScript(Annotations scene, Path work, String name, int height, double fps, int frames)
            throws IOException {
        StringBuilder cmds = new StringBuilder();
        long tolerance = Math.max(1, Math.round(500 / fps));
        for (int f = 0; f < frames; f++) {
            long tMs = Math.round(f * 1000 / fps);
            String[] place = new String[TRACKS + 1];
            for (Overlay o : scene.overlaysAt(tMs, tolerance)) {
                place[(int) o.trackId()] = String.format(Locale.ROOT, "x %d, drawbox@t%d y %d, drawbox@t%d w %d, "
                        + "drawbox@t%d h %d", Math.round(o.x()), o.trackId(), Math.round(o.y()), o.trackId(),
                        Math.max(1, Math.round(o.width())), o.trackId(), Math.max(1, Math.round(o.height())));
            }
            cmds.append(String.format(Locale.ROOT, "%.4f ", Math.max(0, (f - 0.5) / fps)));
            for (int t = 1; t <= TRACKS; t++) {
                cmds.append(t > 1 ? ", " : "").append("drawbox@t").append(t).append(' ')
                    .append(place[t] == null ? "x -10000" : place[t]);
            }
            cmds.append(";\n");
        }
        Path cmdFile = work.resolve(name + ".sendcmd.txt");
        Files.writeString(cmdFile, cmds, StandardCharsets.UTF_8);
        StringBuilder graph = new StringBuilder("sendcmd=f=").append(cmdFile.toAbsolutePath());
        int thickness = FrameAnnotator.thickness(height);
        for (int t = 1; t <= TRACKS; t++) {
            graph.append(String.format(Locale.ROOT, ",drawbox@t%d=x=-10000:y=0:w=1:h=1:color=0x%06X:t=%d", t,
                    io.argus.media.render.Palette.forTrack(t), thickness));
        }
        Path script = work.resolve(name + ".filters.txt");
        Files.writeString(script, graph, StandardCharsets.UTF_8);
        return script;
    }

    private static double cli(Path clip, Path filters, String preset, double fps, Path out)
            throws IOException, InterruptedException {
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", clip.toString(), "-an",
                "-filter_script:v", filters.toString(), "-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p",
                "-g", Integer.toString((int) Math.round(fps * 2)), "-movflags", "+faststart", out.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + new String(log, StandardCharsets.UTF_8));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
