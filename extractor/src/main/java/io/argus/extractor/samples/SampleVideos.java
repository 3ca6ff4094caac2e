package io.argus.extractor.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real sample videos from Debian's {@code opencv-doc} package: vtest.avi (pedestrians,
 * 768×576, 10 fps, 79.5 s, 4 keyframes), Megamind.avi (animated faces, 720×528) and tree.avi
 * (320×240, header claims 444 frames, has 68).
 *
 * <p>They are copied from an installed opencv-doc when present; otherwise the package is
 * fetched with {@code apt-get download} (after {@code apt-get update} when the package lists
 * are empty and we are root) and unpacked with {@code dpkg-deb -x}, which avoids installing
 * its 270 MB.
 */
public final class SampleVideos {

    /** Directory of the examples inside the opencv-doc package. */
    public static final String PACKAGE_DIR = "usr/share/doc/opencv-doc/examples/data";
    /** The clips Argus uses. */
    public static final List<String> NAMES = List.of("vtest.avi", "Megamind.avi", "tree.avi");

    private static final Logger LOG = LoggerFactory.getLogger(SampleVideos.class);

    private SampleVideos() {
    }

    /**
     * @return the samples directory: system property {@code argus.samples.dir}, else environment
     *         variable {@code ARGUS_SAMPLES_DIR}, else {@code data/samples}
     */
    public static Path dir() {
        String p = System.getProperty("argus.samples.dir");
        if (p == null || p.isBlank()) {
            p = System.getenv("ARGUS_SAMPLES_DIR");
        }
        return Path.of(p == null || p.isBlank() ? "data/samples" : p).toAbsolutePath();
    }

    /**
     * Returns a sample, fetching the package once when it is missing.
     *
     * @param name one of {@link #NAMES}
     * @return path of the video file
     * @throws IOException when the package cannot be fetched or unpacked
     */
    public static synchronized Path ensure(String name) throws IOException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown sample " + name + "; known: " + NAMES);
        }
        Path dir = Files.createDirectories(dir());
        Path target = dir.resolve(name);
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path installed = Path.of("/", PACKAGE_DIR);
        if (Files.isDirectory(installed)) {
            copyAll(installed, dir);
        } else {
            fetchPackage(dir);
        }
        if (!Files.isRegularFile(target)) {
            throw new IOException("opencv-doc has no " + name);
        }
        return target;
    }

    /**
     * A sample re-encoded once with the ffmpeg CLI (libx264, zero-latency tuning, yuv420p, no
     * audio) into FLV, for publishing as a live stream with codec copy
     * ({@code io.argus.testkit.servers.RtmpTestServer.publish}, in argus-testkit). Cached next to the samples.
     *
     * @param name    one of {@link #NAMES}
     * @param seconds length to keep from the start, in seconds
     * @param gop     keyframe interval in frames (vtest.avi has 10 fps: 10 gives one keyframe a second)
     * @return path of the FLV file
     * @throws IOException when the sample cannot be fetched or ffmpeg fails (needs the ffmpeg CLI)
     */
    public static synchronized Path h264Loop(String name, int seconds, int gop) throws IOException {
        Path source = ensure(name);
        String stem = name.substring(0, name.lastIndexOf('.'));
        Path target = source.resolveSibling(stem + "-" + seconds + "s-g" + gop + ".flv");
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part.flv");
        int rc = run(source.getParent(), "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", source.toString(),
                "-t", Integer.toString(seconds), "-an", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                "-g", Integer.toString(gop), "-pix_fmt", "yuv420p", part.toString());
        if (rc != 0 || !Files.isRegularFile(part)) {
            Files.deleteIfExists(part);
            throw new IOException("ffmpeg could not encode " + source + " to H.264 (is the ffmpeg CLI installed?)");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void fetchPackage(Path dir) throws IOException {
        Path tmp = Files.createTempDirectory("argus-opencv-doc");
        try {
            LOG.info("Fetching Debian package opencv-doc for sample videos (about 96 MB)");
            if (run(tmp, "apt-get", "download", "opencv-doc") != 0) {
                if (!"root".equals(System.getProperty("user.name"))
                        || run(tmp, "apt-get", "update") != 0
                        || run(tmp, "apt-get", "download", "opencv-doc") != 0) {
                    throw new IOException("apt-get download opencv-doc failed; run it by hand "
                            + "(after apt-get update) and place vtest.avi in " + dir);
                }
            }
            Path deb;
            try (Stream<Path> files = Files.list(tmp)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb"));
            }
            Path unpacked = tmp.resolve("x");
            if (run(tmp, "dpkg-deb", "-x", deb.toString(), unpacked.toString()) != 0) {
                throw new IOException("dpkg-deb -x " + deb + " failed");
            }
            copyAll(unpacked.resolve(PACKAGE_DIR), dir);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void copyAll(Path from, Path to) throws IOException {
        for (String n : NAMES) {
            Path src = from.resolve(n);
            if (Files.isRegularFile(src)) {
                Path part = to.resolve(n + ".part");
                Files.copy(src, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, to.resolve(n), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static int run(Path cwd, String... command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            LOG.warn("{} failed: {}", command[0], e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
