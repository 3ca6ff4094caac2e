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

    /**
     * Two clips: "a" has one person, found, and one false person; "b" has two people, one found.
     * Per clip: a recall 1, precision 1/2, count exact on 0 of 1 frames; b recall 1/2, precision
     * 1, count exact on 0 of 1; a one-clip set has no clip rows.
     */
    @Test
    void eachClipIsScoredApart() {
        EvalBox p1 = new EvalBox(10, 10, 40, 90);
        EvalBox p2 = new EvalBox(100, 10, 130, 90);
        CocoSet set = new CocoSet(List.of(
                new CocoSet.Image(1, "a", 0, 320, 240, List.of(new GroundTruth("person", p1, false))),
                new CocoSet.Image(2, "b", 0, 320, 240, List.of(new GroundTruth("person", p1, false),
                        new GroundTruth("person", p2, false)))), Map.of(1, "person"));
        Map<Integer, List<Prediction>> found = Map.of(
                1, List.of(new Prediction("person", p1, 0.9f), new Prediction("person", p2, 0.5f)),
                2, List.of(new Prediction("person", p2, 0.7f)));
        EvalReport.OpScores s = EvalReport.score(set,
                new DetectorEval.Run("person", List.of("person"), found, found, 0.1f, 1.0), 0.5);

        assertThat(s.clips()).extracting(EvalReport.ClipRow::clip).containsExactly("a", "b");
        EvalReport.ClipRow a = s.clips().get(0);
        EvalReport.ClipRow b = s.clips().get(1);
        assertThat(a.person().recall()).isEqualTo(1.0);
        assertThat(a.person().precision()).isEqualTo(0.5);
        assertThat(b.person().truths()).isEqualTo(2);
        assertThat(b.person().recall()).isEqualTo(0.5);
        assertThat(b.person().precision()).isEqualTo(1.0);
        assertThat(a.persons().exactShare()).isZero();
        assertThat(b.persons().exactShare()).isZero();
        assertThat(a.vehicle()).isNull();
        assertThat(EvalReport.tables(s)).contains("| b | 1 | 2 | 0.500 / 1.000 | 0% | – | – | – |");
        CocoSet onlyA = new CocoSet(List.of(set.images().get(0)), set.categories());
        assertThat(EvalReport.score(onlyA, new DetectorEval.Run("person", List.of("person"), found, found, 0.1f, 1.0),
                0.5).clips()).isEmpty();
    }
}
