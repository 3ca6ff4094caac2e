package io.argus.aggregator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.PlateEvent;
import io.argus.schemas.avro.PlateRead;

/**
 * One plate per vehicle track from the reads of its frames (op {@code plate} tracked): two cars
 * driving right, each read on most of its frames with a few misreads, blurred reads and an
 * unreadable one; while they are in view each track's plate so far is published, and after the
 * job's end the last record per car holds the voted text, the strongest read's frame and boxes,
 * and the raw reads.
 */
class PlateVotingTopologyTest {

    static Detection car(double cx, double cy, String text, float score, float sharpness, boolean readable) {
        Detection d = TrackingTopologyTest.det("car", cx, cy, 200, 120);
        if (text == null) {
            return d;
        }
        Box b = d.getBox();
        PlateRead p = PlateRead.newBuilder().setText(readable ? text : "").setRaw(text).setScore(score)
                .setReadable(readable).setSharpness(sharpness)
                .setBox(new Box(b.getLeft() + 60, b.getBottom() - 30, b.getLeft() + 140, b.getBottom() - 10)).build();
        return Detection.newBuilder(d).setPlate(p).build();
    }

    @Test
    void eachTrackGetsOneVotedPlate() {
        try (TrackingDriver d = new TrackingDriver()) {
            d.pipe(TrackingTopologyTest.begin("p1", TrackingTopologyTest.spec(2000)));
            String[] reads1 = {"LS15EBC", "LS15EBC", "L515EBC", "LS15EBC", null, "LS1SEBC", "LS15EBC", "LS15E8C",
                "LS15EBC", "LS15EBC"};
            String[] reads2 = {"AB12CDE", "AB12CDE", "A812CDE", "AB12CDE", "AB12COE", "AB12CDE", "AB12CDE", "AB12CD",
                "AB12CDE", "AB12CDE"};
            List<FrameResult> results = new ArrayList<>();
            for (int f = 0; f < 12; f++) {
                List<Detection> dets = new ArrayList<>();
                if (f < 10) {
                    // misreads are blurred (low sharpness), the others sharp; frame 4's plate of car 1 unreadable
                    boolean sharp1 = reads1[f] == null || reads1[f].equals("LS15EBC");
                    dets.add(car(100 + 40 * f, 200, reads1[f] == null ? "LS" : reads1[f], 0.9f, sharp1 ? 400 : 30,
                            reads1[f] != null));
                    boolean sharp2 = reads2[f].equals("AB12CDE");
                    dets.add(car(100 + 40 * f, 520, reads2[f], sharp2 ? 0.95f : 0.6f, sharp2 ? 500 : 40, true));
                }
                results.add(TrackingTopologyTest.result("p1", f, dets));
            }
            results.subList(0, 6).forEach(d::pipe);
            // while the cars are in view, each track's plate so far is published (a live camera's
            // plates are searchable before the vehicle leaves)
            List<KeyValue<String, PlateEvent>> early = d.plates();
            assertThat(early).extracting(kv -> kv.key).contains("p1/1", "p1/2");
            assertThat(early.stream().filter(kv -> kv.key.equals("p1/2")).reduce((a, b) -> b).orElseThrow().value.getText())
                    .isEqualTo("AB12CDE");
            results.subList(6, results.size()).forEach(d::pipe);
            d.pipe(Fixtures.end("p1", 12));

            // the last record of each key (the topic is compacted) is the track's final vote
            java.util.Map<String, PlateEvent> last = new java.util.TreeMap<>();
            early.forEach(kv -> last.put(kv.key, kv.value));
            d.plates().forEach(kv -> last.put(kv.key, kv.value));
            List<KeyValue<String, PlateEvent>> plates = last.entrySet().stream()
                    .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
            assertThat(plates).extracting(kv -> kv.key).containsExactlyInAnyOrder("p1/1", "p1/2");
            PlateEvent one = plates.stream().filter(kv -> kv.key.equals("p1/1")).findFirst().orElseThrow().value;
            PlateEvent two = plates.stream().filter(kv -> kv.key.equals("p1/2")).findFirst().orElseThrow().value;
            assertThat(one.getText()).isEqualTo("LS15EBC");
            assertThat(two.getText()).isEqualTo("AB12CDE");
            assertThat(one.getLabel()).isEqualTo("car");
            assertThat(one.getReads()).hasSize(9).contains("L515EBC", "LS1SEBC"); // the unreadable one is not a read
            assertThat(one.getConfidence()).isBetween(0.8f, 1f);
            assertThat(one.getFrameUri()).startsWith("file:///frames/p1/");
            // the best read's boxes: the plate inside the vehicle
            assertThat(one.getPlateBox().getLeft()).isGreaterThan(one.getVehicleBox().getLeft());
            assertThat(one.getPlateBox().getBottom()).isLessThan(one.getVehicleBox().getBottom());
            assertThat(one.getBestOffsetMs()).isBetween(0L, 1800L);
            assertThat(two.getFirstSeenMs()).isZero();
            assertThat(two.getLastSeenMs()).isEqualTo(1800L);
        }
    }
}
