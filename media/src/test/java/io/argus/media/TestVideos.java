package io.argus.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The committed clips of {@code eval/clips}, and ffprobe's view of a file (the ffmpeg CLI's prober). */
public final class TestVideos {

    private TestVideos() {
    }

    /**
     * @param name a file of {@code eval/clips}
     * @return its path, found from the test's working directory (the module or the root)
     */
    public static Path clip(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("eval").resolve("clips").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no eval/clips/" + name + " above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs {@code ffprobe -count_frames} on the first video stream.
     *
     * @param file a video file
     * @return {@code key=value} pairs of the stream (codec_name, pix_fmt, width, height,
     *         avg_frame_rate, nb_read_frames, duration) and the format ({@code format.duration},
     *         {@code format.nb_streams}); {@code audio} is "1" when the file has an audio stream
     * @throws IOException when ffprobe fails
     */
    public static Map<String, String> probe(Path file) throws IOException, InterruptedException {
        Map<String, String> out = new HashMap<>();
        for (String line : run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,pix_fmt,width,height,avg_frame_rate,nb_read_frames,duration", "-of",
                "default=noprint_wrappers=1", file.toString()).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        for (String line : run("ffprobe", "-v", "error", "-show_entries", "format=duration,nb_streams", "-of",
                "default=noprint_wrappers=1", file.toString()).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put("format." + line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        String audio = run("ffprobe", "-v", "error", "-select_streams", "a", "-show_entries", "stream=index", "-of",
                "csv=p=0", file.toString()).trim();
        out.put("audio", audio.isEmpty() ? "0" : "1");
        return out;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * @param dir a directory to delete with everything in it (nothing happens when missing)
     * @throws IOException when a file cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
