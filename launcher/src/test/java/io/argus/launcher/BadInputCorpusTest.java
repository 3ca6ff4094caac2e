package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.argus.edge.extract.ExtractionRequestParser;
import io.argus.edge.hooks.HookSettings;
import io.argus.edge.extract.ExtractionRetention;
import io.argus.edge.security.ApiKeys;
import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.source.SourceOpener;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.runtime.Stage;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.net.UrlGuard;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;
import io.argus.testkit.servers.TricklingHttpServer;

/**
 * A corpus of bad input, in one table: requests over the HTTP API (malformed JSON, wrong types,
 * huge bodies and headers, unknown fields, bad URIs, SSRF targets, traversal in ids and prefixes,
 * missing or wrong API keys) and sources that fail once the job runs (corrupt, truncated,
 * zero-byte and non-video files, HTTP errors and redirects, streams that never start or stall).
 * Each case gets its documented answer (README "HTTP API", "Frame &amp; flow service",
 * "Security"): an HTTP status and error message for a synchronous refusal, a final state with its
 * error code and message for a source that fails later. Afterwards every stage is still alive and
 * a good job finishes with its cuts.
 *
 * <p>One runtime (every stage in this JVM, embedded broker) with an API key and the default URL
 * allow-list (loopback only); local HTTP servers, a real RTMP server (nginx-rtmp) and sockets
 * that accept and never answer play the bad sources. Live cases use a 2 s {@code params.live.timeout}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String KEY = "corpus-key-0123456789abcdef";
    static final double LIVE_TIMEOUT_S = 2;

    static final String INVALID = "invalid parameters";
    static final String NOT_FOUND = "cannot find the video";
    static final String CANNOT_OPEN = "cannot open the file";

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path vtest;
    static Path flv;
    static RtmpTestServer rtmp;
    static HttpServer web;
    static String webBase;
    static ServerSocket stall;
    static final List<Socket> stalled = new CopyOnWriteArrayList<>();
    static final CountDownLatch release = new CountDownLatch(1);
    static ExecutorService webThreads;
    static int closedPort;
    static int failingCases;

    /** Generated sources. */
    static Path small;
    static Path smallTruncated;
    static Path moovAtEndTruncated;
    static Path headerOnly;
    static Path corruptMiddle;
    static Path zero;
    static Path text;
    static Path random;
    static Path png;
    /** Smaller than the HOG person detector's 64×128 window. */
    static Path tinyPng;
    static Path offsetTs;
    static Path widePng;
    static Path tiny8;
    static TricklingHttpServer trickle;
    /** Pixel limit of the corpus's runtime: every good source is under it, {@link #widePng} above. */
    static final long MAX_PIXELS = 1_000_000;
    static Path jpeg;
    static Path audio;
    static Path folder;
    static Path missing;

    @BeforeAll
    static void start() throws Exception {
        vtest = SampleVideos.ensure("vtest.avi");
        flv = SampleVideos.h264Loop("vtest.avi", 20, 10);
        makeSources(dir.resolve("src"));
        rtmp = RtmpTestServer.start(dir.resolve("rtmp"));
        RuntimeConfig defaults = RuntimeConfig.embedded(dir.resolve("data"), 0);
        RuntimeConfig config = new RuntimeConfig(defaults.dataDir(), null, null, defaults.partitions(),
                defaults.replication(), defaults.ingestSlots(), defaults.liveSlots(), defaults.analyzerThreads(),
                defaults.httpHost(), 0, defaults.instanceId(), HookSettings.defaults(),
                ExtractionRetention.DEFAULT_RETENTION, Stage.all(),
                new RuntimeConfig.Security(UrlGuard.defaults(), ApiKeys.of(List.of(KEY)), null), null);
        System.setProperty(SourceOpener.MAX_PIXELS_PROPERTY, Long.toString(MAX_PIXELS));
        rt = ArgusRuntime.start(config);
        base = "http://127.0.0.1:" + rt.httpPort();
        trickle = new TricklingHttpServer(Duration.ofMillis(500));
        startWeb();
        stall = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!stall.isClosed()) {
                try {
                    stalled.add(stall.accept()); // accepted, never read nor answered
                } catch (IOException e) {
                    return;
                }
            }
        }, "corpus-stall-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        closedPort = ExternalProcess.freePort();
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty(SourceOpener.MAX_PIXELS_PROPERTY);
        if (trickle != null) {
            trickle.close();
        }
        release.countDown();
        if (stall != null) {
            stall.close();
        }
        for (Socket s : stalled) {
            s.close();
        }
        if (web != null) {
            web.stop(0);
            webThreads.shutdownNow();
        }
        for (AutoCloseable c : new AutoCloseable[] {rt, rtmp}) {
            if (c != null) {
                c.close();
            }
        }
    }

    // ---- fixtures ----

    static void makeSources(Path src) throws Exception {
        Files.createDirectories(src);
        // a real 6 s H.264 MP4 (moov first) and the same with moov at the end, from vtest.avi
        small = src.resolve("small.mp4");
        ffmpeg("-i", vtest.toString(), "-t", "6", "-an", "-vf", "scale=384:288", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", "-movflags", "+faststart", small.toString());
        Path moovAtEnd = src.resolve("moov-at-end.mp4");
        ffmpeg("-i", small.toString(), "-c", "copy", moovAtEnd.toString());
        byte[] s = Files.readAllBytes(small);
        byte[] m = Files.readAllBytes(moovAtEnd);
        smallTruncated = Files.write(src.resolve("truncated-faststart.mp4"), Arrays.copyOf(s, s.length * 2 / 5));
        moovAtEndTruncated = Files.write(src.resolve("truncated-moov-at-end.mp4"), Arrays.copyOf(m, m.length / 2));
        headerOnly = Files.write(src.resolve("header-only.mp4"), Arrays.copyOf(s, 64));
        byte[] corrupt = s.clone();
        Random r = new Random(7);
        for (int i = corrupt.length / 5; i < corrupt.length * 4 / 5; i += 97) {
            corrupt[i] = (byte) r.nextInt(256);
        }
        corruptMiddle = Files.write(src.resolve("corrupt-middle.mp4"), corrupt);
        zero = Files.createFile(src.resolve("zero.mp4"));
        text = Files.writeString(src.resolve("notes.mp4"), "this is not a video\n".repeat(500));
        byte[] noise = new byte[256 * 1024];
        new Random(42).nextBytes(noise);
        random = Files.write(src.resolve("random.mp4"), noise);
        tinyPng = src.resolve("tiny.png");
        ImageIO.write(new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB), "png", tinyPng.toFile());
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        img.setRGB(10, 10, 0xff0000);
        png = src.resolve("picture.png");
        ImageIO.write(img, "png", png.toFile());
        jpeg = src.resolve("picture.jpg");
        ImageIO.write(img, "jpg", jpeg.toFile());
        audio = src.resolve("tone.wav");
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", audio.toString());
        // a transport stream whose timestamps start at 101.4 s; a PNG of 2 MP (over the corpus's
        // 1 MP limit); an 8x8 video (too small for DIS flow)
        offsetTs = src.resolve("offset.ts");
        ffmpeg("-i", small.toString(), "-c", "copy", "-output_ts_offset", "101.4", "-f", "mpegts", offsetTs.toString());
        widePng = src.resolve("wide.png");
        ImageIO.write(new BufferedImage(2000, 1000, BufferedImage.TYPE_INT_RGB), "png", widePng.toFile());
        tiny8 = src.resolve("tiny8.mp4");
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=8x8:rate=10", "-t", "2", "-c:v", "mpeg4", tiny8.toString());
        folder = Files.createDirectories(src.resolve("folder.mp4"));
        missing = src.resolve("missing.mp4");
    }

    static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg " + cmd).isTrue();
        assertThat(p.exitValue()).as("ffmpeg " + cmd + ": " + Files.readString(dir.resolve("ffmpeg.log"))).isZero();
    }

    /** Bad HTTP sources: errors, HTML, redirects to refused addresses, loops, a stalled answer. */
    static void startWeb() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webThreads = Executors.newCachedThreadPool();
        web.setExecutor(webThreads);
        web.createContext("/404", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        web.createContext("/500", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        web.createContext("/page.html", ex -> {
            byte[] html = "<!doctype html><html><body><h1>Welcome</h1><p>nothing to see</p></body></html>\n"
                    .repeat(100).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : html.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseBody().write(html);
            }
            ex.close();
        });
        web.createContext("/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
        web.createContext("/to-private", ex -> redirect(ex, "http://10.0.0.1/v.mp4"));
        web.createContext("/to-ftp", ex -> redirect(ex, "ftp://127.0.0.1/v.mp4"));
        web.createContext("/loop", ex -> redirect(ex, "/loop"));
        web.createContext("/stall.mp4", ex -> {
            // HEAD answers like a video; GET never answers (until the test ends)
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Type", "video/mp4");
                ex.sendResponseHeaders(200, -1);
                ex.close();
                return;
            }
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        web.start();
        webBase = "http://127.0.0.1:" + web.getAddress().getPort();
    }

    static void redirect(com.sun.net.httpserver.HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    // ---- HTTP ----

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                JsonNode n = JSON.readTree(body);
                return n == null ? MissingNode.getInstance() : n;
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        String error() {
            return json().path("error").asText(null);
        }
    }

    static Answer send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer call(String method, String path, String body) throws Exception {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "X-Api-Key", KEY);
    }

    /** Raw bytes on a socket; the answer's status and body (after the blank line). */
    static Answer raw(String request) throws Exception {
        return raw(request, false);
    }

    /**
     * Raw bytes on a socket, optionally followed by the end of the request stream (a client that
     * sent all it will send); the answer's status and body (after the blank line).
     */
    static Answer raw(String request, boolean halfClose) throws Exception {
        try (Socket s = new Socket("127.0.0.1", rt.httpPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // the server may reset after answering an oversized request
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
            int sep = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), sep < 0 ? "" : text.substring(sep + 4));
        }
    }

    static String job(String uri) {
        return job(uri, null);
    }

    /** A job body: person, one frame every 5 s; live sources get the short live timeout. */
    static String job(String uri, Double liveTimeout) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("data").put("uri", uri);
        ObjectNode params = body.putObject("params");
        params.putObject("vframe").put("mode", 0).put("interval", 5);
        if (liveTimeout != null) {
            params.putObject("live").put("timeout", liveTimeout);
        }
        body.putArray("ops").addObject().put("op", "person");
        return body.toString();
    }

    static String live(String uri) {
        return job(uri, LIVE_TIMEOUT_S);
    }

    /** A job body with one field replaced (dotted path into the good body), given as raw JSON. */
    static String with(String path, String rawJson) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(job(small.toString()));
            String[] parts = path.split("\\.");
            ObjectNode parent = body;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = parent.get(parts[i]);
                parent = next instanceof ObjectNode o ? o : parent.putObject(parts[i]);
            }
            parent.set(parts[parts.length - 1], JSON.readTree(rawJson));
            return body.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A job body for {@code uri} with one field replaced (dotted path), given as raw JSON. */
    static String withUri(String uri, String path, String rawJson) {
        ObjectNode body = (ObjectNode) readTree(with(path, rawJson));
        ((ObjectNode) body.get("data")).put("uri", uri);
        return body.toString();
    }

    static String frameBody(String uri, String pattern) {
        ObjectNode body = JSON.createObjectNode();
        body.put("uri", uri).put("pattern", pattern);
        return body.toString();
    }

    static int jobCount() throws Exception {
        Answer a = call("GET", "/v1/jobs/video", null);
        assertThat(a.status()).isEqualTo(200);
        return a.json().size();
    }

    static int extractionCount(String kind) throws Exception {
        Answer a = call("GET", "/" + kind + "/history?count=100", null);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json().path("requests").size();
    }

    static JsonNode awaitJob(String job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode j = call("GET", "/v1/jobs/video/" + job, null).json();
        while (!isFinal(j.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            j = call("GET", "/v1/jobs/video/" + job, null).json();
        }
        return j;
    }

    static boolean isFinal(String status) {
        return status.equals("FINISHED") || status.equals("FAILED") || status.equals("CANCELLED");
    }

    static JsonNode awaitExtraction(String kind, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode r = call("GET", "/" + kind + "/" + id, null).json();
        while (!isFinal(r.path("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            r = call("GET", "/" + kind + "/" + id, null).json();
        }
        return r;
    }

    static List<Long> cutOffsets(JsonNode opResult) {
        List<Long> out = new ArrayList<>();
        opResult.path("segments").forEach(s -> s.path("cuts").forEach(c -> out.add(c.path("offset").asLong())));
        return out;
    }

    // ---- the table ----

    interface Probe {
        void run(String id) throws Exception;
    }

    /** One corpus entry: what is sent, what must come back (shown in the test name). */
    record Case(String name, String expected, Probe probe) {
    }

    interface Request {
        Answer send() throws Exception;
    }

    /** A request refused at once: status, exact error message, and a detail fragment if given; nothing recorded. */
    static Case refused(String name, int status, String error, String detail, Request request) {
        return new Case(name, status + " \"" + error + "\"", id -> {
            int jobs = jobCount();
            Answer a = request.send();
            assertThat(a.status()).as(a.body()).isEqualTo(status);
            assertThat(a.error()).as(a.body()).isEqualTo(error);
            if (detail != null) {
                assertThat(a.json().path("detail").asText()).as(a.body()).contains(detail);
            }
            assertThat(jobCount()).as("no job recorded").isEqualTo(jobs);
        });
    }

    static Case refusedJob(String name, int status, String error, String detail, Supplier<String> body) {
        return refused(name, status, error, detail, () -> call("POST", "/v1/video/corpus", body.get()));
    }

    /** An extraction request refused at once: 400 with a message starting as given; nothing recorded. */
    static Case refusedExtraction(String name, String kind, String method, String path, String errorStart,
                                  Supplier<String> body) {
        return new Case(name, "400 \"" + errorStart + "…\"", id -> {
            int before = extractionCount(kind);
            Answer a = call(method, path, body == null ? null : body.get());
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.error()).as(a.body()).startsWith(errorStart);
            assertThat(extractionCount(kind)).as("no request recorded").isEqualTo(before);
        });
    }

    /**
     * A job accepted and then FAILED by its source with the code and message given. File and HTTP
     * sources are posted synchronously (the answer carries the code); live ones answer at once.
     */
    static Case fails(String name, int code, String message, Supplier<String> body) {
        return new Case(name, "FAILED " + code + " \"" + message + "\"", id -> {
            failingCases++;
            String sent = body.get();
            Answer a = call("POST", "/v1/video/" + id, sent);
            String job;
            boolean isLive = JSON.readTree(sent).path("data").path("uri").asText().matches("(?i)(rtmps?|rtsp)://.*");
            if (isLive) {
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                job = a.json().path("job").asText();
            } else {
                assertThat(a.status()).as(a.body()).isEqualTo(code);
                assertThat(a.error()).as(a.body()).isEqualTo(message);
                job = a.json().path("job").asText();
            }
            assertThat(job).isNotBlank();
            JsonNode j = awaitJob(job, Duration.ofSeconds(40));
            assertThat(j.path("status").asText()).as(j.toString()).isEqualTo("FAILED");
            assertThat(j.path("error").asText()).isEqualTo(message);
            JobStatus st = rt.view().status(job).orElseThrow();
            assertThat(st.getError().getCode()).isEqualTo(code);
        });
    }

    /** A job accepted that FINISHES with the cut offsets given. */
    static Case finishes(String name, List<Long> offsets, Supplier<String> body) {
        return new Case(name, "FINISHED, cuts at " + offsets + " ms", id -> {
            Answer a = call("POST", "/v1/video/" + id, body.get());
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(cutOffsets(a.json().path("person"))).isEqualTo(offsets);
        });
    }

    /** An extraction accepted, then FAILED with the message given. */
    static Case extractionFails(String name, String kind, String message, Supplier<String> body) {
        return new Case(name, "accepted, then FAILED \"" + message + "\"", id -> {
            Answer a = call("POST", "/" + kind, body.get());
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode r = awaitExtraction(kind, a.json().path("id").asText(), Duration.ofSeconds(40));
            assertThat(r.path("state").asText()).as(r.toString()).isEqualTo("FAILED");
            assertThat(r.path("error").asText()).as(r.toString()).isEqualTo(message);
        });
    }

    /** A multipart/form-data upload: the file part {@code video} (when {@code content} is not null), then the fields. */
    static Answer upload(String path, byte[] content, boolean withKey, String... fields) throws Exception {
        String boundary = "corpus-boundary";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        if (content != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"v.mp4\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < fields.length; i += 2) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                    + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String type = "multipart/form-data; boundary=" + boundary;
        return withKey ? send("POST", path, body.toByteArray(), "Content-Type", type, "X-Api-Key", KEY)
                : send("POST", path, body.toByteArray(), "Content-Type", type);
    }

    static String frameUrl(String uri) {
        return io.argus.edge.frames.StoredFrames.url(uri);
    }

    /** @return the URI of the local frame store's root, ending in / */
    static String storeRoot() {
        return rt.config().dataDir().toAbsolutePath().resolve("frames").toUri().toString().replaceAll("/?$", "/");
    }

    static String metadataUrl() {
        return "http://169.254.169.254/latest/meta-data/";
    }

    static Stream<Case> corpus() {
        String big = "x".repeat((int) io.argus.edge.http.EdgeServer.MAX_BODY_BYTES + 1);
        return Stream.of(
                // -- malformed bodies and wrong types (POST /v1/video) --
                refusedJob("malformed JSON", 400, INVALID, "not valid JSON", () -> "{\"data\":"),
                refusedJob("empty body", 400, INVALID, "empty", () -> ""),
                refusedJob("JSON array body", 400, INVALID, "JSON object", () -> "[" + job("/x.mp4") + "]"),
                refusedJob("JSON string body", 400, INVALID, "JSON object", () -> "\"/x.mp4\""),
                refusedJob("trailing garbage after the object", 400, INVALID, "not valid JSON",
                        () -> job("/x.mp4") + " {}"),
                refusedJob("duplicate key", 400, INVALID, "not valid JSON",
                        () -> "{\"data\":{\"uri\":\"/a.mp4\",\"uri\":\"/b.mp4\"},\"ops\":[{\"op\":\"person\"}]}"),
                refused("invalid UTF-8 bytes", 400, INVALID, "not valid JSON",
                        () -> send("POST", "/v1/video/corpus", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':',
                                '1', '}'}, "Content-Type", "application/json", "X-Api-Key", KEY)),
                refusedJob("nesting 100000 deep", 400, INVALID, null,
                        () -> "{\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                refusedJob("data.uri a number", 400, INVALID, "data.uri must be a string",
                        () -> with("data.uri", "42")),
                refusedJob("data a string", 400, INVALID, "data must be an object", () -> with("data", "\"/x.mp4\"")),
                refusedJob("data.uri missing", 400, INVALID, "data.uri is required", () -> with("data", "{}")),
                refusedJob("data.uri blank", 400, INVALID, "data.uri is required", () -> with("data.uri", "\"  \"")),
                refusedJob("ops an object", 400, INVALID, "ops must be an array",
                        () -> with("ops", "{\"op\":\"person\"}")),
                refusedJob("ops of strings", 400, INVALID, "must be an object", () -> with("ops", "[\"person\"]")),
                refusedJob("unknown op", 400, "bad op", "not supported", () -> with("ops", "[{\"op\":\"rm -rf\"}]")),
                refusedJob("empty ops", 400, "empty op", null, () -> with("ops", "[]")),
                refusedJob("op listed twice", 400, INVALID, "listed twice",
                        () -> with("ops", "[{\"op\":\"person\"},{\"op\":\"person\"}]")),
                refusedJob("params.async a string", 400, INVALID, "must be a boolean",
                        () -> with("params.async", "\"true\"")),
                refusedJob("vframe.mode a string", 400, INVALID, "must be an integer",
                        () -> with("params.vframe.mode", "\"0\"")),
                refusedJob("vframe.mode 1.5", 400, INVALID, "must be an integer",
                        () -> with("params.vframe.mode", "1.5")),
                refusedJob("vframe.mode 2", 400, "invalid mode, allow mode is [0, 1]", null,
                        () -> with("params.vframe.mode", "2")),
                refusedJob("vframe.interval 1e400", 400, "invalid interval, allow interval is [0, 10]", null,
                        () -> job(small.toString()).replace("\"interval\":5", "\"interval\":1e400")),
                refusedJob("vframe.interval -1", 400, "invalid interval, allow interval is [0, 10]", null,
                        () -> with("params.vframe.interval", "-1")),
                refusedJob("vframe.ss -1", 400, "invalid starttime", null, () -> with("params.vframe.ss", "-1")),
                refusedJob("vframe.t -0.5", 400, "invalid duration", null, () -> with("params.vframe.t", "-0.5")),
                refusedJob("label select 3", 400, INVALID, "select",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"labels\":"
                                + "[{\"label\":\"person\",\"select\":3}]}}]")),
                refusedJob("terminate max 0", 400, INVALID, "max >= 1",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"terminate\":"
                                + "{\"mode\":1,\"labels\":{\"person\":0}}}}]")),
                refusedJob("live.timeout 0", 400, INVALID, "params.live.timeout",
                        () -> with("params.live", "{\"timeout\":0}")),
                refusedJob("live.timeout a string", 400, INVALID, "must be a number",
                        () -> with("params.live", "{\"timeout\":\"2s\"}")),
                refusedJob("unknown field in params.live", 400, INVALID,
                        "unknown field 'params.live.retries'; accepted: timeout",
                        () -> with("params.live", "{\"retries\":3}")),
                // -- typos: a field the API does not define is refused at every level, never a silent default --
                refusedJob("typo 'param' at the top level", 400, INVALID,
                        "unknown field 'param'; accepted: data, params, ops", () -> with("param", "{\"async\":true}")),
                refusedJob("typo 'url' in data", 400, INVALID, "unknown field 'data.url'; accepted: uri, attribute",
                        () -> with("data.url", "\"/x.mp4\"")),
                refusedJob("typo 'hookUrl' in params", 400, INVALID,
                        "unknown field 'params.hookUrl'; accepted: async, vframe, save, hookURL, live, segment, tracking",
                        () -> with("params.hookUrl", "\"http://127.0.0.1/h\"")),
                refusedJob("typo 'intervall' in params.vframe", 400, INVALID,
                        "unknown field 'params.vframe.intervall'; accepted: mode, interval, ss, t",
                        () -> with("params.vframe.intervall", "1")),
                refusedJob("typo 'prefx' in params.save", 400, INVALID,
                        "unknown field 'params.save.prefx'; accepted: bucket, zone, prefix",
                        () -> with("params.save", "{\"prefx\":\"a\"}")),
                refusedJob("typo 'param' in an op", 400, INVALID,
                        "unknown field 'ops[0].param'; accepted: op, hookURL, hookURL_segment, params",
                        () -> with("ops", "[{\"op\":\"person\",\"param\":{\"threshold\":0.9}}]")),
                refusedJob("the spec's TASK typo 'hookURI' in an op", 400, INVALID, "unknown field 'ops[0].hookURI'",
                        () -> with("ops", "[{\"op\":\"person\",\"hookURI\":\"http://127.0.0.1/h\"}]")),
                refusedJob("typo 'scor' in a label rule", 400, INVALID,
                        "unknown field 'ops[0].params.labels[0].scor'; accepted: label, select, score",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"labels\":"
                                + "[{\"label\":\"person\",\"select\":2,\"scor\":0.5}]}}]")),
                refusedJob("typo 'label' in terminate", 400, INVALID,
                        "unknown field 'ops[0].params.terminate.label'; accepted: mode, labels",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"terminate\":"
                                + "{\"mode\":1,\"label\":{\"person\":1}}}}]")),
                // -- op params: checked against the op's declared params before the job starts --
                refusedJob("person threshold a string", 400, INVALID,
                        "ops[0].params.threshold must be a number in [0, 1], was \"abc\"",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"threshold\":\"abc\"}}]")),
                refusedJob("person threshold 1.5 (out of range, not clamped)", 400, INVALID,
                        "ops[0].params.threshold must be a number in [0, 1], was 1.5",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"threshold\":1.5}}]")),
                refusedJob("person threshold -1", 400, INVALID, "ops[0].params.threshold must be a number in [0, 1]",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"threshold\":-1}}]")),
                refusedJob("person threshold an array", 400, INVALID, "ops[0].params.threshold must be a number",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"threshold\":[0.5]}}]")),
                refusedJob("unknown person param", 400, INVALID, "unknown field 'ops[0].params.thresold': op person has "
                        + "no such param; accepted: labels, terminate, ignore_empty_labels, threshold",
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"thresold\":0.5}}]")),
                refusedJob("motion threshold 0", 400, INVALID, "ops[0].params.threshold must be an integer in [1, 254]",
                        () -> with("ops", "[{\"op\":\"motion\",\"params\":{\"threshold\":0}}]")),
                refusedJob("motion threshold 25.5", 400, INVALID,
                        "ops[0].params.threshold must be an integer in [1, 254], was 25.5",
                        () -> with("ops", "[{\"op\":\"motion\",\"params\":{\"threshold\":25.5}}]")),
                refusedJob("motion min_score 2", 400, INVALID, "ops[1].params.min_score must be a number in [0, 1]",
                        () -> with("ops", "[{\"op\":\"person\"},{\"op\":\"motion\",\"params\":{\"min_score\":2}}]")),
                refusedJob("op detection without its model", 400, "bad op", "op 'detection' is not available here: it "
                        + "needs the objects model, which is not installed in " + dir.resolve("data").resolve("models")
                        + ": run ./argus models install --models-dir " + dir.resolve("data").resolve("models")
                        + ", then restart Argus",
                        () -> with("ops", "[{\"op\":\"detection\"}]")),
                new Case("GET /v1/ops", "each op with its labels and params", id -> {
                    Answer a = call("GET", "/v1/ops", null);
                    assertThat(a.status()).as(a.body()).isEqualTo(200);
                    JsonNode person = null;
                    for (JsonNode op : a.json()) {
                        if (op.path("op").asText().equals("person")) {
                            person = op;
                        }
                    }
                    assertThat(person).as(a.body()).isNotNull();
                    assertThat(person.path("labels").toString()).isEqualTo("[\"person\"]");
                    assertThat(person.path("params").get(0).path("name").asText()).isEqualTo("threshold");
                    assertThat(person.path("params").get(0).path("type").asText()).isEqualTo("number");
                    assertThat(person.path("params").get(0).path("max").asDouble()).isEqualTo(1.0);
                }),
                // -- bad URIs --
                refusedJob("ftp scheme", 400, INVALID, "scheme 'ftp'", () -> job("ftp://127.0.0.1/v.mp4")),
                refusedJob("javascript: scheme", 400, INVALID, "scheme 'javascript'", () -> job("javascript:alert(1)")),
                refusedJob("http URL without host", 400, INVALID, "no host", () -> job("http:///v.mp4")),
                refusedJob("URI with a space in the host", 400, INVALID, "not a valid URI",
                        () -> job("http://exa mple.com/v.mp4")),
                refusedJob("hookURL not http(s)", 400, INVALID, "params.hookURL must be an absolute http or https URL",
                        () -> with("params.hookURL", "\"file:///etc/passwd\"")),
                // -- SSRF targets (default allow-list: loopback) --
                refusedJob("SSRF cloud metadata", 400, INVALID, "data.uri: the address is not allowed",
                        () -> job(metadataUrl())),
                refusedJob("SSRF private rtsp camera", 400, INVALID, "data.uri: the address is not allowed",
                        () -> job("rtsp://10.0.0.1/cam")),
                refusedJob("SSRF IPv4-mapped private", 400, INVALID, "data.uri: the address is not allowed",
                        () -> job("http://[::ffff:192.168.1.1]/v.mp4")),
                refusedJob("SSRF NAT64 metadata", 400, INVALID, "data.uri: the address is not allowed",
                        () -> job("http://[64:ff9b::a9fe:a9fe]/v.mp4")),
                refusedJob("SSRF 0.0.0.0", 400, INVALID, "data.uri: the address is not allowed",
                        () -> job("http://0.0.0.0:" + rt.httpPort() + "/v1/ops")),
                refusedJob("SSRF decimal host 2130706433", 400, INVALID, "data.uri",
                        () -> job("http://2130706433/v.mp4")),
                refusedJob("SSRF hex host 0x7f.1", 400, INVALID, "data.uri", () -> job("http://0x7f.1/v.mp4")),
                refusedJob("SSRF IPv6 zone id", 400, INVALID, "data.uri",
                        () -> job("http://[fe80::1%25eth0]/v.mp4")),
                refusedJob("SSRF hook to CGNAT", 400, INVALID, "ops[0].hookURL_segment: the address is not allowed",
                        () -> with("ops", "[{\"op\":\"person\",\"hookURL_segment\":\"http://100.64.0.1/seg\"}]")),
                refusedJob("file: URI without a path", 400, INVALID, "no path", () -> job("file:")),
                refused("blank video id", 400, INVALID, "video_id", () -> call("POST", "/v1/video/%20", job("/x.mp4"))),
                refused("video id of 2,000 characters", 400, INVALID, "video_id must be 1 to 128",
                        () -> call("POST", "/v1/video/" + "v".repeat(2000), job("/x.mp4"))),
                refused("video id with CRLF", 400, INVALID, "video_id must be 1 to 128",
                        () -> call("POST", "/v1/video/a%0D%0AX-Injected:%201", job("/x.mp4"))),
                new Case("video id in Cyrillic", "FINISHED, the id echoed as given", id -> {
                    Answer a = call("POST", "/v1/video/%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE-1", job(small.toString()));
                    assertThat(a.status()).as(a.body()).isEqualTo(200);
                    assertThat(a.json().path("person").isObject()).isTrue();
                }),
                finishes("file://localhost/ is a local path (RFC 8089)", List.of(0L, 5000L),
                        () -> job("file://localhost" + small.toAbsolutePath())),
                // -- size limits, keys, routes --
                refused("body over 1 MiB", 413, "request body too large", null,
                        () -> send("POST", "/v1/video/corpus", big.getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "application/json", "X-Api-Key", KEY)),
                refused("chunked body over 1 MiB", 413, "request body too large", null,
                        () -> raw(chunked("/v1/video/corpus", 17))),
                new Case("header block over 8 KiB", "431, nothing recorded", id -> {
                    int jobs = jobCount();
                    Answer a = raw("POST /v1/video/corpus HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\nX-Pad: "
                            + "p".repeat(9000) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                    assertThat(a.status()).isEqualTo(431);
                    assertThat(jobCount()).isEqualTo(jobs);
                }),
                new Case("URL over 8 KiB", "414", id -> assertThat(raw("GET /v1/jobs/video/" + "j".repeat(9000)
                        + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY + "\r\nConnection: close\r\n\r\n").status())
                        .isEqualTo(414)),
                refused("no API key", 401, "unauthorized", "Authorization: Bearer",
                        () -> send("POST", "/v1/video/corpus", job(small.toString()).getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "application/json")),
                refused("wrong API key", 401, "unauthorized", "not valid",
                        () -> send("POST", "/frame",
                                frameBody(small.toString(), "uniform").getBytes(StandardCharsets.UTF_8),
                                "Authorization", "Bearer " + KEY.replace('0', '1'))),
                refused("unknown route", 404, "not found", null,
                        () -> call("POST", "/v1/videos/corpus", job("/x.mp4"))),
                refused("unknown job", 404, "job not found", null,
                        () -> call("GET", "/v1/jobs/video/no-such-job", null)),
                refused("kill with another op", 400, INVALID, null,
                        () -> send("POST", "/v1/jobs/video/no-such-job", "op=explode".getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "application/x-www-form-urlencoded", "X-Api-Key", KEY)),
                refused("kill of an unknown job", 404, "job not found", null,
                        () -> send("POST", "/v1/jobs/video/no-such-job", "op=kill".getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "application/x-www-form-urlencoded", "X-Api-Key", KEY)),
                refused("list with a bad status", 400, INVALID, null,
                        () -> call("GET", "/v1/jobs/video?status=DONE%27--", null)),
                refused("list with a forged marker", 400, INVALID, null,
                        () -> call("GET", "/v1/jobs/video?limit=5&marker=..%2F..%2Fetc", null)),
                // -- stored frames over HTTP (GET /v1/frames?uri=): only the store's own objects --
                refused("frame without uri", 400, INVALID, "uri is required", () -> call("GET", "/v1/frames", null)),
                refused("frame outside the store", 400, INVALID, "not of this deployment's frame store",
                        () -> call("GET", frameUrl("file:///etc/passwd"), null)),
                refused("frame with traversal out of the store", 400, INVALID, "not of this deployment's frame store",
                        () -> call("GET", frameUrl(storeRoot() + "j/../../../../../../etc/passwd"), null)),
                refused("frame of another kind of store", 400, INVALID, "not of this deployment's frame store",
                        () -> call("GET", frameUrl("s3://bucket/j/00000000.jpg"), null)),
                refused("frame not a URI", 400, INVALID, null, () -> call("GET", frameUrl("file:// bad uri"), null)),
                refused("frame not stored", 404, "frame not found", null,
                        () -> call("GET", frameUrl(storeRoot() + "no-such-job/00000000.jpg"), null)),
                refused("frame without API key", 401, "unauthorized", null,
                        () -> send("GET", frameUrl(storeRoot() + "no-such-job/00000000.jpg"), null)),
                // -- deleting jobs, and the routes open without a key --
                refused("delete an unknown job", 404, "job not found", null,
                        () -> call("DELETE", "/v1/jobs/video/no-such-job", null)),
                refused("delete without an API key", 401, "unauthorized", null,
                        () -> send("DELETE", "/v1/jobs/video/no-such-job", null)),
                new Case("delete a job still running", "409 \"job not ended\"; after the kill, 200", id -> {
                    ObjectNode b = (ObjectNode) readTree(job(trickle.url("/running.mp4")));
                    ((ObjectNode) b.get("params")).put("async", true);
                    String job = call("POST", "/v1/video/" + id, b.toString()).json().path("job").asText();
                    Answer running = call("DELETE", "/v1/jobs/video/" + job, null);
                    assertThat(running.status()).as(running.body()).isEqualTo(409);
                    assertThat(running.error()).isEqualTo("job not ended");
                    assertThat(send("POST", "/v1/jobs/video/" + job, "op=kill".getBytes(StandardCharsets.UTF_8),
                            "Content-Type", "application/x-www-form-urlencoded", "X-Api-Key", KEY).status())
                            .isEqualTo(200);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    Answer deleted = call("DELETE", "/v1/jobs/video/" + job, null);
                    while (deleted.status() == 409 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                        deleted = call("DELETE", "/v1/jobs/video/" + job, null);
                    }
                    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
                    assertThat(call("GET", "/v1/jobs/video/" + job, null).status()).isEqualTo(404);
                }),
                new Case("metrics and the OpenAPI description without a key", "200 each; /v1/ops stays 401", id -> {
                    assertThat(send("GET", "/metrics", null).status()).isEqualTo(200);
                    Answer doc = send("GET", "/openapi.json", null);
                    assertThat(doc.status()).isEqualTo(200);
                    assertThat(doc.json().path("paths").has("/v1/jobs/video/{job_id}")).isTrue();
                    assertThat(doc.json().path("paths").path("/v1/jobs/video/{job_id}").has("delete")).isTrue();
                    assertThat(doc.json().path("paths").has("/v1/frames")).isTrue();
                    assertThat(doc.json().path("paths").has("/metrics")).isTrue();
                    assertThat(send("GET", "/v1/ops", null).status()).isEqualTo(401);
                }),
                // -- the traffic API (traffic-api.md) --
                refused("traffic upload as JSON", 400, INVALID, "multipart/form-data",
                        () -> call("POST", "/video", "{\"interval\":1000}")),
                refused("traffic upload without the file", 400, INVALID, "missing file field 'video'",
                        () -> upload("/video", null, true, "interval", "1000")),
                refused("traffic upload without interval", 400, INVALID, "missing field 'interval'",
                        () -> upload("/video", Files.readAllBytes(small), true)),
                refused("traffic interval not a number", 400, INVALID, "interval must be an integer",
                        () -> upload("/video-streaming", Files.readAllBytes(small), true, "interval", "1e3")),
                refused("traffic interval below 100 ms", 400, INVALID, "interval must be ms in",
                        () -> upload("/v1/traffic/video", Files.readAllBytes(small), true, "interval", "5")),
                refused("traffic lines not an array", 400, INVALID, "lines must be a JSON array",
                        () -> upload("/video", Files.readAllBytes(small), true, "interval", "1000", "lines", "{}")),
                refused("traffic upload of text", 400, "cannot open the file", null,
                        () -> upload("/video", "not a video\n".repeat(50).getBytes(StandardCharsets.UTF_8), true,
                                "interval", "1000")),
                refused("traffic upload of nothing", 400, "cannot open the file", null,
                        () -> upload("/video-streaming", new byte[0], true, "interval", "1000")),
                refused("traffic upload without an API key", 401, "unauthorized", null,
                        () -> upload("/video", Files.readAllBytes(small), false, "interval", "1000")),
                refused("traffic job unknown", 404, "job not found", null,
                        () -> call("GET", "/v1/traffic/jobs/no-such-job", null)),
                refused("traffic video of an unknown job", 404, "video not found", null,
                        () -> call("GET", "/v1/traffic/jobs/no-such-job/video", null)),
                refused("traffic stream of an unknown job", 404, "job not found", null,
                        () -> call("GET", "/v1/traffic/jobs/no-such-job/stream", null)),
                refused("recount without lines", 400, INVALID, "{\"lines\"",
                        () -> call("POST", "/v1/traffic/jobs/no-such-job/recount", "{\"line\":[]}")),
                refused("recount of an unknown job", 404, "job not found", null,
                        () -> call("POST", "/v1/traffic/jobs/no-such-job/recount", "{\"lines\":[]}")),
                // -- the media API's files (media-api.html) --
                refused("file upload as text/plain", 400, INVALID, "multipart/form-data",
                        () -> send("POST", "/api/v1/files", "{}".getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "text/plain", "X-Api-Key", KEY)),
                refused("file registration without a uri", 400, INVALID, "uri must be a non-empty string",
                        () -> call("POST", "/api/v1/files", "{}")),
                refused("file registration, uri a number", 400, INVALID, "uri must be a non-empty string",
                        () -> call("POST", "/api/v1/files", "{\"uri\": 7}")),
                refused("file registration, not JSON", 400, INVALID, "not valid JSON",
                        () -> call("POST", "/api/v1/files", "{\"uri\": ")),
                refused("file registration, a JSON list", 400, INVALID, "must be a JSON object",
                        () -> call("POST", "/api/v1/files", "[\"http://127.0.0.1/a.mp4\"]")),
                refused("file registration, unknown field", 400, INVALID, "unknown field 'url'",
                        () -> call("POST", "/api/v1/files", "{\"url\": \"http://127.0.0.1/a.mp4\"}")),
                refused("file registration, ops a list", 400, INVALID, "ops must be a string",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"/nope.mp4\", \"ops\": [\"motion\"]}")),
                refused("file registration, interval negative", 400, INVALID, "interval must be seconds",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"/nope.mp4\", \"interval\": -1}")),
                refused("file registration, uri of 5000 characters", 400, INVALID, "longer than 4096",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"http://127.0.0.1/" + "a".repeat(5000) + "\"}")),
                refused("file registration of a live stream", 400, INVALID, "cannot be registered as a file",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"rtmp://127.0.0.1/live/cam\", \"ops\": \"none\"}")),
                refused("file registration, ftp scheme", 400, INVALID, "unsupported uri scheme: ftp",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"ftp://127.0.0.1/a.mp4\", \"ops\": \"none\"}")),
                refused("file registration of a missing local file", 424, "cannot find the video", "no such file",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"/no/such/video.mp4\", \"ops\": \"none\"}")),
                refused("file registration of the cloud metadata address", 424, "cannot find the video",
                        "source URL refused", () -> call("POST", "/api/v1/files",
                                "{\"uri\": \"http://169.254.169.254/latest/meta-data\", \"ops\": \"none\"}")),
                refused("file registration of a closed port", 424, "cannot find the video", "cannot connect",
                        () -> call("POST", "/api/v1/files", "{\"uri\": \"http://127.0.0.1:9/a.mp4\", \"ops\": \"none\"}")),
                refused("file upload of text", 400, "cannot open the file", null,
                        () -> upload("/api/v1/files", "<html></html>".getBytes(StandardCharsets.UTF_8), true)),
                refused("file uuid not hexadecimal", 400, INVALID, "32 hexadecimal digits",
                        () -> call("GET", "/api/v1/file/..%2F..%2Fetc%2Fpasswd", null)),
                refused("file unknown", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32), null)),
                refused("thumbnail of an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/thumbnail?frame=0", null)),
                refused("delete an unknown file", 404, "file not found", null,
                        () -> call("DELETE", "/api/v1/file/" + "0".repeat(32), null)),
                refused("file upload with ops not op names", 400, INVALID, "comma-separated op names, or none",
                        () -> upload("/api/v1/files", Files.readAllBytes(small), true, "ops", "motion;rm")),
                refused("video with boxes of an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/video/bbox", null)),
                refused("video with boxes, file uuid not hexadecimal", 400, INVALID, "32 hexadecimal digits",
                        () -> call("GET", "/api/v1/file/not-a-uuid/video/bbox", null)),
                refused("cut of an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/video?start_frame=0&end_frame=1", null)),
                new Case("cut and video with boxes of a file without analysis", "400 for each bad parameter, 404 "
                        + "past the end with the frame count, 409 \"no analysis\"", id -> {
                    Answer up = upload("/api/v1/files", Files.readAllBytes(small), true, "ops", "none");
                    assertThat(up.status()).as(up.body()).isEqualTo(201);
                    assertThat(up.json().has("job")).as("ops=none starts no job").isFalse();
                    String file = "/api/v1/file/" + up.json().path("file_uuid").asText();
                    long frames = up.json().path("frame_count").asLong();
                    for (String q : List.of("start_frame=5", "end_frame=5", "start_frame=9&end_frame=3",
                            "start_frame=x&end_frame=4", "start_frame=-1&end_frame=4", "start_frame=1e3&end_frame=2000",
                            "start_frame=0&end_frame=4&audio=maybe", "start_frame=0&end_frame=4&mode=debug",
                            "start_frame=0&end_frame=4&mode=fancy", "start_frame=99999999999999999999&end_frame=1")) {
                        Answer a = call("GET", file + "/video?" + q, null);
                        assertThat(a.status()).as(q + ": " + a.body()).isEqualTo(400);
                        assertThat(a.error()).as(q).isEqualTo(INVALID);
                    }
                    Answer past = call("GET", file + "/video?start_frame=0&end_frame=" + frames, null);
                    assertThat(past.status()).as(past.body()).isEqualTo(404);
                    assertThat(past.json().path("detail").asText()).contains(frames + " frames");
                    Answer none = call("GET", file + "/video/bbox", null);
                    assertThat(none.status()).as(none.body()).isEqualTo(409);
                    assertThat(none.error()).isEqualTo("no analysis");
                    for (String q : List.of("mode=fancy", "audio=maybe", "mode=")) {
                        Answer a = call("GET", file + "/video/bbox?" + q, null);
                        assertThat(a.status()).as(q + ": " + a.body()).isEqualTo(q.equals("mode=") ? 409 : 400);
                    }
                    assertThat(call("DELETE", file, null).status()).isEqualTo(200);
                }),
                refused("files without an API key", 401, "unauthorized", null,
                        () -> send("GET", "/api/v1/files", null)),
                // -- file access: grants and signed URLs --
                refused("grant with a body that is not JSON", 400, INVALID, "not valid JSON",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/grants", "{\"principal\": ")),
                refused("grant without a principal", 400, INVALID, "missing field 'principal'",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/grants", "{}")),
                refused("grant to a principal of another shape", 400, INVALID, "principal must be 1 to 128",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/grants", "{\"principal\": \"bob smith\"}")),
                refused("grant with an unknown field", 400, INVALID, "unknown field 'role'",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/grants",
                                "{\"principal\": \"bob\", \"role\": \"admin\"}")),
                refused("grant on an unknown file", 404, "file not found", null,
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/grants", "{\"principal\": \"bob\"}")),
                refused("revoke a principal of another shape", 400, INVALID, "principal must be 1 to 128",
                        () -> call("DELETE", "/api/v1/file/" + "0".repeat(32) + "/grants/~anonymous", null)),
                refused("revoke on an unknown file", 404, "file not found", null,
                        () -> call("DELETE", "/api/v1/file/" + "0".repeat(32) + "/grants/bob", null)),
                refused("signed URL with ttl_s out of range", 400, INVALID, "ttl_s must be an integer from 1 to",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url",
                                "{\"path\": \"video\", \"ttl_s\": 99999999}")),
                refused("signed URL with ttl_s not an integer", 400, INVALID, "ttl_s must be an integer",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url",
                                "{\"path\": \"video\", \"ttl_s\": \"soon\"}")),
                refused("signed URL of another route", 400, INVALID, "path must be video, video/bbox, thumbnail or clip",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url", "{\"path\": \"../grants\"}")),
                refused("signed URL naming its own signature", 400, INVALID, "may not hold expires or signature",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url",
                                "{\"path\": \"video?signature=00\"}")),
                refused("signed URL with a body that is not JSON", 400, INVALID, "not valid JSON",
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url", "path=video")),
                refused("signed URL of an unknown file", 404, "file not found", null,
                        () -> call("POST", "/api/v1/file/" + "0".repeat(32) + "/signed-url", "{\"path\": \"video\"}")),
                refused("forged signed URL", 401, "unauthorized", "signature does not match",
                        () -> send("GET", "/api/v1/file/" + "0".repeat(32) + "/video?expires=9999999999&signature="
                                + "0".repeat(64), null)),
                refused("signed URL with a malformed signature", 401, "unauthorized", "64 hexadecimal digits",
                        () -> send("GET", "/api/v1/file/" + "0".repeat(32) + "/video?expires=9999999999&signature=zz",
                                null)),
                refused("signed URL for a POST", 401, "unauthorized", "only valid for GET",
                        () -> send("POST", "/api/v1/file/" + "0".repeat(32) + "/grants?expires=9999999999&signature="
                                + "0".repeat(64), "{}".getBytes(StandardCharsets.UTF_8))),
                refused("a JWT where none is configured", 401, "unauthorized", "not valid",
                        () -> send("GET", "/api/v1/files", null, "Authorization",
                                "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl")),
                // -- the dashboard (DashboardRoutes) --
                refused("dashboard list limit out of range", 400, INVALID, "limit must be 1 to 500",
                        () -> call("GET", "/api/v1/dashboard/jobs?limit=0", null)),
                refused("dashboard list limit not a number", 400, INVALID, null,
                        () -> call("GET", "/api/v1/dashboard/jobs?limit=ten", null)),
                refused("dashboard list without an API key", 401, "unauthorized", null,
                        () -> send("GET", "/api/v1/dashboard/jobs", null)),
                refused("dashboard token without an API key", 401, "unauthorized", null,
                        () -> send("POST", "/api/v1/dashboard/jobs/no-such-job/token", null)),
                refused("dashboard token of an unknown job", 404, "job not found", null,
                        () -> call("POST", "/api/v1/dashboard/jobs/no-such-job/token", null)),
                refused("dashboard events without a token", 401, "unauthorized", "stream token",
                        () -> send("GET", "/api/v1/dashboard/jobs/no-such-job/events", null)),
                refused("dashboard events with a forged token", 401, "unauthorized", "stream token",
                        () -> send("GET", "/api/v1/dashboard/jobs/no-such-job/events?token=am9i.AAAA", null)),
                refused("dashboard events with the API key as token", 401, "unauthorized", "stream token",
                        () -> call("GET", "/api/v1/dashboard/jobs/no-such-job/events?token=" + KEY, null)),
                refused("dashboard file unknown", 404, "not found", "no dashboard file",
                        () -> send("GET", "/dashboard/no-such-file.js", null)),
                // -- plate search (PlateRoutes) --
                refused("plate search body not JSON", 400, INVALID, "must be JSON",
                        () -> call("POST", "/licence-plate", "{\"licence_plate\": ")),
                refused("plate search without licence_plate", 400, INVALID, "licence_plate must be a string",
                        () -> call("POST", "/licence-plate", "{}")),
                refused("plate search with a number", 400, INVALID, "licence_plate must be a string",
                        () -> call("POST", "/licence-plate", "{\"licence_plate\": 123}")),
                refused("plate search of 1,000 characters", 400, INVALID, "at most 64 characters",
                        () -> call("POST", "/licence-plate", "{\"licence_plate\": \"" + "A".repeat(1000) + "\"}")),
                refused("plate search of separators only", 400, INVALID, "no letters or digits",
                        () -> call("POST", "/licence-plate", "{\"licence_plate\": \" - . \"}")),
                refused("plate search of control characters", 400, INVALID, "no letters or digits",
                        () -> call("POST", "/licence-plate", "{\"licence_plate\": \"\\u0000\\u001b\\n\"}")),
                refused("plate search, data side, empty text", 400, INVALID, "no letters or digits",
                        () -> call("POST", "/search-licence-plate", "{\"licence_plate\": \"\"}")),
                refused("plate search without an API key", 401, "unauthorized", null,
                        () -> send("POST", "/licence-plate", "{\"licence_plate\": \"AB12\"}".getBytes(StandardCharsets.UTF_8))),
                refused("car image of an unknown plate", 404, "plate not found", null,
                        () -> call("GET", "/v1/plates/no-such-job/7/car.jpg", null)),
                // -- faces: traces, identities, search by face (TraceRoutes, IdentityRoutes, FaceSearchRoutes) --
                refused("face photo not multipart", 400, INVALID, "multipart/form-data",
                        () -> call("POST", "/face-detect", "{}")),
                refused("face photo that is not an image", 400, INVALID, "cannot be read",
                        () -> send("POST", "/face-detect", ("--b\r\nContent-Disposition: form-data; name=\"image\"; "
                                + "filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nnot a picture\r\n--b--\r\n")
                                .getBytes(StandardCharsets.UTF_8), "Content-Type", "multipart/form-data; boundary=b",
                                "X-Api-Key", KEY)),
                refused("face photo field missing", 400, INVALID, "missing file field 'image'",
                        () -> send("POST", "/face-detect", ("--b\r\nContent-Disposition: form-data; name=\"photo\"; "
                                + "filename=\"x.jpg\"\r\n\r\nx\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8),
                                "Content-Type", "multipart/form-data; boundary=b", "X-Api-Key", KEY)),
                refused("face vector search, body not JSON", 400, INVALID, "must be JSON",
                        () -> call("POST", "/search-face", "{\"face_vector\": [")),
                refused("face vector not a list", 400, INVALID, "face_vector must be a list",
                        () -> call("POST", "/search-face", "{\"face_vector\": \"0.1,0.2\"}")),
                refused("face vector empty", 400, INVALID, "face_vector must be a list",
                        () -> call("POST", "/search-face", "{\"face_vector\": []}")),
                refused("face vector of strings", 400, INVALID, "finite numbers only",
                        () -> call("POST", "/search-face", "{\"face_vector\": [\"a\", \"b\"]}")),
                refused("face vector of 10,000 numbers", 400, INVALID, "face_vector must be a list",
                        () -> call("POST", "/search-face", "{\"face_vector\": [" + "0.1,".repeat(9999) + "0.1]}")),
                refused("face search without an API key", 401, "unauthorized", null,
                        () -> send("POST", "/search-face", "{\"face_vector\": [0.1]}".getBytes(StandardCharsets.UTF_8))),
                refused("traces of an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/traces", null)),
                refused("traces of a malformed file uuid", 400, INVALID, null,
                        () -> call("GET", "/api/v1/file/not-a-uuid/traces", null)),
                refused("representative face of an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/trace/1/representative-face", null)),
                refused("co-occurrence in an unknown file", 404, "file not found", null,
                        () -> call("GET", "/api/v1/file/" + "0".repeat(32) + "/identities/a/co-occur-with/b", null)),
                refused("an unknown identity", 404, "identity not found", null,
                        () -> call("GET", "/api/v1/identities/no-such-identity", null)),
                refused("identity name of control characters", 400, INVALID, "none of them control characters",
                        () -> call("PATCH", "/api/v1/identities/x", "{\"name\": \"a\\u0000b\"}")),
                refused("identity name of 1,000 characters", 400, INVALID, "1 to 200 characters",
                        () -> call("PATCH", "/api/v1/identities/x", "{\"name\": \"" + "n".repeat(1000) + "\"}")),
                refused("identity name a number", 400, INVALID, "name must be a string or null",
                        () -> call("PATCH", "/api/v1/identities/x", "{\"name\": 7}")),
                refused("merge without a list", 400, INVALID, "identities must be a list",
                        () -> call("POST", "/api/v1/identities/x/merge", "{\"identities\": \"y\"}")),
                refused("merge into itself", 400, INVALID, "uuids of other identities",
                        () -> call("POST", "/api/v1/identities/x/merge", "{\"identities\": [\"x\"]}")),
                refused("split of no traces", 400, INVALID, "traces must be a list",
                        () -> call("POST", "/api/v1/identities/x/split", "{\"traces\": []}")),
                refused("not-this-person of an unknown identity", 404, "identity not found", null,
                        () -> call("POST", "/api/v1/identities/x/not-this-person",
                                "{\"traces\": [{\"file_uuid\": \"" + "0".repeat(32) + "\", \"trace_id\": 1}]}")),
                refused("face crop of an unknown face", 404, "face not found", null,
                        () -> call("GET", "/v1/faces/no-such-job/1/2.jpg", null)),
                new Case("plate search in another script", "200, no match (nothing indexed)", id -> {
                    Answer a = call("POST", "/licence-plate", "{\"licence_plate\": \"京A·12345\"}");
                    assertThat(a.status()).as(a.body()).isEqualTo(200);
                    assertThat(a.body()).isEmpty();
                }),
                new Case("the OpenAPI description names the traffic and file routes", "every path present", id -> {
                    JsonNode paths = send("GET", "/openapi.json", null).json().path("paths");
                    for (String p : List.of("/video", "/video-streaming", "/v1/traffic/video",
                            "/v1/traffic/video-streaming", "/v1/traffic/jobs/{job_id}", "/v1/traffic/jobs/{job_id}/video",
                            "/v1/traffic/jobs/{job_id}/stream", "/v1/traffic/jobs/{job_id}/recount", "/api/v1/files",
                            "/api/v1/file/{file_uuid}", "/api/v1/file/{file_uuid}/video",
                            "/api/v1/file/{file_uuid}/thumbnail", "/api/v1/file/{file_uuid}/clip",
                            "/api/v1/file/{file_uuid}/grants", "/api/v1/file/{file_uuid}/grants/{principal}",
                            "/api/v1/file/{file_uuid}/signed-url",
                            "/api/v1/file/{file_uuid}/video/bbox", "/", "/licence-plate", "/search-licence-plate",
                            "/v1/plates/{job}/{track}/car.jpg", "/v1/plates/{job}/{track}/plate.jpg",
                            "/dashboard/{asset}", "/api/v1/dashboard/jobs", "/api/v1/dashboard/jobs/{job_id}/token",
                            "/api/v1/dashboard/jobs/{job_id}/events")) {
                        assertThat(paths.has(p)).as(p).isTrue();
                    }
                }),
                new Case("the OpenAPI description of file registration and job deletion", "both bodies, 424, erasure",
                        id -> {
                    JsonNode paths = send("GET", "/openapi.json", null).json().path("paths");
                    JsonNode post = paths.path("/api/v1/files").path("post");
                    assertThat(post.path("requestBody").path("content").has("multipart/form-data")).isTrue();
                    assertThat(post.path("requestBody").path("content").has("application/json")).isTrue();
                    assertThat(post.path("responses").has("424")).as(post.toString()).isTrue();
                    assertThat(paths.path("/v1/jobs/video/{job_id}").path("delete").path("description").asText())
                            .contains("faces", "plates");
                }),
                refused("list with status given twice", 400, INVALID, "status must be given at most once",
                        () -> call("GET", "/v1/jobs/video?status=DOING&status=FAILED", null)),
                // -- HTTP framing and HEAD --
                refused("chunk size not hexadecimal", 400, "bad request", "malformed or cut short",
                        () -> raw(postHead("Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n", true)),
                refused("chunk size of 2^80", 400, "bad request", "malformed or cut short",
                        () -> raw(postHead("Transfer-Encoding: chunked") + "FFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n",
                                true)),
                refused("body shorter than its Content-Length", 400, "bad request", "malformed or cut short",
                        () -> raw(postHead("Content-Length: 1000") + job(small.toString()), true)),
                new Case("HEAD of an unknown job", "404 like GET, no body", id -> {
                    Answer a = raw("HEAD /v1/jobs/video/no-such-job HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY
                            + "\r\nConnection: close\r\n\r\n");
                    assertThat(a.status()).isEqualTo(404);
                    assertThat(a.body()).isEmpty();
                }),
                new Case("HEAD without an API key", "401 like GET, no body", id -> {
                    Answer a = raw("HEAD /v1/jobs/video HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    assertThat(a.status()).isEqualTo(401);
                    assertThat(a.body()).isEmpty();
                }),
                // -- messages in the caller's terms --
                refusedJob("NaN in the body", 400, INVALID, "Non-standard token 'NaN' (not JSON)",
                        () -> job(small.toString()).replace("\"interval\":5", "\"interval\":NaN")),
                new Case("schema naming an undefined type", "422 without Java class names", id -> {
                    Answer a = send("POST", "/subjects/corpus-value/versions",
                            "{\"schema\":\"\\\"Foo\\\"\"}".getBytes(StandardCharsets.UTF_8),
                            "Content-Type", "application/json", "X-Api-Key", KEY);
                    assertThat(a.status()).as(a.body()).isEqualTo(422);
                    assertThat(a.json().path("message").asText()).startsWith("Invalid schema: ")
                            .doesNotContain("Exception").doesNotContain("org.apache");
                }),
                refusedJob("SSRF LAN camera: the refusal names the allow-list", 400, INVALID,
                        "to allow it, start Argus with --url-allow 192.168.1.5 (or ARGUS_URL_ALLOW=192.168.1.5",
                        () -> job("rtsp://192.168.1.5/cam")),
                // -- secrets and sizes in what is logged and answered --
                new Case("credentials in data.uri and hookURL", "FAILED 424; GET and the log show ***",
                        id -> credentialsHidden(id)),
                new Case("data.uri a 900 KB URL", "FAILED 424; logged cut to 256 characters",
                        id -> longUrlLoggedShort(id)),
                // -- documented fields accepted; traversal never escaping the store --
                finishes("data.attribute of the spec's queued job is accepted", List.of(0L, 5000L), () -> {
                    ObjectNode b = (ObjectNode) readTree(job(small.toString()));
                    ((ObjectNode) b.get("data")).putObject("attribute").put("id", "corpus");
                    return b.toString();
                }),
                finishes("person params in range", List.of(0L, 5000L),
                        () -> with("ops", "[{\"op\":\"person\",\"params\":{\"threshold\":0,"
                                + "\"ignore_empty_labels\":false}}]")),
                new Case("traversal in the video id",
                        "accepted (checked only with params.save), frames inside the store",
                        id -> videoIdTraversal()),
                refusedJob("params.save.prefix climbing out with ..", 400, INVALID, "params.save.prefix",
                        () -> withSave("../".repeat(20) + "tmp/argus-corpus-escape")),
                refusedJob("params.save.prefix absolute", 400, INVALID, "params.save.prefix", () -> withSave("/etc")),
                refusedJob("params.save.prefix %-encoded dots", 400, INVALID, "params.save.prefix",
                        () -> withSave("%2e%2e/%2e%2e/etc")),
                refusedJob("params.save.prefix backslashes", 400, INVALID, "params.save.prefix",
                        () -> withSave("..\\..\\etc")),
                refusedJob("params.save.prefix into the extractions", 400, INVALID, "params.save.prefix",
                        () -> withSave("extractions/x")),
                refused("traversal in the video id with params.save", 400, INVALID, "video_id",
                        () -> call("POST", "/v1/video/..%2F..%2Fetc", withSave("corpus"))),
                new Case("params.save.prefix a/b", "FINISHED, frames at a/b/<video_id>/<offset>.jpg inside the store",
                        id -> {
                            Answer a = call("POST", "/v1/video/" + id, withSave("corpus/saved"));
                            assertThat(a.status()).as(a.body()).isEqualTo(200);
                            assertFramesInStore(a.json().path("person"));
                            assertThat(a.json().path("person").findValuesAsText("uri"))
                                    .allSatisfy(u -> assertThat(u).contains("/corpus/saved/" + id + "/"));
                        }),
                // -- extraction requests refused --
                refusedExtraction("frame: malformed JSON", "frame", "POST", "/frame", "body must be a JSON object",
                        () -> "{\"uri\":"),
                refusedExtraction("frame: unknown field", "frame", "POST", "/frame", "unknown field 'bucket'",
                        () -> "{\"uri\":\"" + small + "\",\"pattern\":\"uniform\",\"bucket\":\"b\"}"),
                refusedExtraction("frame: uri a number", "frame", "POST", "/frame", "uri must be a string",
                        () -> "{\"uri\":7,\"pattern\":\"uniform\"}"),
                refusedExtraction("frame: NUL in uri", "frame", "POST", "/frame", "uri must not contain NUL",
                        () -> "{\"uri\":\"/tmp/a\\u0000.mp4\",\"pattern\":\"uniform\"}"),
                refusedExtraction("frame: live source", "frame", "POST", "/frame",
                        ExtractionRequestParser.LIVE_NOT_SUPPORTED, () -> frameBody(rtmp.url("cam"), "keyframe")),
                refusedExtraction("frame: SSRF cloud metadata", "frame", "POST", "/frame",
                        "uri: the address is not allowed",
                        () -> frameBody(metadataUrl(), "keyframe")),
                refusedExtraction("frame: traversal in video_id", "frame", "POST", "/frame", "video_id must be",
                        () -> "{\"uri\":\"" + small + "\",\"pattern\":\"uniform\",\"video_id\":\"../../etc\"}"),
                refusedExtraction("frame: interval a string", "frame", "POST", "/frame", "interval must be a number",
                        () -> "{\"uri\":\"" + small + "\",\"pattern\":\"uniform\",\"interval\":\"5\"}"),
                refusedExtraction("flow: gap 0", "flow", "POST", "/flow", "flow.gap must be an integer",
                        () -> "{\"uri\":\"" + small + "\",\"pattern\":\"keyframe\",\"flow\":{\"gap\":0}}"),
                refusedExtraction("frame: GET with traversal in video", "frame", "GET",
                        "/frame?pattern=uniform&video=..%2F..%2Fetc", "video", null),
                refusedExtraction("frame: DELETE with traversal in video", "frame", "DELETE", "/frame?video=%2e%2e",
                        "video", null),
                // -- file sources that fail once the job runs --
                fails("missing file", 424, NOT_FOUND, () -> job(missing.toString())),
                fails("directory", 424, NOT_FOUND, () -> job(folder.toString())),
                fails("/dev/zero", 424, NOT_FOUND, () -> job("/dev/zero")),
                fails("zero-byte file", 400, CANNOT_OPEN, () -> job(zero.toString())),
                fails("text file named .mp4", 400, CANNOT_OPEN, () -> job(text.toString())),
                fails("random bytes", 400, CANNOT_OPEN, () -> job(random.toString())),
                fails("/etc/passwd as file: URI", 400, CANNOT_OPEN, () -> job("file:///etc/passwd")),
                fails("audio only", 400, CANNOT_OPEN, () -> job(audio.toString())),
                fails("NUL in data.uri", 424, NOT_FOUND, () -> job("/tmp/a\u0000.mp4")),
                fails("file: URI naming another host", 424, NOT_FOUND, () -> job("file://otherhost/etc/passwd")),
                fails("data.uri a 900 KB path", 424, NOT_FOUND, () -> job("/" + "d".repeat(900_000))),
                fails("MP4 header only (64 bytes)", 400, CANNOT_OPEN, () -> job(headerOnly.toString())),
                fails("truncated MP4, moov at the end", 400, CANNOT_OPEN, () -> job(moovAtEndTruncated.toString())),
                finishes("truncated MP4, moov first", List.of(0L), () -> job(smallTruncated.toString())),
                finishes("corrupt bytes mid-file", List.of(0L, 5000L), () -> job(corruptMiddle.toString())),
                // FFmpeg reads a still image as a one-frame video (image2): it is analysed, not refused
                finishes("PNG instead of a video", List.of(0L), () -> job(png.toString())),
                finishes("JPEG instead of a video", List.of(0L), () -> job(jpeg.toString())),
                finishes("48×32 image, smaller than the person op's window", List.of(0L), () -> job(tinyPng.toString())),
                // -- HTTP sources --
                fails("HTTP 404", 424, NOT_FOUND, () -> job(webBase + "/404")),
                fails("HTTP 500", 424, NOT_FOUND, () -> job(webBase + "/500")),
                fails("HTTP 200 with an HTML page", 400, CANNOT_OPEN, () -> job(webBase + "/page.html")),
                fails("connection refused", 424, NOT_FOUND, () -> job("http://127.0.0.1:" + closedPort + "/v.mp4")),
                fails("unresolvable host", 424, NOT_FOUND, () -> job("http://no-such-host.invalid/v.mp4")),
                fails("redirect to cloud metadata", 424, NOT_FOUND, () -> job(webBase + "/to-metadata")),
                fails("redirect to a private address", 424, NOT_FOUND, () -> job(webBase + "/to-private")),
                fails("redirect to ftp", 424, NOT_FOUND, () -> job(webBase + "/to-ftp")),
                fails("redirect loop", 424, NOT_FOUND, () -> job(webBase + "/loop")),
                fails("HTTP server that stalls the GET (read timeout)", 424, NOT_FOUND,
                        () -> job(webBase + "/stall.mp4")),
                fails("HTTP server that trickles a byte every 0.5 s (open bounded by the read timeout)", 424,
                        NOT_FOUND, () -> job(trickle.url("/trickle.mp4"))),
                // -- timestamps that do not start at 0, start times past the end --
                finishes("transport stream starting at 101.4 s", List.of(0L, 5000L), () -> job(offsetTs.toString())),
                finishes("transport stream starting at 101.4 s, ss 2 t 4", List.of(2000L), () -> withUri(
                        offsetTs.toString(), "params.vframe", "{\"mode\":0,\"interval\":5,\"ss\":2,\"t\":4}")),
                fails("vframe.ss past the end of the video", 400, "invalid starttime", () -> withUri(
                        small.toString(), "params.vframe", "{\"mode\":0,\"interval\":5,\"ss\":60}")),
                fails("vframe.ss past the end of a transport stream starting at 101.4 s", 400, "invalid starttime",
                        () -> withUri(offsetTs.toString(), "params.vframe", "{\"mode\":0,\"interval\":5,\"ss\":7}")),
                // -- sources above the pixel limit --
                fails("PNG of 2000x1000 over a 1 MP limit", 400, "frames too large: 2000x1000 is more than 1000000 pixels",
                        () -> job(widePng.toString())),
                // -- live sources that never start or stall --
                fails("RTMP stream nobody publishes", 424, NOT_FOUND, () -> live(rtmp.url("nobody"))),
                fails("RTMP port closed", 424, NOT_FOUND, () -> live("rtmp://127.0.0.1:" + closedPort + "/live/x")),
                fails("RTMP server that accepts and stalls", 424, NOT_FOUND,
                        () -> live("rtmp://127.0.0.1:" + stall.getLocalPort() + "/live/x")),
                // FFmpeg's RTSP client reports a server that never answers as invalid data; an open
                // that lasted the read timeout is 424 all the same
                fails("RTSP server that accepts and stalls", 424, NOT_FOUND,
                        () -> live("rtsp://127.0.0.1:" + stall.getLocalPort() + "/cam")),
                new Case("RTMP stream that stops after 3 s", "frames, then FAILED 499 \"timeout\"",
                        id -> streamThatStops(id)),
                // -- extraction sources that fail once the request runs --
                extractionFails("flow: 8x8 frames, too small for DIS", "flow",
                        "frames too small for optical flow: 8x8 at scale 1.0, DIS needs at least 12 px a side",
                        () -> frameBody(tiny8.toString(), "uniform")),
                extractionFails("frame: PNG over the pixel limit", "frame",
                        "frames too large: 2000x1000 is more than 1000000 pixels",
                        () -> frameBody(widePng.toString(), "uniform")),
                extractionFails("frame: missing file", "frame", NOT_FOUND,
                        () -> frameBody(missing.toString(), "uniform")),
                extractionFails("frame: text file", "frame", CANNOT_OPEN, () -> frameBody(text.toString(), "keyframe")),
                extractionFails("flow: zero-byte file", "flow", CANNOT_OPEN,
                        () -> frameBody(zero.toString(), "uniform")),
                extractionFails("frame: file: URI naming another host", "frame", NOT_FOUND,
                        () -> frameBody("file://otherhost/etc/passwd", "uniform")),
                extractionFails("frame: HTTP 404", "frame", NOT_FOUND, () -> frameBody(webBase + "/404", "uniform")),
                extractionFails("frame: redirect to cloud metadata", "frame", NOT_FOUND,
                        () -> frameBody(webBase + "/to-metadata", "scene")));
    }

    static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The head of a POST /v1/video/corpus with the key and the framing header given. */
    static String postHead(String framing) {
        return "POST /v1/video/corpus HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\nConnection: close\r\n\r\n";
    }

    /** Runs {@code probe} and returns what the process logged meanwhile (slf4j-simple writes to System.err). */
    static String logged(Probe probe, String id) throws Exception {
        java.io.PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            probe.run(id);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log.length() > 20_000 ? log.substring(0, 20_000) + "…\n" : log);
        return log;
    }

    /**
     * A source and a hook URL with user-info and secret query values: the source gets them (the
     * job fails as the server answers 404 to the real request), but neither GET nor the log shows them.
     */
    static void credentialsHidden(String id) throws Exception {
        failingCases++;
        String source = webBase.replace("http://", "http://viewer:s3cret-pass@") + "/404?token=t0k3n&x=1";
        String hook = webBase.replace("http://", "http://hook:h00k-pass@") + "/404?sig=s1gn4ture";
        String log = logged(run -> {
            ObjectNode body = (ObjectNode) readTree(job(source));
            ((ObjectNode) body.get("params")).put("hookURL", hook);
            Answer a = call("POST", "/v1/video/" + run, body.toString());
            assertThat(a.status()).as(a.body()).isEqualTo(424);
            String job = a.json().path("job").asText();
            Answer got = call("GET", "/v1/jobs/video/" + job, null);
            assertThat(got.json().at("/request/data/uri").asText())
                    .isEqualTo(webBase.replace("http://", "http://***@") + "/404?token=***&x=1");
            assertThat(got.json().at("/request/params/hookURL").asText())
                    .isEqualTo(webBase.replace("http://", "http://***@") + "/404?sig=***");
            assertThat(got.body()).doesNotContain("s3cret-pass").doesNotContain("t0k3n")
                    .doesNotContain("h00k-pass").doesNotContain("s1gn4ture");
            Thread.sleep(2000); // the hook gives up on its 404 and says so
        }, id);
        assertThat(log).contains("source " + webBase.replace("http://", "http://***@") + "/404?token=***&x=1 failed")
                .doesNotContain("s3cret-pass").doesNotContain("t0k3n")
                .doesNotContain("h00k-pass").doesNotContain("s1gn4ture");
    }

    /** A 900 KB URL: refused by its server like any other, and logged at most 256 characters long. */
    static void longUrlLoggedShort(String id) throws Exception {
        failingCases++;
        String url = "http://127.0.0.1:" + closedPort + "/" + "d".repeat(900_000) + ".mp4";
        String log = logged(run -> {
            Answer a = call("POST", "/v1/video/" + run, job(url));
            assertThat(a.status()).as(a.body().length() > 300 ? a.body().substring(0, 300) : a.body()).isEqualTo(424);
        }, id);
        assertThat(log).contains("…(" + url.length() + " chars)");
        assertThat(log.lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(2_000));
    }

    static String chunked(String path, int chunks64k) {
        StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + KEY
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = " ".repeat(64 * 1024);
        for (int i = 0; i < chunks64k; i++) {
            req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        return req.append("0\r\n\r\n").toString();
    }

    /**
     * A video id climbing out of a prefix ({@code ../../etc}, sent %2F-encoded in the path), without
     * {@code params.save}: frames are keyed by the generated job id, so the id names no path; the
     * job runs and echoes the id as given.
     */
    static void videoIdTraversal() throws Exception {
        Answer a = call("POST", "/v1/video/..%2F..%2Fetc", job(small.toString()));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertFramesInStore(a.json().path("person"));
        List<String> vids = new ArrayList<>();
        for (JsonNode item : call("GET", "/v1/jobs/video?status=FINISHED", null).json()) {
            vids.add(call("GET", "/v1/jobs/video/" + item.path("id").asText(), null).json().path("vid").asText());
        }
        assertThat(vids).contains("../../etc");
    }

    static void assertFramesInStore(JsonNode opResult) throws IOException {
        Path store = dir.resolve("data").resolve("frames").toRealPath();
        List<Long> offsets = cutOffsets(opResult);
        assertThat(offsets).containsExactly(0L, 5000L);
        opResult.path("segments").forEach(s -> s.path("cuts").forEach(c -> {
            Path p = Path.of(URI.create(c.path("uri").asText())).normalize();
            assertThat(p).as("cut inside the frame store").startsWith(store);
            assertThat(p).isRegularFile();
        }));
    }

    /** The good job body on the small MP4 with {@code params.save} naming the prefix given. */
    static String withSave(String prefix) {
        ObjectNode b = (ObjectNode) readTree(job(small.toString()));
        ((ObjectNode) b.get("params")).putObject("save").put("bucket", "frames").put("zone", 0).put("prefix", prefix);
        return b.toString();
    }

    /** A publisher that sends 3 s of stream and ends: the job gets frames, then fails with 499 "timeout". */
    static void streamThatStops(String id) throws Exception {
        failingCases++;
        String stream = "short-" + id;
        ExternalProcess publisher = ExternalProcess.start("publisher", dir.resolve("publisher-" + id + ".log"), List.of(
                "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-t", "3", "-i", flv.toString(), "-c", "copy",
                "-f", "flv", rtmp.url(stream)));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!rtmp.publishing(stream) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(rtmp.publishing(stream)).as("publisher up").isTrue();
            Answer a = call("POST", "/v1/video/" + id, job(rtmp.url(stream), LIVE_TIMEOUT_S).replace("\"interval\":5",
                    "\"interval\":1"));
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            String job = a.json().path("job").asText();
            JsonNode j = awaitJob(job, Duration.ofSeconds(30));
            assertThat(j.path("status").asText()).as(j.toString()).isEqualTo("FAILED");
            assertThat(j.path("error").asText()).isEqualTo("timeout");
            assertThat(j.path("progress").path("frames_sampled").asLong()).as("frames before the stall").isPositive();
            assertThat(rt.view().status(job).orElseThrow().getError().getCode()).isEqualTo(499);
        } finally {
            publisher.close();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> badInputGetsItsDocumentedAnswer() {
        List<Case> cases = corpus().toList();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases.stream().map(Case::name).distinct().count()).as("unique names").isEqualTo(cases.size());
        int[] n = {0};
        return cases.stream().map(c -> {
            String id = String.format("corpus-%03d", ++n[0]);
            return DynamicTest.dynamicTest(c.name() + " -> " + c.expected(), () -> {
                long t0 = System.nanoTime();
                try {
                    c.probe().run(id);
                    System.out.printf("corpus %s: %s -> %s: ok in %d ms%n", id, c.name(), c.expected(),
                            (System.nanoTime() - t0) / 1_000_000);
                } catch (AssertionError e) {
                    System.out.printf("corpus %s: %s -> %s: FAILED%n", id, c.name(), c.expected());
                    throw new AssertionError(id + " " + c.name() + " -> expected " + c.expected() + ": "
                            + e.getMessage(), e);
                }
            });
        });
    }

    @Test
    @Order(2)
    void everyStageIsAliveAndAGoodJobFinishesAfterTheCorpus() throws Exception {
        Answer health = send("GET", "/healthz", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ok");
        assertThat(rt.aggregator().state()).isEqualTo(KafkaStreams.State.RUNNING);

        Answer good = call("POST", "/v1/video/after-corpus", job(vtest.toString()));
        assertThat(good.status()).as(good.body()).isEqualTo(200);
        assertThat(cutOffsets(good.json().path("person"))).containsExactly(0L, 5000L, 10000L, 15000L, 20000L,
                25000L, 30000L, 35000L, 40000L, 45000L, 50000L, 55000L, 60000L, 65000L, 70000L, 75000L);

        Answer frames = call("POST", "/frame", "{\"uri\":\"" + small + "\",\"video_id\":\"after-corpus\","
                + "\"pattern\":\"uniform\",\"interval\":2}");
        assertThat(frames.status()).as(frames.body()).isEqualTo(200);
        JsonNode done = awaitExtraction("frame", frames.json().path("id").asText(), Duration.ofSeconds(60));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("FINISHED");
        assertThat(done.path("frames").asLong()).isEqualTo(3);

        JsonNode failed = call("GET", "/v1/jobs/video?status=FAILED", null).json();
        assertThat(failed.size()).as("every failing case left its FAILED job").isGreaterThanOrEqualTo(failingCases);
        JsonNode running = call("GET", "/v1/jobs/video?status=DOING", null).json();
        assertThat(running.size()).as("no bad source left a job running").isZero();
    }
}
