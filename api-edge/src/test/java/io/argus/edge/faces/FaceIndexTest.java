package io.argus.edge.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.FaceEvent;
import io.argus.testkit.faces.SyntheticFaces;

/**
 * The face index on disk: exact re-scoring against brute force on clustered vectors, job filters,
 * tombstones, offsets across a reopen, wrong dimensions refused.
 */
class FaceIndexTest {

    static final int DIM = 1024;

    static FaceEvent face(String job, long trace, long seq, float[] v) {
        List<Float> e = new ArrayList<>(v.length);
        for (float x : v) {
            e.add(x);
        }
        return FaceEvent.newBuilder().setJobId(job).setVideoId("video-" + job).setTraceId(trace).setSeq(seq)
                .setOffsetMs(seq * 40).setBox(new Box(10, 20, 74, 100)).setScore(0.9f).setBlur(120.5f).setWidth(640)
                .setHeight(360).setFrameUri("file:///frames/" + seq + ".jpg").setModel("faceres").setEmbedding(e).build();
    }

    static String key(String job, long trace, long seq) {
        return job + "/" + trace + "/" + seq;
    }

    @ParameterizedTest
    @EnumSource(FaceIndex.Quantization.class)
    void reScoredRankingIsTheBruteForceOneOnClusteredFaces(FaceIndex.Quantization quantization, @TempDir Path dir)
            throws Exception {
        int n = 3000;
        SyntheticFaces gen = new SyntheticFaces(DIM, 20, 11);
        List<float[]> all = new ArrayList<>();
        try (FaceIndex index = new FaceIndex(dir, quantization)) {
            for (int i = 0; i < n; i++) {
                float[] v = gen.face(i);
                all.add(v);
                index.put(key("j", i / 20, i % 20), face("j", i / 20, i % 20, v));
            }
            index.commit(Map.of(0, (long) n));
            assertThat(index.count()).isEqualTo(n);
            int exactRankings = 0;
            for (int q = 0; q < 20; q++) {
                float[] query = gen.newFace(q * 7L, q);
                List<FaceIndex.Match> got = index.search("faceres", query, 10, -1, null);
                List<Integer> truth = bruteForce(all, query, 10);
                assertThat(got).hasSize(10);
                // the ranking is by exact cosine, whatever the quantisation
                for (int r = 0; r < 10; r++) {
                    FaceIndex.Match m = got.get(r);
                    int i = (int) (m.face().traceId() * 20 + m.face().seq());
                    assertThat(m.cosine()).isCloseTo(dot(all.get(i), query), within(1e-5));
                    if (r > 0) {
                        assertThat(m.cosine()).isLessThanOrEqualTo(got.get(r - 1).cosine());
                    }
                }
                List<Integer> ids = got.stream().map(m -> (int) (m.face().traceId() * 20 + m.face().seq())).toList();
                exactRankings += ids.equals(truth) ? 1 : 0;
                // the query's person's faces come first (cosine ≈ 0.83 against ≈ 0.36)
                assertThat(got.get(0).face().traceId()).isEqualTo(q * 7L);
            }
            assertThat(exactRankings).as("queries whose top 10 equal brute force, in order").isGreaterThanOrEqualTo(19);
            // minCosine drops the weaker matches
            float[] query = gen.newFace(3, 99);
            double cut = bruteForce(all, query, 10).stream().mapToDouble(i -> dot(all.get(i), query)).toArray()[4];
            List<FaceIndex.Match> strong = index.search("faceres", query, 10, cut, null);
            assertThat(strong).hasSizeLessThanOrEqualTo(5).isNotEmpty().allSatisfy(m -> assertThat(m.cosine()).isGreaterThanOrEqualTo(cut));
        }
    }

