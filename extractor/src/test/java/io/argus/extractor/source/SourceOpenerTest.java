package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Network sources whose server accepts the connection and then never answers: FFmpeg gives up
 * after the read timeout, and the caller gets 424 "cannot find the video" (the video is not
 * reachable), not 400 "cannot open the file" (which says the bytes were read and are not a
 * video).
 */
class SourceOpenerTest {

    private ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void silentServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept()); // read nothing, write nothing
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtsp", "http", "rtmp"})
    void aServerThatNeverAnswersGives424AfterTheReadTimeout(String scheme) {
        String uri = scheme + "://127.0.0.1:" + server.getLocalPort() + "/live/x";
        long t0 = System.nanoTime();

        SourceException e = catchThrowableOfType(
                () -> SourceOpener.UNRESTRICTED.open(SourceUri.parse(uri), false, 1_000_000L), SourceException.class);

        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).as(uri + " opened against a silent server").isNotNull();
        assertThat(e.code()).as(uri + ": " + e.getMessage()).isEqualTo(424);
        assertThat(ms).as("gave up after the 1 s read timeout, not later").isLessThan(15_000);
    }
}
