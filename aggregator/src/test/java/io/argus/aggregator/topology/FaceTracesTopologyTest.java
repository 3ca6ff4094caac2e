package io.argus.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.Identity;
import io.argus.schemas.avro.IdentityAction;
import io.argus.schemas.avro.IdentityCommand;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.OpSpec;
import io.argus.schemas.avro.SourceInfo;
import io.argus.schemas.avro.Vframe;

/**
 * Face traces and identities through the aggregator topology (TopologyTestDriver, real topic names
 * and Avro serdes): two faces crossing each other keep their traces because their embeddings
 * differ; a face hidden for 0.6 s keeps its trace; traces of the same person in two jobs join one
 * identity; a two-face outlier stays unassigned; the users' commands (name, merge, split, not this
 * person) change the identities as documented.
 *
 * <p>Embeddings are synthetic: one random unit vector per person in 64 dimensions, each face that
 * vector plus Gaussian noise (σ = 0.05 per dimension), back to unit length — a same-person cosine of
 * about 0.86, different people about 0.
 */
class FaceTracesTopologyTest {

    static final String OP = FaceTraceProcessor.OP;
    static final long STEP_MS = 200;
    static final int DIM = 64;
    static final Random RANDOM = new Random(7);
    static final Map<String, float[]> PEOPLE = new HashMap<>();

    static float[] person(String who) {
        return PEOPLE.computeIfAbsent(who, k -> unit(gaussian(1)));
    }

