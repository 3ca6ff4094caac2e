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
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;

/**
 * The file layer of the media API (media-api.html) over real HTTP against the embedded runtime:
 * multipart uploads of real videos (car-detection.mp4: 768×432, 12.5 fps, 377 frames, AAC;
 * vtest.avi: MPEG-4 in AVI, 10 fps), the file list and records, {@code /video} with ranges,
 * {@code /thumbnail} frames and crops, {@code /clip} as MPEG-TS checked with ffprobe, every bad
 * input, delete, and the file view rebuilt from {@code argus.files} after a restart.
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

    static JsonNode upload(Path file) throws Exception {
        HttpResponse<String> r = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", file),
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
        assertThat(get("/api/v1/file/" + uuid + "/video?start_frame=0&end_frame=10").statusCode()).isEqualTo(501);
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
                "/api/v1/file/{file_uuid}/thumbnail", "/api/v1/file/{file_uuid}/clip"}) {
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
}
