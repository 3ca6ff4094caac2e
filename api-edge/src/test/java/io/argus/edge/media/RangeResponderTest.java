package io.argus.edge.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.javalin.Javalin;

/**
 * Range requests over real HTTP (Javalin on loopback, java.net.http client) against a 1 MiB file,
 * and the header rules of {@link ByteRange} one by one.
 */
class RangeResponderTest {

    @TempDir
    static Path dir;
    static Javalin app;
    static byte[] bytes;
    static String base;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        bytes = new byte[1 << 20];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("v.mp4");
        Files.write(file, bytes);
        app = Javalin.create();
        app.get("/v", ctx -> RangeResponder.send(ctx, ByteSource.of(file), "video/mp4"));
        app.head("/v", ctx -> RangeResponder.send(ctx, ByteSource.of(file), "video/mp4"));
        app.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port() + "/v";
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    static HttpResponse<byte[]> get(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void wholeFileThenOneRangeThenASuffix() throws Exception {
        HttpResponse<byte[]> all = get();
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).isEqualTo(bytes);
        assertThat(all.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("video/mp4"));

        HttpResponse<byte[]> part = get("Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 1000-1999/1048576");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));

        HttpResponse<byte[]> open = get("Range", "bytes=1048000-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(bytes, 1048000, bytes.length));

        HttpResponse<byte[]> suffix = get("Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes 1048076-1048575/1048576");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 500, bytes.length));

        HttpResponse<byte[]> pastEnd = get("Range", "bytes=1048570-99999999");
        assertThat(pastEnd.headers().firstValue("Content-Range")).contains("bytes 1048570-1048575/1048576");
        assertThat(pastEnd.body()).hasSize(6);
    }

    @Test
    void unsatisfiableRangesGet416WithTheLength() throws Exception {
        for (String r : new String[] {"bytes=1048576-", "bytes=2000000-2000100", "bytes=-0"}) {
            HttpResponse<byte[]> res = get("Range", r);
            assertThat(res.statusCode()).as(r).isEqualTo(416);
            assertThat(res.headers().firstValue("Content-Range")).as(r).contains("bytes */1048576");
            assertThat(res.body()).isEmpty();
        }
    }

    @Test
    void ignoredRangesGiveTheWholeFile() throws Exception {
        for (String r : new String[] {"bytes=0-1,5-9", "items=0-5", "bytes=9-3", "bytes=abc", "bytes=-"}) {
            HttpResponse<byte[]> res = get("Range", r);
            assertThat(res.statusCode()).as(r).isEqualTo(200);
            assertThat(res.body()).as(r).hasSize(bytes.length);
        }
    }

    @Test
    void ifRangeHoldsOnlyForTheCurrentEtagOrDate() throws Exception {
        String etag = get().headers().firstValue("ETag").orElseThrow();
        String modified = get().headers().firstValue("Last-Modified").orElseThrow();
        assertThat(get("Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
        assertThat(get("Range", "bytes=0-9", "If-Range", "\"other\"").statusCode()).isEqualTo(200);
        assertThat(get("Range", "bytes=0-9", "If-Range", "W/" + etag).statusCode()).isEqualTo(200);
        assertThat(get("Range", "bytes=0-9", "If-Range", modified).statusCode()).isEqualTo(206);
        String older = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC).format(Instant.EPOCH);
        assertThat(get("Range", "bytes=0-9", "If-Range", older).statusCode()).isEqualTo(200);
        assertThat(get("If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void headGivesTheHeadersWithoutBody() throws Exception {
        HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create(base))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Range", "bytes=0-99").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(206);
        assertThat(head.headers().firstValue("Content-Length")).contains("100");
        assertThat(head.body()).isEmpty();
    }
}
