package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;

/**
 * The traffic API (traffic-api.md §1, §2) over real HTTP with real multipart uploads, every stage
 * in one JVM on the embedded broker, the default models installed from the npm registry
 * ({@code detection} is NanoDet-m).
 *
 * <p>vtest.avi (768×576, 10 fps, 79.5 s, pedestrians on a campus path) is uploaded with
 * {@code interval=10000}: the answer has one count per 10 s tick and per 10 s interval, the passes
 * per interval add up to the totals, the recount with the job's own line gives the same totals,
 * and the annotated MP4 is H.264 with the source's frame count and duration, served with ranges.
 */
class TrafficApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String LINE = "[{\"name\":\"path\",\"points\":[[0,0.55],[1,0.55]],\"direction\":\"both\"}]";

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        DefaultModels.linkInto(dir.resolve("data"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    /** A multipart/form-data request: the file streamed from disk as {@code video}, then the text fields. */
    static HttpRequest multipart(String path, Path file, String... fields) throws Exception {
        return MultipartRequests.multipart(base, path, file, fields);
    }

    static String ffprobe(Path file, String entries) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", entries, "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    @Test
    void videoAnswersCountsPerTickAndIntervalAndAnAnnotatedMp4() throws Exception {
        Path vtest = SampleVideos.ensure("vtest.avi");
        HttpResponse<String> r = HTTP.send(multipart("/video", vtest, "interval", "10000", "lines", LINE),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode a = JSON.readTree(r.body());
        // 79.5 s at 10 s ticks: ticks 0, 10, ..., 70 s
        assertThat(a.get("pedestrian_counts")).hasSize(8);
        assertThat(a.get("vehicle_counts")).hasSize(8);
        assertThat(a.get("pedestrians_per_interval")).hasSize(8);
        assertThat(a.get("vehicles_per_interval")).hasSize(8);
        int inView = 0;
        for (JsonNode n : a.get("pedestrian_counts")) {
            inView += n.asInt();
        }
        assertThat(inView).as("people in view over the ticks: " + a).isGreaterThanOrEqualTo(8);
        int passes = 0;
        for (JsonNode n : a.get("pedestrians_per_interval")) {
            passes += n.asInt();
        }
        assertThat(passes).as("pedestrians passing on vtest.avi: " + a).isPositive();
        assertThat(passes).isEqualTo(a.path("totals").path("pedestrians").asInt());
        String job = a.get("job").asText();

        // the recount with the job's own line gives the job's totals
        HttpResponse<String> recount = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/traffic/jobs/" + job
                + "/recount")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":" + LINE + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(recount.statusCode()).as(recount.body()).isEqualTo(200);
        JsonNode total = JSON.readTree(recount.body()).get("total");
        assertThat(total.get("pedestrians").asInt()).isEqualTo(passes);
        assertThat(total.get("lines").toString()).isEqualTo(a.path("totals").path("lines").toString());
        // another line: counted again from the tracks
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/traffic/jobs/" + job
                + "/recount")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"name\":\"v\",\"points\":[[0.5,0],[0.5,1]]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(JSON.readTree(other.body()).at("/total/lines/0/line").asText()).isEqualTo("v");
        HttpResponse<String> badLine = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/traffic/jobs/" + job
                + "/recount")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"name\":\"v\",\"points\":[[2,0],[0.5,1]]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badLine.statusCode()).isEqualTo(400);
        assertThat(badLine.body()).contains("invalid parameters", "lines[0].points");

        // the annotated video: H.264, the source's frames, with ranges
        String url = a.get("processed_video_url").asText();
        assertThat(url).isEqualTo(base + "/v1/traffic/jobs/" + job + "/video");
        Path mp4 = dir.resolve("annotated.mp4");
        HttpResponse<Path> video = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofFile(mp4));
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(ffprobe(mp4, "stream=codec_name,nb_read_frames")).isEqualTo("h264,795");
        HttpResponse<byte[]> range = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=0-99")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(Files.readAllBytes(mp4), 100));
    }

    @Test
    void streamingGivesOneAnnotatedFramePerTickAsNdjson() throws Exception {
        Path clip = Path.of("..", "eval", "clips", "person-bicycle-car-detection-preview.mp4").toAbsolutePath().normalize();
        HttpResponse<java.io.InputStream> r = HTTP.send(multipart("/video-streaming", clip, "interval", "1000"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("ndjson"));
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(JSON.readTree(line));
            }
        }
        String duration = ffprobe(clip, "format=duration").lines().reduce((x, y) -> y).orElseThrow();
        double seconds = Double.parseDouble(duration.replace(",", ""));
        assertThat(lines).hasSize((int) Math.ceil(seconds)); // one per 1 s tick from 0
        long previous = -1;
        for (JsonNode l : lines) {
            assertThat(l.get("timestamp").asLong()).isGreaterThan(previous);
            previous = l.get("timestamp").asLong();
            for (String f : List.of("people_count", "vehicle_count", "pedestrians_per_interval", "vehicles_per_interval")) {
                assertThat(l.get(f).isInt()).as(f).isTrue();
            }
            String data = l.get("frame_base64").asText();
            assertThat(data).startsWith("data:image/jpeg;base64,");
            byte[] jpeg = Base64.getDecoder().decode(data.substring("data:image/jpeg;base64,".length()));
            assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
        }
    }

    @Test
    void badUploadsAreRefusedWithTheirReasons() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video at all\n".repeat(100));
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        Path clip = Path.of("..", "eval", "clips", "person-bicycle-car-detection-preview.mp4").toAbsolutePath().normalize();
        HttpResponse<String> notVideo = HTTP.send(multipart("/video", text, "interval", "1000"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notVideo.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notVideo.body()).get("error").asText()).isEqualTo("cannot open the file");
        HttpResponse<String> nothing = HTTP.send(multipart("/video", empty, "interval", "1000"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(nothing.body()).get("error").asText()).isEqualTo("cannot open the file");
        HttpResponse<String> noInterval = HTTP.send(multipart("/video", clip), HttpResponse.BodyHandlers.ofString());
        assertThat(noInterval.statusCode()).isEqualTo(400);
        assertThat(noInterval.body()).contains("invalid parameters", "interval");
        HttpResponse<String> badInterval = HTTP.send(multipart("/video", clip, "interval", "ten"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badInterval.body()).contains("invalid parameters", "interval must be an integer");
        HttpResponse<String> noFile = HTTP.send(multipart("/video", null, "interval", "1000"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("missing file field 'video'");
        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/video"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("multipart/form-data");
        HttpResponse<String> badLines = HTTP.send(multipart("/video", clip, "interval", "1000", "lines", "{\"a\":1}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badLines.statusCode()).isEqualTo(400);
        assertThat(badLines.body()).contains("lines must be a JSON array");
        // the service goes on: a good upload after the bad ones is answered
        HttpResponse<String> async = HTTP.send(multipart("/video", clip, "interval", "1000", "async", "true"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(async.statusCode()).as(async.body()).isEqualTo(200);
        JsonNode started = JSON.readTree(async.body());
        String uuid = started.get("file_uuid").asText();
        assertThat(uuid).matches("[0-9a-f]{32}");
        // a traffic upload is a file of the media API, with its job
        assertThat(started.get("file_url").asText()).isEqualTo("/api/v1/file/" + uuid);
        HttpResponse<String> file = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        JsonNode info = JSON.readTree(file.body());
        assertThat(info.get("job").asText()).isEqualTo(started.get("job").asText());
        assertThat(info.get("width").asInt()).isPositive();
        assertThat(info.get("frame_count").asLong()).isPositive();
        HttpResponse<byte[]> thumb = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid
                + "/thumbnail?frame=0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    }
}
