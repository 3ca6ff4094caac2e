package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.samples.SampleVideos;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.schemas.avro.JobStatus;
import io.argus.testkit.servers.ExternalProcess;

/**
 * README "Trying a live job on one machine", as written there: its ffmpeg command (the sample
 * re-encoded to H.264 and served by ffmpeg's own RTMP listener, in its loop) and its job body,
 * taken from README.md, give a live job whose frames are analysed until it is killed.
 */
class LiveRecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theReadmesFfmpegListenerFeedsALiveJob() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory",
                Path.of("..").toAbsolutePath().normalize().toString()), "README.md"));
        Matcher loop = Pattern.compile("(while true; do ffmpeg [^\\n]*\\\\\\n[^\\n]*-listen 1 rtmp://[^\\n]*; done)")
                .matcher(readme);
        assertThat(loop.find()).as("the README's publisher loop").isTrue();
        Matcher body = Pattern.compile("-d '(\\{\"data\":\\{\"uri\":\"rtmp://127\\.0\\.0\\.1:1935/live/cam\"[^']*)'")
                .matcher(readme);
        assertThat(body.find()).as("the README's live job").isTrue();
        int port = ExternalProcess.freePort();
        String publisher = loop.group(1).replace("\\\n", " ")
                .replace("data/samples/vtest.avi", SampleVideos.ensure("vtest.avi").toString())
                .replace("127.0.0.1:1935", "127.0.0.1:" + port);
        String job = body.group(1).replace("127.0.0.1:1935", "127.0.0.1:" + port);

        Process loopProcess = new ProcessBuilder("bash", "-c", publisher).redirectErrorStream(true)
                .redirectOutput(dir.resolve("publisher.log").toFile()).start();
        try (ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0))) {
            String jobId = rt.submit("cam", job).getJobId();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long analysed = 0;
            while (analysed < 3 && System.nanoTime() < deadline) {
                analysed = rt.view().status(jobId).map(JobStatus::getFramesAnalyzed).orElse(0L);
                Thread.sleep(200);
            }
            assertThat(analysed).as(Files.readString(dir.resolve("publisher.log"))).isGreaterThanOrEqualTo(3);
            HttpResponse<String> kill = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + rt.httpPort() + "/v1/jobs/video/" + jobId))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("op=kill")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode killed = JSON.readTree(kill.body());
            assertThat(killed.path("status").asText()).isEqualTo("CANCELLED");
            JobStatus last = rt.view().status(jobId).orElseThrow();
            assertThat(last.getOps()).isEqualTo(List.of("person"));
        } finally {
            // the loop first (bash acts on SIGTERM once its ffmpeg ends), then its ffmpeg
            List<ProcessHandle> children = loopProcess.descendants().toList();
            loopProcess.destroy();
            children.forEach(ProcessHandle::destroy);
            if (!loopProcess.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                loopProcess.descendants().forEach(ProcessHandle::destroyForcibly);
                loopProcess.destroyForcibly();
            }
        }
    }
}
