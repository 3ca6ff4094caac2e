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
            tail.await(mine.and(p -> p.getText().equals("34A23126")), 1, Duration.ofSeconds(60));
            Thread.sleep(2000); // any other event of the job's end
            // the last record of each key (the topic is compacted): interim votes come first while a car is in view
            java.util.Map<Long, PlateEvent> last = new java.util.TreeMap<>();
            tail.values(mine).forEach(p -> last.put(p.getTrackId(), p));
            plates = List.copyOf(last.values());
        }
        plates.forEach(p -> System.out.printf("track %d %s %s conf %.2f score %.2f reads %s %d-%d ms%n", p.getTrackId(),
                p.getLabel(), p.getText(), p.getConfidence(), p.getScore(), p.getReads(), p.getFirstSeenMs(),
                p.getLastSeenMs()));
        assertThat(plates).extracting(PlateEvent::getText).contains("34A36837", "34A23126").doesNotContain("14B02819T");
        PlateEvent white = plates.stream().filter(p -> p.getText().equals("34A36837")).findFirst().orElseThrow();
        assertThat(white.getFirstSeenMs()).isLessThan(1000);
        assertThat(white.getBestOffsetMs()).isBetween(0L, 2400L);
        assertThat(white.getFrameUri()).isNotNull();
        assertThat(white.getPlateBox().getLeft()).isGreaterThanOrEqualTo(white.getVehicleBox().getLeft());
        assertThat(white.getPlateBox().getRight()).isLessThanOrEqualTo(white.getVehicleBox().getRight());

        // search by plate text: exact, with spaces and case, one wrong (confusable) character, one other edit
        for (String q : List.of("34A36837", "34a 368.37", "34A36B37", "34A36831")) {
            List<com.fasterxml.jackson.databind.JsonNode> found = search(q);
            assertThat(found).as(q).isNotEmpty();
            assertThat(found.get(0).get("licence_plate").asText()).as(q).isEqualTo("34A36837");
            assertThat(found.get(0).get("time").asLong()).isEqualTo(white.getBestOffsetMs());
        }
        assertThat(search("34A36837").get(0).get("distance").asDouble()).isZero();
        // a job on a URL belongs to no file
        assertThat(search("34A36837").stream().filter(j -> j.get("video").asText().equals(video)).toList()).isNotEmpty()
                .allSatisfy(j -> assertThat(j.get("file_uuid").isNull()).as(j.toString()).isTrue());
        assertThat(search("34A36B37").get(0).get("distance").asDouble()).isEqualTo(0.5);
        assertThat(search("ZZ99ZZZ")).isEmpty();
        // the car image: a JPEG of the vehicle's box
        String car = search("34A36837").get(0).get("car_image").asText();
        HttpResponse<byte[]> jpeg = HTTP.send(HttpRequest.newBuilder(URI.create(car)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(jpeg.statusCode()).isEqualTo(200);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg.body()));
        assertThat(img.getWidth()).isEqualTo(white.getVehicleBox().getRight() - white.getVehicleBox().getLeft());
        // the spec's data-side form
        HttpResponse<String> all = post("/search-licence-plate", "{\"licence_plate\": \"34A 23126\"}");
        assertThat(all.statusCode()).isEqualTo(200);
        com.fasterxml.jackson.databind.JsonNode results = JSON.readTree(all.body()).get("results");
        assertThat(results).isNotEmpty();
        assertThat(results.get(0).get("time").asText()).matches("00:0[5-8]");
        assertThat(results.get(0).get("pic").asText()).endsWith("/car.jpg");
        // bad queries
        assertThat(post("/licence-plate", "{\"licence_plate\": \" -. \"}").body()).contains("no letters or digits");
        assertThat(post("/licence-plate", "{\"licence_plate\": \"" + "A".repeat(1000) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(post("/licence-plate", "{\"licence_plate\": 7}").body()).contains("must be a string");
        assertThat(post("/licence-plate", "{\"licence_plate\": \"\\u0000\\u0007\"}").statusCode()).isEqualTo(400);
        assertThat(post("/licence-plate", "{\"licence_plate\": \"京A12345\"}").statusCode()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/plates/nope/1/car.jpg")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    /**
     * The clip uploaded as a file analysed with {@code plate}: its plates name the file
     * ({@code file_uuid}) in both searches; deleting the file (once its job has ended) tombstones
     * them on {@code argus.plates}, so they are gone from search for an admin too (this edge is
     * open: every caller is an admin, whom file access never filters).
     */
    @Test
    void anUploadedFilesPlatesNameItAndGoWithIt() throws Exception {
        Path clip = Path.of("..", "eval", "clips", "toll-booth-plates.mp4").toAbsolutePath().normalize();
        HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", clip, "ops", "plate"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        com.fasterxml.jackson.databind.JsonNode file = JSON.readTree(up.body());
        String uuid = file.get("file_uuid").asText();
        String job = file.path("job").asText();
        assertThat(job).as("the upload's plate job").isNotBlank();
        Predicate<com.fasterxml.jackson.databind.JsonNode> ofFile = j -> j.get("job").asText().equals(job);

        List<com.fasterxml.jackson.databind.JsonNode> found = List.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            found = search("34A36837").stream().filter(ofFile).toList();
        }
        assertThat(found).as("plate 34A36837 of the uploaded file's job " + job).isNotEmpty();
        assertThat(found).allSatisfy(j -> assertThat(j.get("file_uuid").asText()).isEqualTo(uuid));
        com.fasterxml.jackson.databind.JsonNode results = JSON.readTree(post("/search-licence-plate",
                "{\"licence_plate\": \"34A36837\"}").body()).get("results");
        List<String> files = new java.util.ArrayList<>();
        results.forEach(r -> files.add(r.path("file_uuid").isNull() ? null : r.get("file_uuid").asText()));
        assertThat(files).contains(uuid);
        String car = found.get(0).get("car_image").asText();

        // the job must end before its file can be deleted (409 until then)
        HttpResponse<String> deleted;
        deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        do {
            deleted = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid)).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (deleted.statusCode() == 409) {
                Thread.sleep(1000);
            }
        } while (deleted.statusCode() == 409 && System.nanoTime() < deadline);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        // gone at once from this edge's index, for an admin too
        for (String q : List.of("34A36837", "34A23126")) {
            assertThat(search(q).stream().filter(ofFile).toList()).as(q).isEmpty();
            assertThat(search(q)).noneSatisfy(j -> assertThat(j.path("file_uuid").asText()).isEqualTo(uuid));
        }
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(car)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
        // and tombstoned on the topic: the last record of each of the job's keys is a tombstone
        java.util.Map<String, byte[]> last = new java.util.HashMap<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                rt.kafka().consumer("plates-check-" + System.nanoTime(), "plates-check"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(rt.topics().plates().name()).stream()
                    .map(pi -> new org.apache.kafka.common.TopicPartition(pi.topic(), pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            java.util.Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < until) {
                c.poll(Duration.ofMillis(200)).forEach(r -> last.put(r.key(), r.value()));
            }
        }
        List<String> keys = last.keySet().stream().filter(k -> k.startsWith(job + "/")).toList();
        assertThat(keys).as("the job's plate keys").isNotEmpty();
        assertThat(keys).allSatisfy(k -> assertThat(last.get(k)).as(k).isNull());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<com.fasterxml.jackson.databind.JsonNode> search(String plate) throws Exception {
        HttpResponse<String> r = post("/licence-plate", JSON.createObjectNode().put("licence_plate", plate).toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
