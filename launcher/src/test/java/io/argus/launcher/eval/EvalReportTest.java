package io.argus.launcher.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The vehicle group on a hand-made case: one frame with a car and a bus; the detector calls the car
 * a truck and finds the bus, and adds a false car elsewhere. Per class: car 0 of 1 found (one false
 * positive), bus 1 of 1, truck 1 false positive; as the group: 2 of 2 vehicles found, 1 false
 * positive, precision 2/3, recall 1.
 */
class EvalReportTest {

    @Test
    void theVehicleGroupMatchesAcrossItsClasses() {
        EvalBox car = new EvalBox(10, 10, 60, 40);
        EvalBox bus = new EvalBox(100, 10, 200, 80);
        CocoSet set = new CocoSet(List.of(new CocoSet.Image(1, "c", 0, 320, 240, List.of(
                new GroundTruth("car", car, false), new GroundTruth("bus", bus, false)))),
                Map.of(3, "car", 6, "bus", 8, "truck"));
        List<Prediction> predictions = List.of(new Prediction("truck", car, 0.8f), new Prediction("bus", bus, 0.9f),
                new Prediction("car", new EvalBox(250, 150, 300, 200), 0.6f));
        DetectorEval.Run run = new DetectorEval.Run("traffic", List.of("car", "bus", "truck"), Map.of(1, predictions),
                Map.of(1, predictions), 0.1f, 1.0);
        EvalReport.OpScores s = EvalReport.score(set, run, 0.5);

        EvalReport.ClassRow carRow = s.classes().stream().filter(r -> r.label().equals("car")).findFirst().orElseThrow();
        assertThat(carRow.tp()).isZero();
        assertThat(carRow.fp()).isEqualTo(1);
        assertThat(carRow.recall()).isZero();
        assertThat(s.groups()).hasSize(1);
        EvalReport.ClassRow vehicles = s.groups().get(0);
        assertThat(vehicles.label()).isEqualTo("vehicle");
        assertThat(vehicles.truths()).isEqualTo(2);
        assertThat(vehicles.tp()).isEqualTo(2);
        assertThat(vehicles.fp()).isEqualTo(1);
        assertThat(vehicles.precision()).isEqualTo(2.0 / 3);
        assertThat(vehicles.recall()).isEqualTo(1.0);
        // ranked 0.9 TP, 0.8 TP, 0.6 FP: precision 1 up to recall 1, so AP = 1
        assertThat(vehicles.ap()).isEqualTo(1.0);
        assertThat(EvalReport.tables(s)).contains("| vehicle (group: any of car, motorcycle, bus, truck) | 2 | 3 | 2 | 1 |");
    }
}
