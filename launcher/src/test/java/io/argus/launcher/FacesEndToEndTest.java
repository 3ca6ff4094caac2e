package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;

/**
 * Faces end to end on real clips, every stage in one JVM on the embedded broker: three short Intel
 * sample clips (CC BY 4.0; {@code analyzer/src/test/resources/faces/README.md}) uploaded as files
 * and analysed with {@code face_embed} on every frame: a woman turning her head
 * ({@code head-pose-face-detection-female.mp4}, 23 frames), a man ({@code …-male.mp4}, 62 frames),
 * and the same two side by side ({@code …-female-and-male.mp4}, 56 frames: the woman left of
 * x = 200, the man right of it). Who is who was marked by eye (the analyzer's face tests).
 *
 * <p>Checked: no trace mixes the two people; the woman's traces of both files are one identity and
 * the man's another; the representative face and its 320×320 thumbnail (saved under
 * {@code target/faces-e2e/} and looked at: a frontal, sharp face of the trace's person); the two
 * identities co-occur in the two-person file from its first frame and never in the woman's;
 * a photo of the man (a crop of a frame of his clip) finds his traces first, and a photo of a
 * person in none of the files (the bald man of {@code face-demographics-walking-and-pause.mp4})
 * finds nothing; renaming and splitting an identity over HTTP; a trace's video.
 */
class FacesEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path CLIPS = Path.of("..", "analyzer", "src", "test", "resources", "faces").toAbsolutePath().normalize();
    static final Path OUT = Path.of("target", "faces-e2e");

    @TempDir
    static Path dir;
    static ArgusRuntime rt;
    static String base;
    /** clip name → file uuid */
    static final Map<String, String> FILES = new LinkedHashMap<>();
    static final Map<String, String> JOBS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        DefaultModels.linkInto(dir.resolve("data"));
        rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0));
        base = "http://127.0.0.1:" + rt.httpPort();
        Files.createDirectories(OUT);
        for (String clip : List.of("head-pose-face-detection-female.mp4", "head-pose-face-detection-male.mp4",
                "head-pose-face-detection-female-and-male.mp4")) {
            HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", CLIPS.resolve(clip),
                    "ops", "face_embed", "interval", "0"), HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            FILES.put(clip, JSON.readTree(up.body()).get("file_uuid").asText());
            JOBS.put(clip, JSON.readTree(up.body()).get("job").asText());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (String uuid : FILES.values()) {
            String status = "";
            while (!status.equals("FINISHED") && System.nanoTime() < deadline) {
                Thread.sleep(300);
                status = get("/api/v1/file/" + uuid).path("analysis").path("status").asText();
            }
            assertThat(status).as("analysis of " + uuid).isEqualTo("FINISHED");
        }
        // every file's traces are placed once their job's end closed them
        while (System.nanoTime() < deadline && !identitiesCover(Set.copyOf(JOBS.values()))) {
            Thread.sleep(300);
        }
    }

    static boolean identitiesCover(Set<String> jobs) throws Exception {
        Set<String> seen = new HashSet<>();
        for (JsonNode id : get("/api/v1/identities").get("identities")) {
            id.get("traces").forEach(t -> seen.add(t.get("job").asText()));
        }
        return seen.containsAll(jobs);
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** trace id → mean face-centre x of its faces, for a file (from its representative faces' boxes) */
    static Map<Long, Double> traceSides(String clip) throws Exception {
        Map<Long, Double> out = new LinkedHashMap<>();
        String uuid = FILES.get(clip);
        for (JsonNode t : get("/api/v1/file/" + uuid + "/traces").get("traces")) {
            JsonNode bbox = get("/api/v1/file/" + uuid + "/trace/" + t.get("trace_id").asLong() + "/representative-face")
                    .get("representative").get("bbox");
            out.put(t.get("trace_id").asLong(), bbox.get("x").asDouble() + bbox.get("width").asDouble() / 2);
        }
        return out;
    }

    /** identity uuid of each trace of a file */
    static Map<Long, String> identityOf(String clip) throws Exception {
        Map<Long, String> out = new HashMap<>();
        for (JsonNode t : get("/api/v1/file/" + FILES.get(clip) + "/traces").get("traces")) {
            out.put(t.get("trace_id").asLong(), t.get("identity_uuid").isNull() ? null : t.get("identity_uuid").asText());
        }
        return out;
    }

    @Test
    void tracesKeepToOnePersonAndJoinTheirIdentityAcrossFiles() throws Exception {
        String both = "head-pose-face-detection-female-and-male.mp4";
        // faces of one trace stay on one side of the two-person clip (people who barely move)
        List<JsonNode> traces = new ArrayList<>();
        get("/api/v1/file/" + FILES.get(both) + "/traces").get("traces").forEach(traces::add);
        assertThat(traces).hasSizeGreaterThanOrEqualTo(2);
        Map<Long, Double> sides = traceSides(both);
        System.out.println("faces e2e: two-person traces " + traces + " sides " + sides);
        // the faces of each trace, from argus.faces (a view built anew, as the edge builds its own):
        // every face on its trace's side
        try (io.argus.edge.faces.FaceView view = new io.argus.edge.faces.FaceView(rt.topics(), rt.kafka())) {
            view.start();
            view.caughtUp().get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (JsonNode t : traces) {
                long id = t.get("trace_id").asLong();
                boolean left = sides.get(id) < 200;
                var faces = view.trace(JOBS.get(both), id);
                assertThat(faces).hasSize(t.get("face_count").asInt());
                assertThat(faces).allSatisfy(f -> assertThat((f.left() + f.right()) / 2.0 < 200).isEqualTo(left));
            }
        }
        Map<Long, String> ids = identityOf(both);
        String woman = ids.entrySet().stream().filter(e -> sides.get(e.getKey()) < 200).map(Map.Entry::getValue)
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        String man = ids.entrySet().stream().filter(e -> sides.get(e.getKey()) >= 200).map(Map.Entry::getValue)
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        assertThat(woman).isNotEqualTo(man);
        // the single-person clips' traces joined the same identities
        assertThat(identityOf("head-pose-face-detection-female.mp4").values()).contains(woman).doesNotContain(man);
        assertThat(identityOf("head-pose-face-detection-male.mp4").values()).contains(man).doesNotContain(woman);
        // and within the two-person clip, no trace of one side is in the other's identity
        ids.forEach((trace, id) -> {
            if (id != null) {
                assertThat(id).isEqualTo(sides.get(trace) < 200 ? woman : man);
            }
        });

        // co-occurrence: from the first frames of the two-person clip; never in the woman's clip
        JsonNode co = get("/api/v1/file/" + FILES.get(both) + "/identities/" + woman + "/co-occur-with/" + man);
        System.out.println("faces e2e: co-occurrence " + co);
        assertThat(co.get("identity_a").get("identity_uuid").asText()).isEqualTo(woman);
        assertThat(co.get("first_cooccurrence").get("frame_number").asLong()).isBetween(0L, 5L);
        assertThat(co.get("first_cooccurrence").get("total_cooccurrence_frames").asInt()).isGreaterThan(40);
        assertThat(co.get("first_cooccurrence").get("representative_face_b").get("thumbnail_url").asText())
                .contains("/trace/");
        HttpResponse<String> never = send("GET", "/api/v1/file/" + FILES.get("head-pose-face-detection-female.mp4")
                + "/identities/" + woman + "/co-occur-with/" + man, "");
        assertThat(never.statusCode()).isEqualTo(404);
    }

    @Test
    void representativeFaceAndThumbnail() throws Exception {
        String uuid = FILES.get("head-pose-face-detection-male.mp4");
        JsonNode t = get("/api/v1/file/" + uuid + "/traces").get("traces").get(0);
        long trace = t.get("trace_id").asLong();
        JsonNode r = get("/api/v1/file/" + uuid + "/trace/" + trace + "/representative-face");
        JsonNode rep = r.get("representative");
        assertThat(r.get("face_count").asInt()).isEqualTo(t.get("face_count").asInt()).isGreaterThan(10);
        assertThat(rep.get("frame_number").asLong()).isBetween(t.get("first_frame").asLong(), t.get("last_frame").asLong());
        assertThat(rep.get("blur_score").asDouble()).isPositive();
        assertThat(rep.get("quality_score").asDouble()).isPositive();
        assertThat(rep.get("bbox").get("width").asInt()).isPositive();
        double fps = get("/api/v1/file/" + uuid).get("fps").asDouble();
        assertThat(rep.get("timestamp_secs").asDouble()).isCloseTo(rep.get("frame_number").asLong() / fps,
                org.assertj.core.data.Offset.offset(0.01));
        HttpResponse<byte[]> thumb = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/file/" + uuid + "/trace/"
                + trace + "/thumbnail")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(thumb.body()));
        assertThat(img.getWidth()).isEqualTo(320);
        assertThat(img.getHeight()).isEqualTo(320);
        Files.write(OUT.resolve("male-trace-" + trace + ".jpg"), thumb.body());
        assertThat(send("GET", "/api/v1/file/" + uuid + "/trace/99999/representative-face", "").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/file/" + uuid + "/trace/x/thumbnail", "").statusCode()).isEqualTo(400);
    }

    /** A frame of a clip, cropped: a "photo" of whoever is there. */
    static byte[] photo(Path clip, int frame, int cx, int cy, int side) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile()); Java2DFrameConverter c = new Java2DFrameConverter()) {
            g.start();
            for (int i = 0; i < frame; i++) {
                g.grabImage();
            }
            BufferedImage f = c.convert(g.grabImage());
            int x0 = Math.max(0, Math.min(f.getWidth() - side, cx - side / 2));
            int y0 = Math.max(0, Math.min(f.getHeight() - side, cy - side / 2));
            BufferedImage crop = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            crop.getGraphics().drawImage(f.getSubimage(x0, y0, side, side), 0, 0, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(crop, "jpg", out);
            return out.toByteArray();
        }
    }

    static HttpResponse<String> faceDetect(byte[] jpeg, String query) throws Exception {
        String boundary = "argus-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(jpeg);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/face-detect" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPhotoFindsItsPersonFirstAndAStrangerNothing() throws Exception {
        byte[] man = photo(CLIPS.resolve("head-pose-face-detection-male.mp4"), 40, 245, 105, 200);
        Files.write(OUT.resolve("photo-man.jpg"), man);
        HttpResponse<String> r = faceDetect(man, "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> found = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isBlank()) {
                found.add(JSON.readTree(line));
            }
        }
        System.out.println("faces e2e: photo of the man finds " + found);
        assertThat(found).isNotEmpty();
        Map<Long, String> inBoth = identityOf("head-pose-face-detection-female-and-male.mp4");
        Map<Long, Double> sides = traceSides("head-pose-face-detection-female-and-male.mp4");
        // every match is the man: his clip's traces, or the right-hand traces of the two-person clip
        for (JsonNode m : found) {
            String job = m.get("job").asText();
            assertThat(job).isNotEqualTo(JOBS.get("head-pose-face-detection-female.mp4"));
            if (job.equals(JOBS.get("head-pose-face-detection-female-and-male.mp4"))) {
                assertThat(sides.get(m.get("trace_id").asLong())).isGreaterThanOrEqualTo(200);
            }
            assertThat(m.get("score").asDouble()).isBetween(1.65, 2.0);
            assertThat(m.get("similar_face").asText()).startsWith(base + "/v1/faces/");
        }
        assertThat(inBoth).isNotEmpty();
        HttpResponse<byte[]> crop = HTTP.send(HttpRequest.newBuilder(URI.create(found.get(0).get("similar_face").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crop.statusCode()).isEqualTo(200);
        Files.write(OUT.resolve("similar-face-0.jpg"), crop.body());

        // scoped to the woman's file: nothing
        HttpResponse<String> scoped = faceDetect(man, "?file_uuid=" + FILES.get("head-pose-face-detection-female.mp4"));
        assertThat(scoped.statusCode()).isEqualTo(200);
        assertThat(scoped.body()).isBlank();

        // a stranger: the bald man of another clip, in none of the files
        byte[] stranger = photo(CLIPS.resolve("face-demographics-walking-and-pause.mp4"), 10, 225, 105, 160);
        Files.write(OUT.resolve("photo-stranger.jpg"), stranger);
        HttpResponse<String> none = faceDetect(stranger, "");
        System.out.println("faces e2e: photo of a stranger finds " + none.body());
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(none.body()).isBlank();

        // no face in the photo; not an image
        BufferedImage grey = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream flat = new ByteArrayOutputStream();
        ImageIO.write(grey, "jpg", flat);
        HttpResponse<String> noFace = faceDetect(flat.toByteArray(), "");
        assertThat(noFace.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noFace.body()).get("error").asText()).isEqualTo("no face");
        assertThat(faceDetect("not an image".getBytes(StandardCharsets.UTF_8), "").statusCode()).isEqualTo(400);

        // search by vector: the man's own embedding (the first match's face) finds him; a wrong dimension is 400
        HttpResponse<String> bad = send("POST", "/search-face", "{\"face_vector\": [0.1, 0.2, 0.3]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(send("POST", "/search-face", "{\"face_vector\": \"x\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void identitiesAreNamedAndSplitOverHttp() throws Exception {
        String uuid = FILES.get("head-pose-face-detection-male.mp4");
        JsonNode t = get("/api/v1/file/" + uuid + "/traces").get("traces").get(0);
        String id = t.get("identity_uuid").asText();
        HttpResponse<String> named = send("PATCH", "/api/v1/identities/" + id, "{\"name\": \"The man\"}");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        assertThat(JSON.readTree(named.body()).get("name").asText()).isEqualTo("The man");
        assertThat(get("/api/v1/identities/" + id).get("name").asText()).isEqualTo("The man");
        assertThat(send("PATCH", "/api/v1/identities/" + id, "{\"name\": 3}").statusCode()).isEqualTo(400);
        assertThat(send("PATCH", "/api/v1/identities/no-such", "{\"name\": \"x\"}").statusCode()).isEqualTo(404);

        JsonNode before = get("/api/v1/identities/" + id);
        if (before.get("traces").size() > 1) {
            // split the male clip's trace off into an identity of its own, then merge it back
            HttpResponse<String> split = send("POST", "/api/v1/identities/" + id + "/split", "{\"traces\": [{\"file_uuid\": \""
                    + uuid + "\", \"trace_id\": " + t.get("trace_id").asLong() + "}]}");
            assertThat(split.statusCode()).as(split.body()).isEqualTo(201);
            String created = JSON.readTree(split.body()).get("identity_uuid").asText();
            assertThat(get("/api/v1/identities/" + id).get("traces").size()).isEqualTo(before.get("traces").size() - 1);
            HttpResponse<String> merged = send("POST", "/api/v1/identities/" + id + "/merge",
                    "{\"identities\": [\"" + created + "\"]}");
            assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
            assertThat(JSON.readTree(merged.body()).get("traces").size()).isEqualTo(before.get("traces").size());
            assertThat(send("GET", "/api/v1/identities/" + created, "").statusCode()).isEqualTo(404);
        }
        assertThat(send("POST", "/api/v1/identities/" + id + "/split", "{\"traces\": []}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/v1/identities/" + id + "/not-this-person",
                "{\"traces\": [{\"file_uuid\": \"" + uuid + "\", \"trace_id\": 424242}]}").statusCode()).isEqualTo(404);
    }

    @Test
    void aTracesVideoIsRendered() throws Exception {
        String uuid = FILES.get("head-pose-face-detection-female.mp4");
        long trace = get("/api/v1/file/" + uuid + "/traces").get("traces").get(0).get("trace_id").asLong();
        String path = "/api/v1/file/" + uuid + "/trace/" + trace + "/video";
        HttpResponse<byte[]> v;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        do {
            v = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (v.statusCode() == 202) {
                Thread.sleep(500);
            }
        } while (v.statusCode() == 202 && System.nanoTime() < deadline);
        assertThat(v.statusCode()).as(new String(v.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(v.headers().firstValue("Content-Type")).hasValue("video/mp4");
        Path mp4 = OUT.resolve("trace-video.mp4");
        Files.write(mp4, v.body());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.start();
            assertThat(g.getLengthInFrames()).isBetween(20, 26);
        }
    }

    @Test
    void aDeletedFilesFacesAndTracesGoWithIt() throws Exception {
        HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files",
                CLIPS.resolve("head-pose-face-detection-female.mp4"), "ops", "face_embed", "interval", "0"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        String uuid = JSON.readTree(up.body()).get("file_uuid").asText();
        String job = JSON.readTree(up.body()).get("job").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!identitiesCover(Set.of(job)) && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
        assertThat(identitiesCover(Set.of(job))).as("the copy's trace joined an identity").isTrue();
        HttpResponse<String> deleted = send("DELETE", "/api/v1/file/" + uuid, "");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertForgotten(job, "head-pose-face-detection-female.mp4", deadline);
    }

    /**
     * A deleted job's traces leave every identity, a view built anew from {@code argus.faces} has
     * none of its faces (tombstoned), and the identity of the clip named is still there.
     */
    static void assertForgotten(String job, String stillThere, long deadline) throws Exception {
        while (identitiesCover(Set.of(job)) && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
        assertThat(identitiesCover(Set.of(job))).as("no identity keeps a trace of the deleted job").isFalse();
        try (io.argus.edge.faces.FaceView view = new io.argus.edge.faces.FaceView(rt.topics(), rt.kafka())) {
            view.start();
            view.caughtUp().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(view.traces(job)).isEmpty();
        }
        assertThat(identitiesCover(Set.of(JOBS.get(stillThere)))).isTrue();
    }

    /**
     * A job of the job API on a path (no file): deleting it through {@code DELETE /v1/jobs/video}
     * tombstones its faces and takes its traces out of their identities, as deleting a file does.
     */
    @Test
    void aDeletedJobsFacesAndTracesGoWithIt() throws Exception {
        String body = "{\"data\": {\"uri\": " + JSON.writeValueAsString(CLIPS.resolve(
                "head-pose-face-detection-male.mp4").toString()) + "}, \"params\": {\"async\": true, \"vframe\": "
                + "{\"mode\": 0, \"interval\": 0.001}}, \"ops\": [{\"op\": \"face_embed\"}]}";
        HttpResponse<String> posted = send("POST", "/v1/video/faces-deleted-job", body);
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 202);
        String job = JSON.readTree(posted.body()).get("job").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!identitiesCover(Set.of(job)) && System.nanoTime() < deadline) {
            Thread.sleep(300);
        }
        assertThat(identitiesCover(Set.of(job))).as("the job's trace joined an identity").isTrue();
        HttpResponse<String> deleted = send("DELETE", "/v1/jobs/video/" + job, "");
        while (deleted.statusCode() == 409 && System.nanoTime() < deadline) { // its end is still being written
            Thread.sleep(300);
            deleted = send("DELETE", "/v1/jobs/video/" + job, "");
        }
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertForgotten(job, "head-pose-face-detection-male.mp4", deadline);
    }
}
