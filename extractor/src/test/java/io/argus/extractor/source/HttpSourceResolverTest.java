package io.argus.extractor.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.argus.extractor.samples.SampleVideos;
import io.argus.schemas.net.UrlGuard;

/** Redirect resolution of http sources against a real JDK HttpServer on 127.0.0.1, and FFmpeg opening the last hop. */
class HttpSourceResolverTest {

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private String base;
    private byte[] video;

    @BeforeEach
    void start() throws IOException {
        video = Files.readAllBytes(SampleVideos.ensure("vtest.avi"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /**
     * /hopN -> /hop(N-1) ... /hop0 -> /v.avi; /meta -> 169.254.169.254; /nohead answers 405 to HEAD and
     * redirects a GET; /v.avi serves vtest.avi.
     */
    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        seen.add(method + " " + path);
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        if (path.startsWith("/hop")) {
            int n = Integer.parseInt(path.substring(4));
            ex.getResponseHeaders().add("Location", n == 0 ? "/v.avi" : "/hop" + (n - 1));
            ex.sendResponseHeaders(n % 2 == 0 ? 302 : 307, -1);
        } else if (path.equals("/meta")) {
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            ex.sendResponseHeaders(301, -1);
        } else if (path.equals("/nohead")) {
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(405, -1);
            } else {
                ex.getResponseHeaders().add("Location", base + "/v.avi");
                ex.sendResponseHeaders(303, -1);
            }
        } else if (path.equals("/v.avi")) {
            ex.getResponseHeaders().add("Content-Type", "video/x-msvideo");
            if (method.equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(video.length));
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, video.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(video);
                } catch (IOException e) {
                    // the client may stop reading
                }
            }
        } else {
            ex.sendResponseHeaders(404, -1);
        }
        ex.close();
    }

    @Test
    void followsRedirectsCheckingEachHop() throws Exception {
        assertThat(HttpSourceResolver.resolve(base + "/hop3", UrlGuard.defaults())).isEqualTo(base + "/v.avi");
        assertThat(seen).containsExactly("HEAD /hop3", "HEAD /hop2", "HEAD /hop1", "HEAD /hop0", "HEAD /v.avi");
    }

    @Test
    void aSourceWithoutRedirectIsReturnedAsGiven() throws Exception {
        assertThat(HttpSourceResolver.resolve(base + "/v.avi", UrlGuard.defaults())).isEqualTo(base + "/v.avi");
        assertThat(HttpSourceResolver.resolve(base + "/missing", UrlGuard.defaults())).isEqualTo(base + "/missing");
    }

    @Test
    void fallsBackToARangedGetWhenHeadIsRefused() throws Exception {
        assertThat(HttpSourceResolver.resolve(base + "/nohead", UrlGuard.defaults())).isEqualTo(base + "/v.avi");
        assertThat(seen).containsExactly("HEAD /nohead", "GET /nohead", "HEAD /v.avi");
    }

    @Test
    void fiveRedirectsPassASixthIsRefused() throws Exception {
        assertThat(HttpSourceResolver.resolve(base + "/hop4", UrlGuard.defaults())).isEqualTo(base + "/v.avi");
        seen.clear();
        assertThatThrownBy(() -> HttpSourceResolver.resolve(base + "/hop5", UrlGuard.defaults()))
                .isInstanceOf(SourceException.class)
                .satisfies(e -> assertThat(((SourceException) e).code()).isEqualTo(SourceException.NOT_FOUND))
                .hasRootCauseMessage("source URL refused: more than 5 redirects");
        assertThat(seen).doesNotContain("HEAD /v.avi");
    }

    @Test
    void aRedirectToARefusedAddressIsRefusedWithoutContactingIt() {
        assertThatThrownBy(() -> HttpSourceResolver.resolve(base + "/meta", UrlGuard.defaults()))
                .isInstanceOf(SourceException.class)
                .hasMessage("cannot find the video")
                .rootCause().hasMessageContaining("redirect 1 refused").hasMessageContaining("link-local");
    }

    @Test
    void refusedSourcesAndLiveHostsAreCheckedToo() {
        assertThatThrownBy(() -> HttpSourceResolver.resolve(base + "/v.avi", UrlGuard.of("")))
                .isInstanceOf(SourceException.class).rootCause().hasMessageContaining("loopback");
        assertThatThrownBy(() -> HttpSourceResolver.resolve("rtsp://10.0.0.9/cam", UrlGuard.defaults()))
                .isInstanceOf(SourceException.class).rootCause().hasMessageContaining("private-use");
        assertThat(seen).isEmpty();
    }

    @Test
    void ffmpegOpensTheLastHopAndNeverSeesARefusedSource() throws Exception {
        FFmpegFrameGrabber g = new SourceOpener(UrlGuard.defaults(), FileRoots.any()).open(SourceUri.parse(base + "/hop1"), false, SourceOpener.READ_TIMEOUT_US);
        try {
            assertThat(g.getImageWidth()).isEqualTo(768);
            assertThat(g.grabImage()).isNotNull();
        } finally {
            SourceOpener.closeQuietly(g);
        }
        assertThat(seen).contains("GET /v.avi").doesNotContain("GET /hop1", "GET /hop0");

        seen.clear();
        SourceOpener tenOnly = new SourceOpener(UrlGuard.of("10.0.0.0/8"), FileRoots.any());
        assertThatThrownBy(() -> tenOnly.open(SourceUri.parse(base + "/v.avi"), false, SourceOpener.READ_TIMEOUT_US))
                .isInstanceOf(SourceException.class)
                .satisfies(e -> assertThat(((SourceException) e).code()).isEqualTo(SourceException.NOT_FOUND));
        assertThat(seen).isEmpty();
    }

    @Test
    void theUnrestrictedOpenerChecksNothing() throws Exception {
        assertThat(SourceOpener.UNRESTRICTED.urlGuard().allowsAll()).isTrue();
        assertThat(HttpSourceResolver.resolve(base + "/meta", UrlGuard.allowAll())).isEqualTo(base + "/meta");
        assertThat(seen).isEmpty();
    }
}