    @Test
    void filtersByJobsDeletesAndKeepsOffsetsAcrossAReopen(@TempDir Path dir) throws Exception {
        SyntheticFaces gen = new SyntheticFaces(DIM, 10, 5);
        try (FaceIndex index = new FaceIndex(dir)) {
            for (int i = 0; i < 300; i++) {
                String job = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c";
                index.put(key(job, i / 10, i % 10), face(job, i / 10, i % 10, gen.face(i)));
            }
            index.commit(Map.of(0, 300L, 1, 17L));
            float[] query = gen.newFace(4, 1);
            List<FaceIndex.Match> a = index.search("faceres", query, 10, -1, FaceIndex.jobsFilter(List.of("a")));
            assertThat(a).hasSize(10).allSatisfy(m -> assertThat(m.face().jobId()).isEqualTo("a"));
            List<FaceIndex.Match> bc = index.search("faceres", query, 20, -1, FaceIndex.jobsFilter(Set.of("b", "c")));
            assertThat(bc).hasSize(20).allSatisfy(m -> assertThat(m.face().jobId()).isIn("b", "c"));
            assertThat(index.search("faceres", query, 10, -1, FaceIndex.jobsFilter(List.of()))).isEmpty();
            assertThat(index.search("faceres", query, 10, -1, FaceIndex.jobsFilter(List.of("zzz")))).isEmpty();
            // the stored fields come back
            FaceIndex.Face f = index.search("faceres", gen.face(40), 1, -1, null).get(0).face();
            assertThat(f.key()).isEqualTo("b/4/0");
            assertThat(f.videoId()).isEqualTo("video-b");
            assertThat(f.offsetMs()).isZero();
            assertThat(f.box()).containsExactly(10, 20, 74, 100);
            assertThat(f.blur()).isEqualTo(120.5f);
            assertThat(f.frameUri()).isEqualTo("file:///frames/0.jpg");
            assertThat(f.model()).isEqualTo("faceres");
            assertThat(index.trace("b", 4)).extracting(FaceIndex.Face::seq).containsExactly(0L, 3L, 6L, 9L);
            assertThat(index.embedding("b/4/0")).hasValueSatisfying(v -> assertThat(dot(v, gen.face(40))).isCloseTo(1.0, within(1e-5)));
            // a tombstone removes the face; deleting a job removes its faces
            index.delete("b/4/0");
            index.deleteJob("c");
            index.commit(Map.of(0, 302L, 1, 17L));
            assertThat(index.count()).isEqualTo(199);
            assertThat(index.search("faceres", gen.face(40), 1, -1, null).get(0).face().key()).isNotEqualTo("b/4/0");
            assertThat(index.search("faceres", query, 50, -1, null)).noneMatch(m -> m.face().jobId().equals("c"));
            assertThat(index.embedding("b/4/0")).isEmpty();
            // a record written again replaces its face
            index.put("a/0/0", face("a", 0, 0, gen.face(299)));
            index.commit(Map.of(0, 303L, 1, 17L));
            assertThat(index.count()).isEqualTo(199);
            assertThat(index.search("faceres", gen.face(299), 1, -1, null).get(0).face().key()).isEqualTo("a/0/0");
        }
        try (FaceIndex again = new FaceIndex(dir)) {
            assertThat(again.offsets()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 303L, 1, 17L));
            assertThat(again.count()).isEqualTo(199);
            // the dimension of the model's field is known after the reopen too
            assertThatThrownBy(() -> again.put("a/1/1", face("a", 1, 1, new float[] {1, 0, 0})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 dimensions")
                    .hasMessageContaining("1024");
        }
    }

    @Test
    void refusesWrongDimensionsAndBadInput(@TempDir Path dir) throws Exception {
        try (FaceIndex index = new FaceIndex(dir)) {
            assertThat(index.search("faceres", new float[] {1, 0}, 5, -1, null)).as("no face of the model yet").isEmpty();
            index.put("j/1/0", face("j", 1, 0, new float[] {3, 4, 0, 0}));
            assertThatThrownBy(() -> index.put("j/1/1", face("j", 1, 1, new float[] {1, 0, 0})))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("face j/1/1: embedding of model faceres has 3 dimensions, the index holds 4-dimensional "
                            + "vectors for that model");
            assertThatThrownBy(() -> index.put("j/1/2", face("j", 1, 2, new float[4])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero embedding");
            assertThatThrownBy(() -> index.put("j/1/3", face("j", 1, 3, new float[] {Float.NaN, 0, 0, 1})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
            float[] big = new float[1025];
            java.util.Arrays.fill(big, 1f);
            assertThatThrownBy(() -> index.put("j/1/4", face("j", 1, 4, big)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1024");
            index.commit(Map.of());
            assertThatThrownBy(() -> index.search("faceres", new float[] {1, 0}, 5, -1, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("query embedding has 2 dimensions, model faceres has 4");
            assertThatThrownBy(() -> index.search("face res", new float[] {1, 0, 0, 0}, 5, -1, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model name");
            assertThatThrownBy(() -> index.search("faceres", new float[] {1, 0, 0, 0}, 0, -1, null))
                    .isInstanceOf(IllegalArgumentException.class);
            // another model has its own field and dimension
            FaceEvent other = face("j", 2, 0, new float[] {0, 1});
            other.setModel("OtherNet");
            index.put("j/2/0", other);
            index.commit(Map.of());
            assertThat(FaceIndex.vectorField("OtherNet")).isEqualTo("vec.othernet");
            assertThat(index.search("othernet", new float[] {0, 2}, 5, -1, null)).singleElement()
                    .satisfies(m -> assertThat(m.cosine()).isCloseTo(1.0, within(1e-6)));
            List<FaceIndex.Match> m = index.search("faceres", new float[] {0.6f, 0.8f, 0, 0}, 5, -1, null);
            assertThat(m).singleElement().satisfies(x -> assertThat(x.cosine()).isCloseTo(0.6 * 0.6 + 0.8 * 0.8, within(1e-6)));
            assertThat(index.count()).isEqualTo(2);
        }
    }

    static List<Integer> bruteForce(List<float[]> all, float[] query, int k) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ids.add(i);
        }
        ids.sort(Comparator.comparingDouble((Integer i) -> -dot(all.get(i), query)).thenComparingInt(i -> i));
        return ids.subList(0, k);
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return s / Math.sqrt(na * nb);
    }
}
