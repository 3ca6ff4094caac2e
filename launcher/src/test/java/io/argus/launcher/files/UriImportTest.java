package io.argus.launcher.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.argus.edge.files.FilesBackend.UploadRefused;
import io.argus.extractor.source.FileRoots;
import io.argus.schemas.net.UrlGuard;
import io.argus.testkit.servers.TricklingHttpServer;

/**
 * The body of a registration by URI over real HTTP on loopback: read whole from a good server,
 * cut with {@link UriImport.SlowSource} when it trickles (one byte every 50 ms, under a floor of
 * 1,000 bytes/s after 1 s) or stalls (headers, then nothing), refused by the URL guard.
 */
@org.junit.jupiter.api.Timeout(60)
class UriImportTest {

    static final UriImport IMPORTS = new UriImport(UrlGuard.defaults(), FileRoots.any(), Duration.ofSeconds(1), 1000,
            System::currentTimeMillis);

    @Test
    void aGoodServersBodyIsReadWhole() throws Exception {
        byte[] body = new byte[300_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v/clip.mp4", ex -> {
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        try {
            UriImport.Opened o = IMPORTS.open("http://127.0.0.1:" + server.getAddress().getPort() + "/v/clip.mp4");
            try (InputStream in = o.in()) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
            assertThat(o.name()).isEqualTo("clip.mp4");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aTrickleIsCutAfterTheIdleTime() throws Exception {
        try (TricklingHttpServer trickle = new TricklingHttpServer(Duration.ofMillis(50))) {
            UriImport.Opened o = IMPORTS.open(trickle.url("/slow.mp4"));
            long t0 = System.nanoTime();
            try (InputStream in = o.in()) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(UriImport.SlowSource.class)
                        .hasMessageContaining("under the floor of 1000");
            }
            assertThat((System.nanoTime() - t0) / 1e9).isBetween(0.9, 10.0);
        }
    }

    @Test
    void aStallIsCutByTheReadTimeout() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket s = ss.accept();
                        InputStream in = s.getInputStream();
                        in.read(new byte[4096]); // the request (HEAD probe or GET): headers, then silence
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: 1000000\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            UriImport.Opened o = IMPORTS.open("http://127.0.0.1:" + ss.getLocalPort() + "/stall.mp4");
            try (InputStream in = o.in()) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(UriImport.SlowSource.class)
                        .hasMessageContaining("no byte for 1 s");
            }
        }
    }

    @Test
    void theGuardAndTheFileRootsAreApplied(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertThatThrownBy(() -> IMPORTS.open("http://169.254.169.254/latest/video.mp4"))
                .isInstanceOfSatisfying(UploadRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(424);
                    assertThat(e.detail()).startsWith("source URL refused");
                });
        java.nio.file.Path root = java.nio.file.Files.createDirectories(dir.resolve("root"));
        java.nio.file.Path outside = java.nio.file.Files.writeString(dir.resolve("outside.mp4"), "x");
        UriImport rooted = new UriImport(UrlGuard.defaults(), FileRoots.of(root.toString()));
        assertThatThrownBy(() -> rooted.open(outside.toString()))
                .isInstanceOfSatisfying(UploadRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(424);
                    assertThat(e.detail()).contains("outside the directories");
                });
    }
}
