package io.argus.testkit.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away RTSP server for tests: Debian's gst-rtsp-server driven by a small Python script
 * (bundled as a resource, {@code rtsp-server.py}) serving a video file at
 * {@code rtsp://127.0.0.1:<port>/clip}, re-encoded to H.264 per client.
 *
 * <p>Needs Debian's {@code /usr/bin/python3} with {@code python3-gi gir1.2-gst-rtsp-server-1.0 libgstrtspserver-1.0-0
 * gstreamer1.0-plugins-{base,good,ugly} gstreamer1.0-libav}.
 */
public final class RtspTestServer implements AutoCloseable {

    private final ExternalProcess process;
    private final int port;

    private RtspTestServer(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param runDir directory for the script and its log
     * @param video  the file to serve
     * @return the running server
     * @throws IOException when python3 or the GStreamer packages are missing
     */
    public static RtspTestServer start(Path runDir, Path video) throws IOException {
        Files.createDirectories(runDir);
        Path script = runDir.resolve("rtsp-server.py");
        try (InputStream in = RtspTestServer.class.getResourceAsStream("rtsp-server.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        int port = ExternalProcess.freePort();
        ExternalProcess p = ExternalProcess.start("rtsp server", runDir.resolve("rtsp-server.log"),
                List.of("/usr/bin/python3", script.toString(), Integer.toString(port), video.toAbsolutePath().toString()));
        try {
            ExternalProcess.awaitPort(port, Duration.ofSeconds(15), p);
        } catch (IOException e) {
            p.close();
            throw e;
        }
        return new RtspTestServer(p, port);
    }

    /** @return {@code rtsp://127.0.0.1:<port>/clip} */
    public String url() {
        return "rtsp://127.0.0.1:" + port + "/clip";
    }

    @Override
    public void close() {
        process.close();
    }
}
