package io.argus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.edge.faces.FaceView;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.launcher.runtime.RuntimeConfig;
import io.argus.launcher.support.DefaultModels;
import io.argus.testkit.faces.MarkedPeople;

/**
 * Face traces and identities measured on the five labelled clips of the face tests
 * ({@code analyzer/src/test/resources/faces/README.md}: Intel sample clips, CC BY 4.0; 11 marked
 * positions of 9 people, {@code people.csv} beside the clips: a face is that
 * person's when its centre lies within {@value #MAX_OFFSET} px of the mark; these people barely
 * move). All five are uploaded as files and analysed with {@code face_embed} on every frame, through
 * the whole pipeline. Measured and written to {@code target/face-traces-eval.txt} (figures in
 * BENCHMARKS.md "Face traces and identities"):
 * <ul>
 *   <li>trace purity: the share of labelled faces that belong to their trace's majority person;</li>
 *   <li>traces per person per clip (1 is ideal: the trace never broke);</li>
 *   <li>identities per person across the clips (1 is ideal: all their traces joined), and persons
 *       per identity (1 is ideal: no two people merged), over traces of at least 2 faces.</li>
 * </ul>
 * Asserted: purity 1.0 (no trace mixes two people); the two people seen in three clips (the
 * head-pose woman and man) each one identity; no identity holds two people.
 */
class FaceTracesEvalTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path CLIPS = Path.of("..", "analyzer", "src", "test", "resources", "faces").toAbsolutePath().normalize();
    static final double MAX_OFFSET = 40;

    static final List<MarkedPeople.Person> PEOPLE = MarkedPeople.read(CLIPS.resolve("people.csv"));

    @TempDir
    static Path dir;

    static String label(String clip, FaceView.Face f) {
        double cx = (f.left() + f.right()) / 2.0;
        double cy = (f.top() + f.bottom()) / 2.0;
        String best = null;
        double bestD = MAX_OFFSET;
        for (MarkedPeople.Person p : PEOPLE) {
            double d = Math.hypot(p.x() - cx, p.y() - cy);
            if (p.clip().equals(clip) && d < bestD) {
                bestD = d;
                best = p.id();
            }
        }
        return best;
    }

    @Test
    void tracesAndIdentitiesOnTheFiveLabelledClips() throws Exception {
        DefaultModels.linkInto(dir.resolve("data"));
        Map<String, String> jobs = new LinkedHashMap<>();
        try (ArgusRuntime rt = ArgusRuntime.start(RuntimeConfig.embedded(dir.resolve("data"), 0))) {
            String base = "http://127.0.0.1:" + rt.httpPort();
            Set<String> clips = new TreeSet<>();
            PEOPLE.forEach(p -> clips.add(p.clip()));
            Map<String, String> files = new LinkedHashMap<>();
            for (String clip : clips) {
                HttpResponse<String> up = HTTP.send(MultipartRequests.multipart(base, "/api/v1/files", CLIPS.resolve(clip),
                        "ops", "face_embed", "interval", "0"), HttpResponse.BodyHandlers.ofString());
                assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
                files.put(clip, JSON.readTree(up.body()).get("file_uuid").asText());
                jobs.put(clip, JSON.readTree(up.body()).get("job").asText());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            for (String uuid : files.values()) {
                String status = "";
                while (!status.equals("FINISHED") && System.nanoTime() < deadline) {
                    Thread.sleep(300);
                    status = get(base, "/api/v1/file/" + uuid).path("analysis").path("status").asText();
                }
                assertThat(status).isEqualTo("FINISHED");
            }
            // every listed trace in an identity once its job's end closed it: the edge lists as
            // "unassigned" any trace no identity it has read holds, so a trace the identity stage has not
            // placed yet looks unassigned too. Every trace of these clips has 14 faces or more, enough to
            // found an identity, so none stays unassigned for good; a trace that did would hold the loop
            // to its deadline and show in the report.
            Map<String, String> identityOfTrace = new HashMap<>();
            int listed = 0;
            while (System.nanoTime() < deadline) {
                identityOfTrace.clear();
                for (JsonNode id : get(base, "/api/v1/identities").get("identities")) {
                    for (JsonNode t : id.get("traces")) {
                        identityOfTrace.put(t.get("job").asText() + "/" + t.get("trace_id").asLong(),
                                id.get("identity_uuid").asText());
                    }
                }
                listed = 0;
                int placed = 0;
                for (Map.Entry<String, String> f : files.entrySet()) {
                    JsonNode ids = get(base, "/api/v1/file/" + f.getValue() + "/identities");
                    listed += get(base, "/api/v1/file/" + f.getValue() + "/traces").get("traces").size();
                    for (JsonNode i : ids.get("identities")) {
                        placed += i.get("trace_ids").size();
                    }
                }
                if (placed == listed && listed > 0) {
                    break;
                }
                Thread.sleep(500);
            }

            // faces of each trace, labelled by position
            StringBuilder report = new StringBuilder();
            long labelled = 0;
            long pure = 0;
            Map<String, Set<String>> identitiesOfPerson = new TreeMap<>();
            Map<String, Set<String>> personsOfIdentity = new TreeMap<>();
            Map<String, Integer> tracesOfPersonInClip = new TreeMap<>();
            try (FaceView view = new FaceView(rt.topics(), rt.kafka())) {
                view.start();
                view.caughtUp().get(30, TimeUnit.SECONDS);
                for (Map.Entry<String, String> j : jobs.entrySet()) {
                    for (Map.Entry<Long, List<FaceView.Face>> t : view.traces(j.getValue()).entrySet()) {
                        Map<String, Integer> who = new HashMap<>();
                        for (FaceView.Face f : t.getValue()) {
                            String p = label(j.getKey(), f);
                            if (p != null) {
                                who.merge(p, 1, Integer::sum);
                            }
                        }
                        int n = who.values().stream().mapToInt(Integer::intValue).sum();
                        int top = who.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                        labelled += n;
                        pure += top;
                        String majority = who.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                                .orElse(null);
                        report.append(String.format("%-46s trace %3d: %3d faces, people %s%n", j.getKey(), t.getKey(),
                                t.getValue().size(), who));
                        if (majority == null || t.getValue().size() < 2) {
                            continue;
                        }
                        tracesOfPersonInClip.merge(j.getKey() + " " + majority, 1, Integer::sum);
                        String identity = identityOfTrace.get(j.getValue() + "/" + t.getKey());
                        identitiesOfPerson.computeIfAbsent(majority, k -> new TreeSet<>())
                                .add(identity == null ? "(unassigned)" : identity);
                        if (identity != null) {
                            personsOfIdentity.computeIfAbsent(identity, k -> new TreeSet<>()).add(majority);
                        }
                    }
                }
            }
            // the mean embedding of each trace (from argus.faces) and the cosines between them
            Map<String, double[]> means = traceMeans(rt, jobs);
            List<String> keys = new ArrayList<>(means.keySet());
            report.append("cosine of trace mean embeddings:\n");
            for (int a = 0; a < keys.size(); a++) {
                for (int b = a + 1; b < keys.size(); b++) {
                    double d = 0;
                    for (int i = 0; i < means.get(keys.get(a)).length; i++) {
                        d += means.get(keys.get(a))[i] * means.get(keys.get(b))[i];
                    }
                    report.append(String.format("  %s %s %.3f%n", keys.get(a), keys.get(b), d));
                }
            }
            double purity = labelled == 0 ? 0 : pure / (double) labelled;
            report.append(String.format("%nlabelled faces %d, trace purity %.3f%n", labelled, purity));
            report.append("traces per person and clip: ").append(tracesOfPersonInClip).append('\n');
            report.append("identities per person: ");
            identitiesOfPerson.forEach((p, ids) -> report.append(p).append('=').append(ids.size())
                    .append(ids.contains("(unassigned)") ? " (incl. unassigned)" : "").append("; "));
            report.append('\n').append("persons per identity: ");
            personsOfIdentity.forEach((id, ps) -> report.append(id, 0, 8).append('=').append(ps).append("; "));
            report.append('\n');
            System.out.print(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "face-traces-eval.txt"), report);

            assertThat(labelled).isGreaterThan(200);
            assertThat(purity).as("no trace mixes two people").isEqualTo(1.0);
            assertThat(identitiesOfPerson.get("hp-woman")).as("the woman of three clips, one identity").hasSize(1)
                    .doesNotContain("(unassigned)");
            assertThat(identitiesOfPerson.get("hp-man")).as("the man of two clips, one identity").hasSize(1)
                    .doesNotContain("(unassigned)");
            // whether the dark-haired woman of walking-and-pause is the head-pose woman is not known
            // (analyzer/src/test/resources/faces/README.md): an identity of those two is not counted
            assertThat(personsOfIdentity.values()).as("no identity holds two people")
                    .allSatisfy(ps -> assertThat(ps.size() == 1 || ps.equals(Set.of("hp-woman", "wp-left-woman")))
                            .as(ps.toString()).isTrue());
            List<String> all = new ArrayList<>(jobs.values());
            assertThat(all).hasSize(5);
        }
    }

    /** @return unit mean embedding of each trace ({@code <clip>/<trace>}), from argus.faces */
    static Map<String, double[]> traceMeans(ArgusRuntime rt, Map<String, String> jobs) {
        java.util.Properties props = rt.kafka().consumer("unused", "face-traces-eval");
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, String> clipOf = new HashMap<>();
        jobs.forEach((clip, job) -> clipOf.put(job, clip.replace("head-pose-face-detection-", "hp-").replace(".mp4", "")));
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var parts = c.partitionsFor(rt.topics().faces().name()).stream()
                    .map(pi -> new org.apache.kafka.common.TopicPartition(pi.topic(), pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            var values = rt.topics().faces().valueSerde().deserializer();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    var e = values.deserialize(r.topic(), r.value());
                    double[] sum = sums.computeIfAbsent(clipOf.get(e.getJobId()) + "/" + e.getTraceId(),
                            k -> new double[e.getEmbedding().size()]);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += e.getEmbedding().get(i);
                    }
                }
            }
        }
        sums.values().forEach(v -> {
            double n = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
        });
        return sums;
    }

    static JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
