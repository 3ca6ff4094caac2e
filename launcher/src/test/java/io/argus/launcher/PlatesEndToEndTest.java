package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.launcher.bench.TopicTail;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;
import io.argus.schemas.avro.PlateEvent;

/**
 * Licence plates end to end on a real clip, every stage in one JVM on the embedded broker:
 * {@code eval/clips/toll-booth-plates.mp4} (a Vietnamese toll-booth camera, 1280×720, 8 s; MIT,
 * see eval/plates/PROVENANCE.md), the {@code plate} op at 5 fps with {@code params.tracking} on it.
 * By eye: plate {@code 34A36837} (a white car) is readable from 0 to 2.25 s, {@code 34A23126} (a
 * red car, about 90 px wide) from about 5.75 to 7 s. Each must come out of {@code argus.plates}
 * (the first as one event for its track) with that text; the camera's on-screen text
 * ({@code 14B02819T}, not on a vehicle) must not.
 */
class PlatesEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

    @Test
    void theTollBoothCarsPlateIsReadOncePerTrack() throws Exception {
        Path clip = Path.of("..", "eval", "clips", "toll-booth-plates.mp4").toAbsolutePath().normalize();
        String video = "toll-booth";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("data").put("uri", clip.toString());
        ObjectNode params = body.putObject("params");
        params.putObject("vframe").put("mode", 0).put("interval", 0.2);
        params.putObject("tracking").put("op", "plate").putArray("classes").add("car").add("truck").add("bus");
        body.putArray("ops").addObject().put("op", "plate").putObject("params").put("threshold", 0.3);

        List<PlateEvent> plates;
        try (TopicTail<PlateEvent> tail = new TopicTail<>(rt.kafka(), rt.topics().plates())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/video/" + video))
                    .timeout(Duration.ofMinutes(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Predicate<PlateEvent> mine = p -> p.getVideoId().equals(video);
            tail.await(mine.and(p -> p.getText().equals("34A36837") || p.getText().equals("34A23126")), 2,
                    Duration.ofSeconds(60));
            Thread.sleep(2000); // any other event of the job's end
            plates = tail.values(mine);
        }
        plates.forEach(p -> System.out.printf("track %d %s %s conf %.2f score %.2f reads %s %d-%d ms%n", p.getTrackId(),
                p.getLabel(), p.getText(), p.getConfidence(), p.getScore(), p.getReads(), p.getFirstSeenMs(),
                p.getLastSeenMs()));
        assertThat(plates).extracting(PlateEvent::getText).contains("34A36837", "34A23126").doesNotContain("14B02819T");
        PlateEvent white = plates.stream().filter(p -> p.getText().equals("34A36837")).findFirst().orElseThrow();
        assertThat(plates.stream().filter(p -> p.getTrackId() == white.getTrackId())).hasSize(1);
        assertThat(white.getFirstSeenMs()).isLessThan(1000);
        assertThat(white.getBestOffsetMs()).isBetween(0L, 2400L);
        assertThat(white.getFrameUri()).isNotNull();
        assertThat(white.getPlateBox().getLeft()).isGreaterThanOrEqualTo(white.getVehicleBox().getLeft());
        assertThat(white.getPlateBox().getRight()).isLessThanOrEqualTo(white.getVehicleBox().getRight());
    }
}
