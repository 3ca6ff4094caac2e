package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.TreeMap;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.traffic.JobRecords;
import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;
import io.argus.media.render.Palette;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;

/**
 * The file layer of the media API (media-api.html) over real HTTP against the embedded runtime:
 * multipart uploads of real videos (car-detection.mp4: 768×432, 12.5 fps, 377 frames, AAC;
 * vtest.avi: MPEG-4 in AVI, 10 fps), the file list and records, {@code /video} with ranges,
 * {@code /thumbnail} frames and crops, {@code /clip} as MPEG-TS checked with ffprobe, zero-loss
 * cuts of {@code /video} (keyframe-aligned, codec copied, pictures bit-exact, B-frames), the
 * default analysis of an upload and {@code /video/bbox} (box pixels of the stored tracks on every
 * frame), every bad input, delete, and the file view rebuilt from {@code argus.files} after a
 * restart. The default models are linked in (the default analysis needs them); uploads that need no
 * job send {@code ops=none}.
 */
class FilesApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    static Path car;

    @BeforeAll
    static void start() throws Exception {
        DefaultModels.linkInto(dir.resolve("data"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        for (Path d = Path.of("").toAbsolutePath(); d != null && car == null; d = d.getParent()) {
            Path f = d.resolve("eval/clips/car-detection.mp4");
            car = Files.isRegularFile(f) ? f : null;
        }
        assertThat(car).as("eval/clips/car-detection.mp4").isNotNull();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    /** Uploads without an analysis job ({@code ops=none}): most tests need the file only. */
    static JsonNode upload(Path file) throws Exception {
        HttpResponse<String> r = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", file, "ops", "none"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static Mat image(byte[] jpeg) {
        return opencv_imgcodecs.imdecode(new Mat(1, jpeg.length, opencv_core.CV_8UC1, new BytePointer(jpeg)),
                opencv_imgcodecs.IMREAD_COLOR);
    }

    static String ffprobe(Path file, String select, String entries) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", select,
                "-show_entries", entries, "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        // MPEG-TS lists its streams again under its program: the first line is the stream
        return out.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    }

    @Test
    void uploadListGetAndVideoWithRanges() throws Exception {
        JsonNode f = upload(car);
        String uuid = f.get("file_uuid").asText();
        assertThat(uuid).matches("[0-9a-f]{32}");
        assertThat(f.get("frame_count").asLong()).isEqualTo(377);
        assertThat(f.get("fps").asDouble()).isEqualTo(12.5);
        assertThat(f.get("width").asInt()).isEqualTo(768);
        assertThat(f.get("height").asInt()).isEqualTo(432);
        assertThat(f.get("video_codec").asText()).isEqualTo("h264");
        assertThat(f.get("has_audio").asBoolean()).isTrue();
        assertThat(f.get("size_bytes").asLong()).isEqualTo(Files.size(car));
        assertThat(f.get("name").asText()).isEqualTo("car-detection.mp4");

        JsonNode list = JSON.readTree(text(get("/api/v1/files")));
        assertThat(list.get("files").findValuesAsText("file_uuid")).contains(uuid);
        HttpResponse<byte[]> one = get("/api/v1/file/" + uuid);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(one.body()).get("duration_ms").asLong()).isBetween(30_000L, 30_300L);

        byte[] bytes = Files.readAllBytes(car);
        HttpResponse<byte[]> whole = get("/api/v1/file/" + uuid + "/video");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(whole.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        assertThat(whole.body()).isEqualTo(bytes);
        String etag = whole.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> part = get("/api/v1/file/" + uuid + "/video", "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + bytes.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 2000));
        HttpResponse<byte[]> suffix = get("/api/v1/file/" + uuid + "/video", "Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 500, bytes.length));
        HttpResponse<byte[]> past = get("/api/v1/file/" + uuid + "/video", "Range", "bytes=" + bytes.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + bytes.length);
        assertThat(get("/api/v1/file/" + uuid + "/video", "Range", "bytes=0-9", "If-Range", "\"other\"").statusCode())
                .as("If-Range with another tag: the whole file").isEqualTo(200);
        assertThat(get("/api/v1/file/" + uuid + "/video", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid + "/video"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(bytes.length);
        assertThat(whole.headers().firstValue("X-Argus-Cut-Start-Frame")).as("the whole file is no cut").isEmpty();
    }

    @Test
    void thumbnailsAreExactFramesAndCrops() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        HttpResponse<byte[]> t = get("/api/v1/file/" + uuid + "/thumbnail?frame=61");
        assertThat(t.statusCode()).as(text(t)).isEqualTo(200);
        assertThat(t.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(t.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        Mat ours = image(t.body());
        assertThat(ours.cols()).isEqualTo(768);
        assertThat(ours.rows()).isEqualTo(432);
        // the frame ffmpeg's select=eq(n\,61) picks
        Path png = dir.resolve("ref-61.png");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", car.toString(), "-vf", "select=eq(n\\,61)",
                "-vsync", "0", "-frames:v", "1", png.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        double psnr = opencv_core.PSNR(ours, opencv_imgcodecs.imread(png.toString()));
        assertThat(psnr).as("PSNR against ffmpeg's frame 61, dB").isGreaterThanOrEqualTo(38);

        String etag = t.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/v1/file/" + uuid + "/thumbnail?frame=61", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> crop = get("/api/v1/file/" + uuid + "/thumbnail?frame=1000&x=320&y=240&w=160&h=160"
                .replace("1000", "376"));
        assertThat(crop.statusCode()).as(text(crop)).isEqualTo(200);
        Mat c = image(crop.body());
        assertThat(c.cols()).isEqualTo(160);
        assertThat(c.rows()).isEqualTo(160);

        HttpResponse<byte[]> end = get("/api/v1/file/" + uuid + "/thumbnail?frame=377");
        assertThat(end.statusCode()).isEqualTo(404);
        assertThat(text(end)).contains("frame not found").contains("377 frames");
        for (String bad : new String[] {"", "?frame=abc", "?frame=-1", "?frame=5&x=1&y=1&w=10",
                "?frame=5&x=700&y=0&w=100&h=10", "?frame=5&x=0&y=0&w=0&h=10", "?frame=5&x=0&y=400&w=10&h=40"}) {
            HttpResponse<byte[]> r = get("/api/v1/file/" + uuid + "/thumbnail" + bad);
            assertThat(r.statusCode()).as(bad + ": " + text(r)).isEqualTo(400);
            assertThat(text(r)).contains("invalid parameters");
        }
    }

    @Test
    void clipsAreFrameExactMpegTs() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        HttpResponse<byte[]> r = get("/api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=47");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(r.headers().firstValue("Content-Length")).as("streamed while encoding: no length").isEmpty();
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        Path ts = dir.resolve("clip.ts");
        Files.write(ts, r.body());
        assertThat(ffprobe(ts, "v:0", "stream=codec_name,nb_read_frames")).isEqualTo("h264,48");
        assertThat(ffprobe(ts, "a:0", "stream=codec_name")).isEqualTo("aac");

        HttpResponse<byte[]> mute = get("/api/v1/file/" + uuid + "/clip?start_frame=100&end_frame=130&audio=off"
                + "&mode=debug");
        assertThat(mute.statusCode()).isEqualTo(200);
        Files.write(ts, mute.body());
        assertThat(ffprobe(ts, "v:0", "stream=nb_read_frames")).isEqualTo("31");
        assertThat(ffprobe(ts, "a", "stream=codec_name")).isEmpty();

        // 2 s to 4 s at 12.5 fps: frames 25 to 49
        HttpResponse<byte[]> timed = get("/api/v1/file/" + uuid + "/clip?start_time=2&end_time=4");
        assertThat(timed.statusCode()).isEqualTo(200);
        assertThat(timed.headers().firstValue("X-Argus-Frames")).hasValue("25-49");
        Files.write(ts, timed.body());
        assertThat(ffprobe(ts, "v:0", "stream=nb_read_frames")).isEqualTo("25");
        // fps=25 turns the same seconds into frames 50 to 99
        HttpResponse<byte[]> fps = get("/api/v1/file/" + uuid + "/clip?start_time=2&end_time=4&fps=25");
        assertThat(fps.headers().firstValue("X-Argus-Frames")).hasValue("50-99");

        for (String bad : new String[] {"", "?start_frame=5", "?end_frame=5", "?start_frame=9&end_frame=3",
                "?start_time=3", "?start_time=4&end_time=2", "?start_frame=0&end_frame=4&mode=fancy",
                "?start_frame=0&end_frame=4&audio=maybe", "?start_time=0&end_time=1&fps=0", "?start_frame=x&end_frame=4",
                "?start_time=NaN&end_time=4"}) {
            HttpResponse<byte[]> b = get("/api/v1/file/" + uuid + "/clip" + bad);
            assertThat(b.statusCode()).as(bad + ": " + text(b)).isEqualTo(400);
        }
        HttpResponse<byte[]> late = get("/api/v1/file/" + uuid + "/clip?start_frame=400&end_frame=410");
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(text(late)).contains("past the end");
    }

    @Test
    void aviUploadsServeTheirFramesToo() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        JsonNode f = upload(vtest);
        String uuid = f.get("file_uuid").asText();
        long frames = f.get("frame_count").asLong();
        assertThat(frames).isEqualTo(795);
        HttpResponse<byte[]> v = get("/api/v1/file/" + uuid + "/video", "Range", "bytes=0-99");
        assertThat(v.statusCode()).isEqualTo(206);
        assertThat(v.headers().firstValue("Content-Type")).hasValue("video/x-msvideo");
        for (long n : new long[] {0, 400, frames - 1}) {
            HttpResponse<byte[]> t = get("/api/v1/file/" + uuid + "/thumbnail?frame=" + n);
            assertThat(t.statusCode()).as("frame " + n + ": " + text(t)).isEqualTo(200);
            assertThat(image(t.body()).cols()).isEqualTo(768);
        }
    }

    @Test
    void badUploadsAndUnknownFiles() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        Files.writeString(junk, "not a video at all");
        HttpResponse<String> r = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", junk),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("cannot open the file");
        HttpResponse<String> none = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", null, "x", "y"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("missing file field 'video'");
        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(400);

        String unknown = "0123456789abcdef0123456789abcdef";
        for (String tail : new String[] {"", "/video", "/thumbnail?frame=0", "/clip?start_frame=0&end_frame=1"}) {
            HttpResponse<byte[]> u = get("/api/v1/file/" + unknown + tail);
            assertThat(u.statusCode()).as(tail).isEqualTo(404);
            assertThat(text(u)).contains("file not found");
            HttpResponse<byte[]> m = get("/api/v1/file/not-a-uuid" + tail);
            assertThat(m.statusCode()).as(tail).isEqualTo(400);
            assertThat(text(m)).contains("32 hexadecimal digits");
        }
    }

    static HttpResponse<String> register(String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/files")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Registration by URI: a real HTTP server on loopback (allowed by the default allow-list of a
     * loopback-bound edge) serves the clip directly, behind a redirect, as a 404 and as text; the
     * registered file's bytes are the source's and its record the upload's.
     */
    @Test
    void aVideoCanBeRegisteredByUri() throws Exception {
        byte[] bytes = Files.readAllBytes(car);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/clips/car%20detection.mp4") || path.equals("/clips/car detection.mp4")) {
                ex.getResponseHeaders().add("Content-Type", "video/mp4");
                boolean head = ex.getRequestMethod().equals("HEAD");
                ex.sendResponseHeaders(200, head ? -1 : bytes.length);
                if (!head) {
                    ex.getResponseBody().write(bytes);
                }
            } else if (path.equals("/moved")) {
                ex.getResponseHeaders().add("Location", "/clips/car%20detection.mp4");
                ex.sendResponseHeaders(302, -1);
            } else if (path.equals("/notes.txt")) {
                byte[] t = "not a video".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, t.length);
                ex.getResponseBody().write(t);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
            ex.close();
        });
        server.start();
        try {
            String origin = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpResponse<String> r = register("{\"uri\": \"" + origin + "/moved\", \"ops\": \"none\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            JsonNode f = JSON.readTree(r.body());
            assertThat(f.get("name").asText()).isEqualTo("car detection.mp4");
            assertThat(f.get("frame_count").asLong()).isEqualTo(377);
            assertThat(f.get("size_bytes").asLong()).isEqualTo(bytes.length);
            assertThat(get("/api/v1/file/" + f.get("file_uuid").asText() + "/video").body()).isEqualTo(bytes);

            HttpResponse<String> local = register("{\"uri\": " + JSON.writeValueAsString(car.toString())
                    + ", \"ops\": \"none\"}");
            assertThat(local.statusCode()).as(local.body()).isEqualTo(201);
            assertThat(JSON.readTree(local.body()).get("name").asText()).isEqualTo("car-detection.mp4");

            HttpResponse<String> missing = register("{\"uri\": \"" + origin + "/gone.mp4\", \"ops\": \"none\"}");
            assertThat(missing.statusCode()).isEqualTo(424);
            assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("cannot find the video");
            assertThat(JSON.readTree(missing.body()).get("detail").asText()).isEqualTo("HTTP 404");
            HttpResponse<String> text = register("{\"uri\": \"" + origin + "/notes.txt\", \"ops\": \"none\"}");
            assertThat(text.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(text.body()).get("error").asText()).isEqualTo("cannot open the file");
            HttpResponse<String> live = register("{\"uri\": \"rtsp://127.0.0.1:8554/cam\"}");
            assertThat(live.statusCode()).isEqualTo(400);
            assertThat(live.body()).contains("cannot be registered as a file");
            HttpResponse<String> guarded = register("{\"uri\": \"http://169.254.169.254/latest/video.mp4\"}");
            assertThat(guarded.statusCode()).isEqualTo(424);
            assertThat(JSON.readTree(guarded.body()).get("detail").asText()).startsWith("source URL refused");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void deleteRemovesTheFileAndItsRecord() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        Path stored = dir.resolve("data");
        assertThat(countFiles(stored, uuid)).isPositive();
        HttpResponse<String> d = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
        assertThat(get("/api/v1/file/" + uuid).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/file/" + uuid + "/video").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(text(get("/api/v1/files"))).get("files").findValuesAsText("file_uuid"))
                .doesNotContain(uuid);
        assertThat(countFiles(stored, uuid)).as("stored files of " + uuid).isZero();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(404);
    }

    @Test
    void anUploadCanStartAnAnalysisJob() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        HttpResponse<String> r = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", vtest, "ops", "motion",
                "interval", "10"), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode f = JSON.readTree(r.body());
        String uuid = f.get("file_uuid").asText();
        String job = f.get("job").asText();
        String status = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!status.equals("FINISHED") && System.nanoTime() < deadline) {
            Thread.sleep(300);
            JsonNode a = JSON.readTree(text(get("/api/v1/file/" + uuid))).get("analysis");
            assertThat(a.get("job").asText()).isEqualTo(job);
            status = a.get("status").asText();
        }
        assertThat(status).isEqualTo("FINISHED");
        JsonNode results = JSON.readTree(text(get("/v1/jobs/video/" + job)));
        assertThat(results.toString()).as("the job's results").contains("motion");

        long before = JSON.readTree(text(get("/api/v1/files"))).get("count").asLong();
        for (String[] bad : new String[][] {{"ops", "no_such_op"}, {"ops", "motion;rm"}, {"interval", "-1"}}) {
            HttpResponse<String> b = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", car, bad),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(b.statusCode()).as(String.join("=", bad) + ": " + b.body()).isEqualTo(400);
        }
        assertThat(JSON.readTree(text(get("/api/v1/files"))).get("count").asLong()).as("no file kept").isEqualTo(before);

        // deleting the file deletes its analysis job: its frames and its status
        HttpResponse<String> d = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
        assertThat(JSON.readTree(d.body()).get("job").asText()).isEqualTo(job);
        assertThat(JSON.readTree(d.body()).get("job_frames_deleted").asInt()).isPositive();
        assertThat(get("/v1/jobs/video/" + job).statusCode()).isEqualTo(404);
    }

    /** A client that goes away in the middle of a clip stops its encoding; the server goes on serving. */
    @Test
    void aClientLeavingMidClipHarmsNothing() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        for (int i = 0; i < 3; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", rt.httpPort())) {
                s.getOutputStream().write(("GET /api/v1/file/" + uuid + "/clip?start_frame=0&end_frame=376 HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] head = s.getInputStream().readNBytes(32 * 1024);
                assertThat(new String(head, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
        }
        HttpResponse<byte[]> after = get("/api/v1/file/" + uuid + "/clip?start_frame=10&end_frame=20&audio=off");
        assertThat(after.statusCode()).isEqualTo(200);
        Path ts = dir.resolve("after.ts");
        Files.write(ts, after.body());
        assertThat(ffprobe(ts, "v:0", "stream=nb_read_frames")).isEqualTo("11");
        JsonNode doc = JSON.readTree(text(get("/openapi.json")));
        for (String path : new String[] {"/api/v1/files", "/api/v1/file/{file_uuid}", "/api/v1/file/{file_uuid}/video",
                "/api/v1/file/{file_uuid}/thumbnail", "/api/v1/file/{file_uuid}/clip",
                "/api/v1/file/{file_uuid}/video/bbox"}) {
            assertThat(doc.path("paths").has(path)).as(path + " described").isTrue();
        }
    }

    static long countFiles(Path root, String uuid) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().contains(uuid)).count();
        }
    }

    @Test
    void theFileViewIsRebuiltFromKafkaOnRestart() throws Exception {
        String kept = upload(car).get("file_uuid").asText();
        String gone = upload(car).get("file_uuid").asText();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + gone)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        rt.close();
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        HttpResponse<byte[]> k = get("/api/v1/file/" + kept);
        assertThat(k.statusCode()).as(text(k)).isEqualTo(200);
        assertThat(JSON.readTree(k.body()).get("frame_count").asLong()).isEqualTo(377);
        assertThat(get("/api/v1/file/" + gone).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/file/" + kept + "/thumbnail?frame=10").statusCode()).isEqualTo(200);
    }

    /** Polls a media URL until it answers something else than 202 (at most {@code limit}). */
    static HttpResponse<byte[]> awaitRendered(String path, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<byte[]> r = get(path);
        while (r.statusCode() == 202 && System.nanoTime() < deadline) {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            Thread.sleep(1000);
            r = get(path);
        }
        return r;
    }

    /**
     * {@code /video?start_frame=&end_frame=} on car-detection.mp4 (no B-frames, keyframes every 60
     * frames): frames 100..150 are copied from keyframe 60, 91 frames, H.264 as the source, the AAC
     * audio copied, or dropped with {@code audio=off}; the first and last pictures are the source's
     * frames 60 and 150 bit for bit; bad ranges are 400, a frame past the end 404 with the count.
     */
    @Test
    void zeroLossCutsStartAtTheKeyframeBefore() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        HttpResponse<byte[]> r = get("/api/v1/file/" + uuid + "/video?start_frame=100&end_frame=150");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(r.headers().firstValue("Content-Length")).as("streamed while copied: no length").isEmpty();
        assertThat(r.headers().firstValue("X-Argus-Cut-Start-Frame")).hasValue("60");
        assertThat(r.headers().firstValue("X-Argus-Cut-End-Frame")).hasValue("150");
        assertThat(r.headers().firstValue("X-Argus-Cut-Frames")).hasValue("91");
        assertThat(r.headers().firstValue("X-Argus-Keyframe-Aligned")).hasValue("true");
        assertThat(r.headers().firstValue("X-Argus-Video-Codec")).hasValue("h264");
        assertThat(r.headers().firstValue("X-Argus-Audio")).hasValue("copied");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        Path ts = dir.resolve("cut.ts");
        Files.write(ts, r.body());
        assertThat(ffprobe(ts, "v:0", "stream=codec_name,nb_read_frames")).isEqualTo("h264,91");
        assertThat(ffprobe(ts, "a:0", "stream=codec_name")).isEqualTo("aac");
        assertThat(psnr(frame(ts, 0), frame(car, 60))).as("first picture: source frame 60, bit-exact").isGreaterThan(99);
        assertThat(psnr(frame(ts, 90), frame(car, 150))).as("last picture: source frame 150").isGreaterThan(99);

        HttpResponse<byte[]> mute = get("/api/v1/file/" + uuid + "/video?start_frame=130&end_frame=130&audio=off");
        assertThat(mute.statusCode()).isEqualTo(200);
        assertThat(mute.headers().firstValue("X-Argus-Cut-Start-Frame")).hasValue("120");
        assertThat(mute.headers().firstValue("X-Argus-Cut-Frames")).hasValue("11");
        assertThat(mute.headers().firstValue("X-Argus-Audio")).hasValue("none");
        Files.write(ts, mute.body());
        assertThat(ffprobe(ts, "v:0", "stream=nb_read_frames")).isEqualTo("11");
        assertThat(ffprobe(ts, "a", "stream=codec_name")).isEmpty();

        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/api/v1/file/" + uuid + "/video?start_frame=100&end_frame=150", "If-None-Match", etag)
                .statusCode()).isEqualTo(304);
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid
                + "/video?start_frame=100&end_frame=150")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Argus-Cut-Start-Frame")).hasValue("60");

        for (String bad : new String[] {"start_frame=5", "end_frame=5", "start_frame=9&end_frame=3",
                "start_frame=x&end_frame=4", "start_frame=-1&end_frame=4", "start_frame=0&end_frame=4&audio=maybe",
                "start_frame=0&end_frame=4&mode=debug", "start_frame=0&end_frame=4&mode=fancy"}) {
            HttpResponse<byte[]> b = get("/api/v1/file/" + uuid + "/video?" + bad);
            assertThat(b.statusCode()).as(bad + ": " + text(b)).isEqualTo(400);
            assertThat(text(b)).contains("invalid parameters");
        }
        HttpResponse<byte[]> late = get("/api/v1/file/" + uuid + "/video?start_frame=370&end_frame=377");
        assertThat(late.statusCode()).isEqualTo(404);
        assertThat(text(late)).contains("past the end").contains("377 frames");
    }

    /**
     * A cut of one-by-one-person-detection-70s.mp4 (H.264 with B-frames, keyframes every 50
     * frames, no audio): frames 120..130 start at keyframe 100; the headers say how many frames were
     * copied and which, and the file holds exactly those, ending on the source's frame they name.
     */
    @Test
    void aCutWithBFramesSaysWhatItCopied() throws Exception {
        Path people = car.resolveSibling("one-by-one-person-detection-70s.mp4");
        String uuid = upload(people).get("file_uuid").asText();
        HttpResponse<byte[]> r = get("/api/v1/file/" + uuid + "/video?start_frame=120&end_frame=130");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        long start = Long.parseLong(r.headers().firstValue("X-Argus-Cut-Start-Frame").orElseThrow());
        long end = Long.parseLong(r.headers().firstValue("X-Argus-Cut-End-Frame").orElseThrow());
        long frames = Long.parseLong(r.headers().firstValue("X-Argus-Cut-Frames").orElseThrow());
        assertThat(start).isEqualTo(100);
        assertThat(end).isBetween(130L, 133L);
        assertThat(frames).isEqualTo(end - start + 1);
        assertThat(r.headers().firstValue("X-Argus-Audio")).hasValue("none");
        Path ts = dir.resolve("cut-b.ts");
        Files.write(ts, r.body());
        assertThat(ffprobe(ts, "v:0", "stream=codec_name,nb_read_frames")).isEqualTo("h264," + frames);
        assertThat(psnr(frame(ts, 0), frame(people, start))).isGreaterThan(99);
        assertThat(psnr(frame(ts, frames - 1), frame(people, end))).isGreaterThan(99);
    }

    static Mat frame(Path file, long n) throws Exception {
        Path png = dir.resolve(file.getFileName() + "-" + n + ".png");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-vf",
                "select=eq(n\\," + n + ")", "-vsync", "0", "-frames:v", "1", png.toString()).redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return opencv_imgcodecs.imread(png.toString());
    }

    static double psnr(Mat a, Mat b) {
        return opencv_core.PSNR(a, b);
    }

    @Test
    void bboxOfAFileWithoutAnalysisIsAConflict() throws Exception {
        String uuid = upload(car).get("file_uuid").asText();
        HttpResponse<byte[]> r = get("/api/v1/file/" + uuid + "/video/bbox");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(409);
        assertThat(text(r)).contains("no analysis").contains("ops=none");
        assertThat(get("/api/v1/file/" + uuid + "/video/bbox?mode=fancy").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/file/" + uuid + "/video/bbox?audio=maybe").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/file/0123456789abcdef0123456789abcdef/video/bbox").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/file/nope/video/bbox").statusCode()).isEqualTo(400);
    }

    /**
     * The default analysis of an upload (detection and face_detect at 5 frames/s, detection
     * tracked) and {@code /video/bbox}: 202 while it runs, then the H.264 MP4 with the source's
     * frames and its audio. On every frame of the output, the boxes of the stored tracks are drawn
     * in their track's colour: on analysed frames the confirmed, matched tracks of that frame; on the
     * frames between, the linear interpolation of a track matched on both analysed frames around it.
     * Checked on the pixels along each box's outline (its middle line), against the source frame
     * where the same pixels must not have that colour.
     */
    @Test
    void bboxVideoDrawsTheStoredTracksOnEveryFrame() throws Exception {
        // people walking through, one by one (H.264 with B-frames, 768x432, 10 fps), first 20 s, with
        // the sound of car-detection.mp4 copied in: a clip with people to track and audio to keep
        Path people = dir.resolve("people-with-sound.mp4");
        Process mux = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i",
                car.resolveSibling("one-by-one-person-detection-70s.mp4").toString(), "-i", car.toString(), "-map",
                "0:v", "-map", "1:a", "-c", "copy", "-t", "20", people.toString()).redirectErrorStream(true).start();
        String muxLog = new String(mux.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mux.waitFor()).as(muxLog).isZero();
        HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", people),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        JsonNode f = JSON.readTree(up.body());
        String uuid = f.get("file_uuid").asText();
        String job = f.path("job").asText();
        assertThat(job).as("the default analysis job").isNotBlank();
        long frameCount = f.get("frame_count").asLong();
        assertThat(frameCount).isBetween(195L, 205L);
        String path = "/api/v1/file/" + uuid + "/video/bbox";
        HttpResponse<byte[]> early = get(path);
        assertThat(early.statusCode()).as(text(early)).isEqualTo(202);
        assertThat(JSON.readTree(early.body()).get("status").asText()).isIn("analysing", "rendering");

        HttpResponse<byte[]> v = awaitRendered(path, Duration.ofMinutes(6));
        assertThat(v.statusCode()).as(text(v)).isEqualTo(200);
        assertThat(v.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(v.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        String etag = v.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).contains(uuid).contains(job);
        Path mp4 = dir.resolve("bbox.mp4");
        Files.write(mp4, v.body());
        assertThat(ffprobe(mp4, "v:0", "stream=codec_name,nb_read_frames")).isEqualTo("h264," + frameCount);
        assertThat(ffprobe(mp4, "a:0", "stream=codec_name")).isEqualTo("aac");
        assertThat(get(path, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> range = get(path, "Range", "bytes=0-99");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOf(v.body(), 100));

        List<TrackFrame> tracks = new JobRecords(rt.kafka()).read(rt.topics().tracks(), job);
        assertThat(tracks).as("the job was tracked").isNotEmpty();
        assertThat(tracks.get(tracks.size() - 1).getEnd()).isTrue();
        TreeMap<Long, TrackFrame> analysed = new TreeMap<>();
        tracks.stream().filter(t -> !t.getEnd()).forEach(t -> analysed.put(t.getOffsetMs(), t));
        assertThat(analysed.size()).as("5 frames/s over 20 s").isBetween(95, 105);
        long confirmed = analysed.values().stream().flatMap(t -> t.getTracks().stream())
                .filter(b -> b.getState() == TrackPhase.CONFIRMED && b.getMatched()).map(TrackBox::getTrackId)
                .distinct().count();
        System.out.printf("bbox: %d analysed frames, %d confirmed tracks, first offsets %s%n", analysed.size(),
                confirmed, analysed.keySet().stream().limit(6).toList());
        assertThat(confirmed).as("people tracked").isPositive();

        int[] stats = new int[7]; // boxes, passed, analysed frames checked, frames between checked, source hits, points, expected
        List<String> misses = new ArrayList<>();
        try (FFmpegFrameGrabber out = new FFmpegFrameGrabber(mp4.toFile());
             FFmpegFrameGrabber src = new FFmpegFrameGrabber(people.toFile())) {
            out.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            src.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            out.start();
            src.start();
            Frame o;
            for (int n = 0; (o = out.grabImage()) != null; n++) {
                Frame s = src.grabImage();
                long t = src.getTimestamp() / 1000;
                List<double[]> expected = expectedBoxes(analysed, t);
                boolean onAnalysed = expected != null && analysed.floorKey(t + 1) != null
                        && Math.abs(analysed.floorKey(t + 1) - t) <= 1;
                if (expected == null || expected.isEmpty()) {
                    continue;
                }
                stats[6] += expected.size();
                int framePassed = 0;
                int checkable = 0;
                for (double[] b : expected) {
                    int[] hits = edgeHits(o, b);
                    if (hits[1] == 0) {
                        continue;
                    }
                    checkable++;
                    stats[0]++;
                    stats[5] += hits[1];
                    if (hits[0] >= 0.6 * hits[1]) {
                        stats[1]++;
                        framePassed++;
                    } else {
                        misses.add("frame " + n + " track " + (long) b[4] + ": " + hits[0] + "/" + hits[1]);
                    }
                    stats[4] += edgeHits(s, b)[0];
                }
                if (checkable == 0) {
                    continue;
                }
                stats[onAnalysed ? 2 : 3]++;
                assertThat(framePassed).as("frame " + n + " (" + t + " ms) shows its boxes: " + misses).isPositive();
            }
        }
        System.out.printf("bbox: %d boxes expected, %d checked, %d drawn, on %d analysed frames and %d frames between; "
                + "source pixels of the box colour %d of %d; misses %s%n", stats[6], stats[0], stats[1], stats[2], stats[3],
                stats[4], stats[5], misses);
        assertThat(stats[2]).as("analysed frames with boxes").isGreaterThan(30);
        assertThat(stats[3]).as("frames between analysed ones with boxes").isGreaterThan(30);
        assertThat(stats[1]).as("boxes drawn of " + stats[0]).isGreaterThanOrEqualTo((int) (stats[0] * 0.95));
        assertThat(stats[4]).as("the source does not have those colours there").isLessThan(stats[5] / 20);

        HttpResponse<byte[]> debug = awaitRendered(path + "?mode=debug&audio=off", Duration.ofMinutes(4));
        assertThat(debug.statusCode()).as(text(debug)).isEqualTo(200);
        assertThat(debug.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        Path quiet = dir.resolve("bbox-debug.mp4");
        Files.write(quiet, debug.body());
        assertThat(ffprobe(quiet, "v:0", "stream=nb_read_frames")).isEqualTo(String.valueOf(frameCount));
        assertThat(ffprobe(quiet, "a", "stream=codec_name")).isEmpty();
        // the debug caption (white on black) at the top left of an analysed frame
        Mat plain = frame(mp4, 10);
        Mat dbg = frame(quiet, 10);
        org.bytedeco.opencv.opencv_core.Rect corner = new org.bytedeco.opencv.opencv_core.Rect(0, 0, 160, 30);
        assertThat(psnr(new Mat(plain, corner).clone(), new Mat(dbg, corner).clone())).isLessThan(25);
    }

    /**
     * @return the boxes {left, top, right, bottom, track} expected at time t (ms): those of the
     *         analysed frame at t, else the interpolation of the tracks matched on both analysed
     *         frames around t (null when t is before the first or after the last)
     */
    static List<double[]> expectedBoxes(TreeMap<Long, TrackFrame> analysed, long t) {
        Map.Entry<Long, TrackFrame> at = analysed.floorEntry(t + 1);
        List<double[]> out = new ArrayList<>();
        if (at != null && Math.abs(at.getKey() - t) <= 1) {
            for (TrackBox b : at.getValue().getTracks()) {
                if (b.getState() == TrackPhase.CONFIRMED && b.getMatched()) {
                    out.add(new double[] {b.getLeft(), b.getTop(), b.getRight(), b.getBottom(), b.getTrackId()});
                }
            }
            return out;
        }
        Map.Entry<Long, TrackFrame> before = analysed.floorEntry(t);
        Map.Entry<Long, TrackFrame> after = analysed.ceilingEntry(t);
        if (before == null || after == null || after.getKey() - before.getKey() > 2000) {
            return null;
        }
        double w = (t - before.getKey()) / (double) (after.getKey() - before.getKey());
        for (TrackBox b : before.getValue().getTracks()) {
            if (b.getState() != TrackPhase.CONFIRMED || !b.getMatched()) {
                continue;
            }
            for (TrackBox a : after.getValue().getTracks()) {
                if (a.getTrackId() == b.getTrackId() && a.getState() == TrackPhase.CONFIRMED && a.getMatched()) {
                    out.add(new double[] {b.getLeft() + (a.getLeft() - b.getLeft()) * w,
                            b.getTop() + (a.getTop() - b.getTop()) * w, b.getRight() + (a.getRight() - b.getRight()) * w,
                            b.getBottom() + (a.getBottom() - b.getBottom()) * w, b.getTrackId()});
                }
            }
        }
        return out;
    }

    /**
     * @return {pixels of the track's colour, pixels looked at} along the middle line of the box's
     *         3-pixel outline (corners and the label's corner left out); {0, 0} for a box too small
     *         or too near the frame's edge to tell
     */
    static int[] edgeHits(Frame frame, double[] b) {
        int x = (int) Math.round(b[0]);
        int y = (int) Math.round(b[1]);
        int w = (int) Math.round(b[2] - b[0]);
        int h = (int) Math.round(b[3] - b[1]);
        if (x < 3 || y < 3 || x + w > frame.imageWidth - 3 || y + h > frame.imageHeight - 3 || w < 16 || h < 16) {
            return new int[] {0, 0};
        }
        int rgb = Palette.forTrack((long) b[4]);
        java.nio.ByteBuffer px = (java.nio.ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        int hits = 0;
        int seen = 0;
        for (int i = 6; i < w - 6; i += 2) {
            for (int yy : new int[] {y + 1, y + h - 2}) {
                seen++;
                hits += near(px, stride, x + i, yy, rgb) ? 1 : 0;
            }
        }
        for (int j = 6; j < h - 6; j += 2) {
            for (int xx : new int[] {x + 1, x + w - 2}) {
                seen++;
                hits += near(px, stride, xx, y + j, rgb) ? 1 : 0;
            }
        }
        return new int[] {hits, seen};
    }

    static boolean near(java.nio.ByteBuffer bgr, int stride, int x, int y, int rgb) {
        int at = y * stride + 3 * x;
        int b = bgr.get(at) & 0xFF;
        int g = bgr.get(at + 1) & 0xFF;
        int r = bgr.get(at + 2) & 0xFF;
        return Math.abs(r - (rgb >> 16 & 0xFF)) <= 48 && Math.abs(g - (rgb >> 8 & 0xFF)) <= 48
                && Math.abs(b - (rgb & 0xFF)) <= 48;
    }
}
