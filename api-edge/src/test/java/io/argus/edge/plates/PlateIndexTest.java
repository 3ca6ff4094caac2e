package io.argus.edge.plates;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.PlateEvent;

/** The plate index on disk: ranking with confusables, tombstones, offsets kept across a reopen. */
class PlateIndexTest {

    static PlateEvent plate(String job, long track, String text, float confidence) {
        return PlateEvent.newBuilder().setJobId(job).setVideoId("v").setTrackId(track).setLabel("car").setText(text)
                .setConfidence(confidence).setScore(0.9f).setReads(List.of(text)).setFirstSeenMs(0).setLastSeenMs(1000)
                .setBestOffsetMs(500).setFrameUri("file:///f.jpg").setVehicleBox(new Box(0, 0, 100, 80))
                .setPlateBox(new Box(30, 60, 70, 72)).build();
    }

    @Test
    void exactThenConfusableThenOtherEditsAndTombstonesAndOffsets(@TempDir Path dir) throws Exception {
        try (PlateIndex index = new PlateIndex(dir)) {
            index.put("j/1", plate("j", 1, "LS15EBC", 0.9f));
            index.put("j/2", plate("j", 2, "L515EBC", 0.9f));   // one confusable away
            index.put("j/3", plate("j", 3, "LS15EBX", 0.9f));   // one other edit away
            index.put("j/4", plate("j", 4, "AB12CDE", 0.9f));   // far
            index.put("j/5", plate("j", 5, "LS15EBC", 0.5f));   // the same plate, less sure
            index.commit(Map.of(0, 5L));
            List<PlateIndex.Match> m = index.search("LS15EBC", 10);
            assertThat(m).extracting(x -> x.event().get("track").asLong()).containsExactly(1L, 5L, 2L, 3L);
            assertThat(m).extracting(PlateIndex.Match::distance).containsExactly(0.0, 0.0, 0.5, 1.0);
            assertThat(index.search("AB12CDE", 10)).hasSize(1);
            assertThat(index.search("ZZ99ZZZ", 10)).isEmpty();
            // short queries match exactly only
            index.put("j/6", plate("j", 6, "AB1", 0.9f));
            index.put("j/7", plate("j", 7, "AB2", 0.9f));
            index.delete("j/4");
            index.commit(Map.of(0, 8L));
            assertThat(index.search("AB1", 10)).extracting(x -> x.event().get("text").asText()).containsExactly("AB1");
            assertThat(index.search("AB12CDE", 10)).isEmpty();
            assertThat(index.get("j/2")).isPresent();
            assertThat(index.get("j/2").get().get("vehicle_box").toString()).isEqualTo("[0,0,100,80]");
            assertThat(index.size()).isEqualTo(6);
        }
        try (PlateIndex again = new PlateIndex(dir)) {
            assertThat(again.offsets()).containsEntry(0, 8L);
            assertThat(again.size()).isEqualTo(6);
        }
    }

    @Test
    void aJobsKeysAreKnownAndForgottenAtOnce(@TempDir Path dir) throws Exception {
        try (PlateIndex index = new PlateIndex(dir)) {
            index.put("a/1", plate("a", 1, "LS15EBC", 0.9f));
            index.put("a/2", plate("a", 2, "AB12CDE", 0.9f));
            index.commit(Map.of(0, 2L));
            index.put("a/3", plate("a", 3, "XY99ZZZ", 0.9f)); // not committed yet: known all the same
            index.put("b/1", plate("b", 1, "LS15EBC", 0.8f));
            index.put("ab/1", plate("ab", 1, "LS15EBC", 0.7f)); // a job whose id starts like another's
            assertThat(index.keysOfJob("a")).containsExactlyInAnyOrder("a/1", "a/2", "a/3");
            assertThat(index.keysOfJob("nope")).isEmpty();
            index.forget(index.keysOfJob("a"));
            // gone from search before any commit; the other jobs' plates stay
            assertThat(index.search("LS15EBC", 10)).extracting(m -> m.event().get("job").asText())
                    .containsExactly("b", "ab");
            assertThat(index.search("AB12CDE", 10)).isEmpty();
            assertThat(index.get("a/1")).isEmpty();
            assertThat(index.keysOfJob("a")).isEmpty();
            index.commit(Map.of(0, 5L));
            assertThat(index.size()).isEqualTo(2);
        }
    }

    @Test
    void distanceCountsConfusablesAsHalfAndTranspositionsAsOne() {
        assertThat(PlateDistance.of("LS15EBC", "LS15EBC")).isZero();
        assertThat(PlateDistance.of("LS15EBC", "L515EBC")).isEqualTo(0.5);
        assertThat(PlateDistance.of("LS15EBC", "LS15EB")).isEqualTo(1.0);
        assertThat(PlateDistance.of("LS15EBC", "LS51EBC")).isEqualTo(1.0);
        assertThat(PlateDistance.of("ABC", "XYZ")).isEqualTo(3.0);
    }
}
