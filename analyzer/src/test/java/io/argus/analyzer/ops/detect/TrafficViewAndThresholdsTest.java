package io.argus.analyzer.ops.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.OpOutput;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;

/** The traffic grouping of COCO classes and the per-class threshold text. */
class TrafficViewAndThresholdsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void groupsRoadUsersKeepsTheirClassesAndDropsTheRest() throws Exception {
        List<Detection> ds = List.of(
                io.argus.analyzer.op.OpOutput.detection("person", 0.7f, new Box(1, 1, 5, 9)),
                io.argus.analyzer.op.OpOutput.detection("truck", 0.6f, new Box(10, 10, 50, 40)),
                io.argus.analyzer.op.OpOutput.detection("car", 0.8f, new Box(60, 10, 90, 30)),
                io.argus.analyzer.op.OpOutput.detection("dog", 0.9f, new Box(0, 0, 3, 3)),
                io.argus.analyzer.op.OpOutput.detection("bicycle", 0.5f, new Box(5, 5, 9, 9)));
        ObjectNode raw = JSON.createObjectNode();
        ArrayNode list = raw.putArray("detections");
        int i = 0;
        for (Detection d : ds) {
            OpOutput.addDetection(list, ++i, d.getLabel(), d.getScore(), d.getBox());
        }
        OpOutput out = TrafficView.group(new OpOutput(OpOutput.labelsOf(ds), ds, raw.toString()));
        assertThat(out.labels()).extracting(l -> l.getLabel() + "=" + l.getScore())
                .containsExactly("pedestrian=0.7", "vehicle=0.8");
        assertThat(out.detections()).extracting(Detection::getLabel).containsExactly("person", "truck", "car", "bicycle");
        JsonNode entries = JSON.readTree(out.resultJson()).get("detections");
        assertThat(entries).hasSize(4);
        assertThat(entries.get(1).get("class").asText()).isEqualTo("truck");
        assertThat(entries.get(1).get("group").asText()).isEqualTo("vehicle");
        assertThat(entries.get(0).get("group").asText()).isEqualTo("pedestrian");
        assertThat(entries.get(1).get("pts").get(2).get(0).asInt()).isEqualTo(50);
    }

    @Test
    void classThresholdsParseAndRefuseBadItems() {
        List<String> labels = List.of("person", "car", "");
        ClassThresholds t = ClassThresholds.parse(" person:0.3 , car : 0.45,", labels);
        assertThat(t.of("person", 0.5f)).isEqualTo(0.3f);
        assertThat(t.of("car", 0.5f)).isEqualTo(0.45f);
        assertThat(t.of("bus", 0.5f)).isEqualTo(0.5f);
        assertThat(t.lowest(0.5f)).isEqualTo(0.3f);
        assertThat(t.lowest(0.2f)).isEqualTo(0.2f);
        assertThatThrownBy(() -> ClassThresholds.parse("person", labels)).hasMessageContaining("not label:score");
        assertThatThrownBy(() -> ClassThresholds.parse("person:x", labels)).hasMessageContaining("no number");
        assertThatThrownBy(() -> ClassThresholds.parse("person:1.5", labels)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ClassThresholds.parse("horse:0.5", labels)).hasMessageContaining("unknown label horse");
        assertThatThrownBy(() -> ClassThresholds.parse(":0.5", labels)).hasMessageContaining("not label:score");
    }

    /**
     * One vehicle is one box: a car at 0.8 and a truck at 0.6 on the same spot keep the car; a
     * truck next to it (IoU under 0.7) stays; a bicycle inside the car's box and a person stay
     * (not in the group); two overlapping cars are left to the per-class NMS.
     */
    @Test
    void vehiclesAreSuppressedAcrossTheirClassesOnly() {
        List<String> labels = List.of("person", "bicycle", "car", "truck");
        java.util.function.IntPredicate vehicle = c -> OnnxDetectorOp.VEHICLES.contains(labels.get(c));
        Candidate car = new Candidate(10, 10, 110, 60, 2, 0.8f);
        Candidate sameAsTruck = new Candidate(12, 11, 111, 62, 3, 0.6f);
        Candidate nextTruck = new Candidate(80, 10, 180, 60, 3, 0.5f);
        Candidate bicycle = new Candidate(12, 11, 111, 62, 1, 0.7f);
        Candidate person = new Candidate(12, 11, 111, 62, 0, 0.9f);
        Candidate secondCar = new Candidate(11, 10, 110, 61, 2, 0.4f);
        List<Candidate> kept = ClassNms.acrossGroup(List.of(sameAsTruck, car, nextTruck, bicycle, person, secondCar),
                vehicle, OnnxDetectorOp.VEHICLE_IOU);
        assertThat(kept).containsExactly(person, car, bicycle, nextTruck, secondCar);
    }
}