    static float[] gaussian(double sigma) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (RANDOM.nextGaussian() * sigma);
        }
        return v;
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    static float[] faceOf(String who) {
        float[] p = person(who);
        float[] noise = gaussian(0.05);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = p[i] + noise[i];
        }
        return unit(v);
    }

    static Detection face(String who, double cx, double cy) {
        List<Float> e = new ArrayList<>();
        for (float f : faceOf(who)) {
            e.add(f);
        }
        return Detection.newBuilder().setLabel("face").setScore(0.9f).setEmbedding(e).setBlur(120f)
                .setBox(new Box((int) (cx - 40), (int) (cy - 40), (int) (cx + 40), (int) (cy + 40))).build();
    }

    static FrameEvent begin(String jobId) {
        return begin(jobId, "file:///videos/" + jobId + ".mp4");
    }

    static FrameEvent begin(String jobId, String uri) {
        JobRequest request = JobRequest.newBuilder().setJobId(jobId).setVideoId(Fixtures.VIDEO)
                .setUri(uri).setVframe(new Vframe(0, STEP_MS / 1000.0, null, null))
                .setOps(List.of(OpSpec.newBuilder().setOp(OP).build())).setCreatedAt(Fixtures.CREATED_AT)
                .setRequestJson(Fixtures.requestJson(jobId)).build();
        return FrameEvent.newBuilder().setJobId(jobId).setVideoId(Fixtures.VIDEO).setKind(FrameKind.BEGIN).setSeq(0)
                .setOffsetMs(0).setJob(request).setSource(new SourceInfo(1280, 720, 25.0, 60_000L, "h264", -1L)).build();
    }

    static FrameResult result(String jobId, long seq, List<Detection> faces) {
        return FrameResult.newBuilder(Fixtures.result(jobId, OP, seq)).setOffsetMs(seq * STEP_MS)
                .setDetections(faces).build();
    }

    static double dot(List<Float> a, float[] b) {
        double d = 0;
        for (int i = 0; i < b.length; i++) {
            d += a.get(i) * b[i];
        }
        return d;
    }

    /** Trace id to the people whose faces it holds (by the nearest person vector). */
    static Map<Long, java.util.Set<String>> whoIsInEachTrace(List<KeyValue<String, FaceEvent>> faces) {
        Map<Long, java.util.Set<String>> out = new TreeMap<>();
        for (KeyValue<String, FaceEvent> kv : faces) {
            String best = null;
            double bestDot = -2;
            for (Map.Entry<String, float[]> p : PEOPLE.entrySet()) {
                double d = dot(kv.value.getEmbedding(), p.getValue());
                if (d > bestDot) {
                    best = p.getKey();
                    bestDot = d;
                }
            }
            out.computeIfAbsent(kv.value.getTraceId(), k -> new java.util.TreeSet<>()).add(best);
        }
        return out;
    }

    @Test
    void crossingFacesKeepTheirTracesAndAnOccludedFaceComesBack() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("f1"));
            // ann walks right, bob walks left on the same row, 30 px a frame: they meet at frame 10,
            // their boxes overlapping from frame 8 to 12; ann is hidden on frames 16-18
            int frames = 22;
            for (int f = 0; f < frames; f++) {
                List<Detection> faces = new ArrayList<>();
                if (f < 16 || f > 18) {
                    faces.add(face("ann", 340 + 30 * f, 300));
                }
                faces.add(face("bob", 940 - 30 * f, 300));
                d.pipe(result("f1", f, faces));
            }
            d.pipe(Fixtures.end("f1", frames));
            List<KeyValue<String, FaceEvent>> faces = d.faces();
            assertThat(faces).hasSize(frames * 2 - 3);
            Map<Long, java.util.Set<String>> who = whoIsInEachTrace(faces);
            assertThat(who).hasSize(2);
            assertThat(who.values()).allSatisfy(people -> assertThat(people).hasSize(1));
            FaceEvent first = faces.get(0).value;
            assertThat(faces.get(0).key).isEqualTo("f1/" + first.getTraceId() + "/0");
            assertThat(first.getFrameUri()).startsWith("file:///frames/f1/");
            assertThat(first.getModel()).isEqualTo("faceres");
            assertThat(first.getBlur()).isEqualTo(120f);
            assertThat(first.getWidth()).isEqualTo(1280);
        }
    }

    /**
     * Two faces meet and turn back: ann walks right and bob left, 30 px a frame, until their boxes
     * overlap at frame 10, then each walks back the way it came. Boxes alone (constant-velocity
     * prediction) hand each trace the other's face after the turn; the embeddings keep each trace on
     * its person. (Checked: with {@link FaceTraceProcessor#APPEARANCE_COST} 0 this test fails.)
     */
    @Test
    void facesThatMeetAndTurnBackKeepTheirTraces() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("f0"));
            int frames = 21;
            for (int f = 0; f < frames; f++) {
                int step = f <= 10 ? f : 20 - f;
                d.pipe(result("f0", f, List.of(face("ann", 340 + 27 * step, 300), face("bob", 940 - 27 * step, 300))));
            }
            d.pipe(Fixtures.end("f0", frames));
            Map<Long, java.util.Set<String>> who = whoIsInEachTrace(d.faces());
            assertThat(who.values()).allSatisfy(people -> assertThat(people).hasSize(1));
            assertThat(who).hasSize(2);
        }
    }

    @Test
    void tracesOfOnePersonJoinOneIdentityAndCommandsChangeThem() {
        try (TrackingDriver d = new TrackingDriver()) {
            // job 1: ann and bob, 6 frames each; job 2: ann again and cat on only 2 frames
            d.pipe(begin("j1"));
            for (int f = 0; f < 6; f++) {
                d.pipe(result("j1", f, List.of(face("ann", 300, 300), face("bob", 900, 300))));
            }
            d.pipe(Fixtures.end("j1", 6));
            d.pipe(begin("j2"));
            for (int f = 0; f < 6; f++) {
                List<Detection> faces = new ArrayList<>(List.of(face("ann", 500 + 10 * f, 320)));
                if (f < 2) {
                    faces.add(face("cat", 1000, 300));
                }
                d.pipe(result("j2", f, faces));
            }
            d.pipe(Fixtures.end("j2", 6));
            Map<String, Identity> ids = latest(d.identities(), new TreeMap<>());
            assertThat(ids).hasSize(2);
            Identity ann = ids.values().stream().filter(i -> i.getTraces().size() == 2).findFirst().orElseThrow();
            Identity bob = ids.values().stream().filter(i -> i.getTraces().size() == 1).findFirst().orElseThrow();
            assertThat(ann.getTraces()).extracting(t -> t.getJobId()).containsExactly("j1", "j2");
            assertThat(ann.getFaceCount()).isEqualTo(12);
            assertThat(ann.getTraces().get(1).getSimilarity()).isGreaterThan(0.8f);
            // cat (2 faces) is an outlier: in no identity
            assertThat(ids.values()).allSatisfy(i -> assertThat(i.getTraces()).noneMatch(
                    t -> t.getJobId().equals("j2") && t.getFaceCount() == 2));

            d.pipe(command("r1", IdentityAction.NAME, ann.getIdentityUuid()).setName("Ann").build());
            Map<String, Identity> after = latest(d.identities(), new TreeMap<>(ids));
            assertThat(after.get(ann.getIdentityUuid()).getName()).isEqualTo("Ann");
            assertThat(after.get(ann.getIdentityUuid()).getLastRequest()).isEqualTo("r1");

            // split ann's second trace off, then merge it back
            String second = "j2/" + ann.getTraces().get(1).getTraceId();
            d.pipe(command("r2", IdentityAction.SPLIT, ann.getIdentityUuid()).setTraces(List.of(second))
                    .setNewIdentity("11111111-2222-3333-4444-555555555555").build());
            after = latest(d.identities(), after);
            assertThat(after).hasSize(3);
            assertThat(after.get("11111111-2222-3333-4444-555555555555").getTraces()).hasSize(1);
            assertThat(after.get(ann.getIdentityUuid()).getTraces()).hasSize(1);
            d.pipe(command("r3", IdentityAction.MERGE, ann.getIdentityUuid())
                    .setOthers(List.of("11111111-2222-3333-4444-555555555555")).build());
            List<KeyValue<String, Identity>> merged = d.identities();
            assertThat(merged).anyMatch(kv -> kv.key.equals("11111111-2222-3333-4444-555555555555") && kv.value == null);
            after = latest(merged, after);
            assertThat(after).hasSize(2);
            assertThat(after.get(ann.getIdentityUuid()).getTraces()).hasSize(2);

            // "not bob": bob's only trace leaves; with no other identity near it stays unassigned and
            // bob's identity, empty, is removed
            d.pipe(command("r4", IdentityAction.REJECT, bob.getIdentityUuid())
                    .setTraces(List.of("j1/" + bob.getTraces().get(0).getTraceId())).build());
            List<KeyValue<String, Identity>> rejected = d.identities();
            assertThat(rejected).anyMatch(kv -> kv.key.equals(bob.getIdentityUuid()) && kv.value == null);
            // a command on an unknown identity changes nothing
            d.pipe(command("r5", IdentityAction.NAME, "no-such-identity").setName("x").build());
            assertThat(d.identities()).isEmpty();
            // job 2's file deleted: its traces are forgotten, ann keeps her job 1 trace
            List<String> job2 = ann.getTraces().stream().filter(t -> t.getJobId().equals("j2"))
                    .map(t -> "j2/" + t.getTraceId()).toList();
            d.pipe(command("r6", IdentityAction.FORGET, "").setTraces(job2).build());
            Map<String, Identity> forgotten = latest(d.identities(), new TreeMap<>());
            assertThat(forgotten.get(ann.getIdentityUuid()).getTraces()).extracting(t -> t.getJobId())
                    .containsExactly("j1");
        }
    }

    /**
     * A live job: a person who stays in view gets an identity at the trace's 3rd face, and the
     * identity grows at the 6th and 12th, all before the trace ends; at the end it holds the
     * whole trace. The same frames from a file give no identity until the job ends.
     */
    @Test
    void aLiveTraceIsPlacedWhileItIsOnScreen() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(begin("cam", "rtsp://camera.example/stream"));
            List<Integer> faceCounts = new ArrayList<>();
            String uuid = null;
            for (int f = 0; f < 14; f++) {
                d.pipe(result("cam", f, List.of(face("dan", 400 + 5 * f, 300))));
                for (KeyValue<String, Identity> kv : d.identities()) {
                    uuid = uuid == null ? kv.key : uuid;
                    assertThat(kv.key).as("one identity throughout").isEqualTo(uuid);
                    assertThat(kv.value.getTraces()).hasSize(1);
                    faceCounts.add(kv.value.getFaceCount());
                }
                if (f == 2) {
                    assertThat(uuid).as("an identity at the third face, the person still in view").isNotNull();
                }
            }
            assertThat(faceCounts).containsExactly(3, 6, 12);
            d.pipe(Fixtures.end("cam", 14));
            Map<String, Identity> ids = latest(d.identities(), new TreeMap<>());
            assertThat(ids).containsOnlyKeys(uuid);
            assertThat(ids.get(uuid).getFaceCount()).isEqualTo(14);
            assertThat(ids.get(uuid).getTraces()).hasSize(1);

            // "not this person" while the person is still in view: the growing trace neither goes
            // back nor founds the rejected identity again
            d.pipe(begin("cam2", "rtmp://camera.example/live/2"));
            for (int f = 0; f < 7; f++) {
                d.pipe(result("cam2", f, List.of(face("fay", 400, 300))));
            }
            Map<String, Identity> fay = latest(d.identities(), new TreeMap<>());
            assertThat(fay).hasSize(1);
            String fayUuid = fay.keySet().iterator().next();
            long trace = fay.get(fayUuid).getTraces().get(0).getTraceId();
            d.pipe(command("n1", IdentityAction.REJECT, fayUuid).setTraces(List.of("cam2/" + trace)).build());
            assertThat(d.identities()).anyMatch(kv -> kv.key.equals(fayUuid) && kv.value == null);
            for (int f = 7; f < 14; f++) {
                d.pipe(result("cam2", f, List.of(face("fay", 400, 300))));
            }
            assertThat(d.identities()).as("the 12th face places nothing").isEmpty();

            d.pipe(begin("file"));
            for (int f = 0; f < 14; f++) {
                d.pipe(result("file", f, List.of(face("eve", 400 + 5 * f, 300))));
            }
            assertThat(d.identities()).as("a file's traces are placed when they end").isEmpty();
            d.pipe(Fixtures.end("file", 14));
            assertThat(latest(d.identities(), new TreeMap<>())).hasSize(1);
        }
    }

    static IdentityCommand.Builder command(String request, IdentityAction action, String identity) {
        return IdentityCommand.newBuilder().setRequestId(request).setAction(action).setIdentity(identity);
    }

    static Map<String, Identity> latest(List<KeyValue<String, Identity>> records, Map<String, Identity> into) {
        for (KeyValue<String, Identity> kv : records) {
            if (kv.value == null) {
                into.remove(kv.key);
            } else {
                into.put(kv.key, kv.value);
            }
        }
        return into;
    }
}
