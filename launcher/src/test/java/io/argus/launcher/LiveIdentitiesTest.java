package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;

/**
 * A person who stays in front of a live camera gets an identity while the job runs: a real
 * nginx-rtmp server fed by an ffmpeg publisher looping a clip of one man's face (Intel's
 * {@code head-pose-face-detection-male.mp4}, CC BY 4.0, {@code analyzer/src/test/resources/faces}),
 * a live job with {@code face_embed} on the embedded runtime with every stage, and the identities
 * read over HTTP before the job is killed.
 */
class LiveIdentitiesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path CLIP = Path.of("..", "analyzer", "src", "test", "resources", "faces",
            "head-pose-face-detection-male.mp4").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aPersonStillInViewHasAnIdentity() throws Exception {
        DefaultModels.linkInto(dir.resolve("data"));
        // H.264 in FLV with a keyframe a second, as the live tests loop vtest.avi (SampleVideos.h264Loop)
        Path flv = dir.resolve("face-cam.flv");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", CLIP.toString(),
                "-an", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", "12",
                "-pix_fmt", "yuv420p", flv.toString()).inheritIO().start();
        assertThat(ffmpeg.waitFor()).isZero();
        try (RtmpTestServer rtmp = RtmpTestServer.start(dir.resolve("rtmp"));
             ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
             ExternalProcess publisher = rtmp.publish("face-cam", flv)) {
            String base = "http://127.0.0.1:" + rt.httpPort();
            String body = "{\"data\":{\"uri\":\"" + rtmp.url("face-cam") + "\"},\"params\":{\"vframe\":"
                    + "{\"mode\":0,\"interval\":0.25},\"live\":{\"timeout\":10}},\"ops\":[{\"op\":\"face_embed\"}]}";
            HttpResponse<String> r = send(base, "/v1/video/face-cam", "application/json", body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String job = JSON.readTree(r.body()).get("job").asText();

            JsonNode identity = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (identity == null && System.nanoTime() < deadline) {
                Thread.sleep(250);
                for (JsonNode id : get(base, "/api/v1/identities").get("identities")) {
                    for (JsonNode t : id.get("traces")) {
                        if (t.get("job").asText().equals(job)) {
                            identity = id;
                        }
                    }
                }
            }
            assertThat(identity).as("an identity for the live job's face within 60 s").isNotNull();
            assertThat(identity.get("face_count").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(get(base, "/v1/jobs/video/" + job).path("status").asText())
                    .as("the job still runs: the identity came while the person is in view").isEqualTo("DOING");
            assertThat(send(base, "/v1/jobs/video/" + job, "application/x-www-form-urlencoded", "op=kill")
                    .statusCode()).isEqualTo(200);
        }
    }

    static HttpResponse<String> send(String base, String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
