package io.argus.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.launcher.eval.Matching.Outcome;

class MatchingTest {

    private static final EvalBox A = new EvalBox(0, 0, 10, 10);

    private static List<Outcome> outcomes(Matching.Result r) {
        return r.scored().stream().map(Matching.Scored::outcome).toList();
    }

    @Test
    void onePredictionPerTruthTheBestScoreFirst() {
        // Both overlap A; the 0.9 one takes it although the 0.8 one fits better (greedy by score, as VOC).
        Matching.Result r = Matching.match(List.of(
                new Prediction("car", A, 0.8f),
                new Prediction("car", new EvalBox(0, 0, 10, 6), 0.9f)),
                List.of(new GroundTruth("car", A, false)), "car", 0.5);
        assertEquals(List.of(Outcome.TRUE_POSITIVE, Outcome.FALSE_POSITIVE), outcomes(r));
        assertEquals(0.9f, r.scored().get(0).prediction().score());
        assertEquals(1, r.matched());
        assertEquals(1, r.truePositives());
        assertEquals(1, r.falsePositives());
    }

    @Test
    void iouThresholdIsInclusive() {
        // [0,0,10,5] on [0,0,10,10]: IoU 50/100 = 0.5 exactly; [0,0,10,4.9]: 0.49.
        assertEquals(List.of(Outcome.TRUE_POSITIVE), outcomes(Matching.match(
                List.of(new Prediction("person", new EvalBox(0, 0, 10, 5), 0.5f)),
                List.of(new GroundTruth("person", A, false)), "person", 0.5)));
        assertEquals(List.of(Outcome.FALSE_POSITIVE), outcomes(Matching.match(
                List.of(new Prediction("person", new EvalBox(0, 0, 10, 4.9), 0.5f)),
                List.of(new GroundTruth("person", A, false)), "person", 0.5)));
        // the same box passes at 0.4
        assertEquals(List.of(Outcome.TRUE_POSITIVE), outcomes(Matching.match(
                List.of(new Prediction("person", new EvalBox(0, 0, 10, 4.9), 0.5f)),
                List.of(new GroundTruth("person", A, false)), "person", 0.4)));
    }

    @Test
    void aPredictionTakesTheTruthItOverlapsMost() {
        EvalBox b = new EvalBox(4, 0, 14, 10);
        // [3,0,13,10]: IoU with A 7/13 = 0.54, with B 9/11 = 0.82 -> B; then [0,0,10,10] takes A.
        Matching.Result r = Matching.match(List.of(
                new Prediction("person", new EvalBox(3, 0, 13, 10), 0.9f),
                new Prediction("person", A, 0.8f)),
                List.of(new GroundTruth("person", A, false), new GroundTruth("person", b, false)), "person", 0.5);
        assertEquals(List.of(Outcome.TRUE_POSITIVE, Outcome.TRUE_POSITIVE), outcomes(r));
        assertEquals(2, r.matched());
    }

    @Test
    void ignoreBoxesAreNeitherRequiredNorPenalised() {
        EvalBox far = new EvalBox(100, 100, 110, 110);
        Matching.Result r = Matching.match(List.of(
                new Prediction("person", far, 0.9f),
                new Prediction("person", far, 0.7f),
                new Prediction("person", new EvalBox(200, 200, 210, 210), 0.6f)),
                List.of(new GroundTruth("person", far, true), new GroundTruth("person", A, true)), "person", 0.5);
        assertEquals(List.of(Outcome.IGNORED, Outcome.IGNORED, Outcome.FALSE_POSITIVE), outcomes(r));
        assertEquals(0, r.positives()); // the unmatched ignore box A is not a miss
        // a required truth wins over an ignore box under the same prediction
        Matching.Result both = Matching.match(List.of(new Prediction("person", A, 0.9f)),
                List.of(new GroundTruth("person", A, true), new GroundTruth("person", A, false)), "person", 0.5);
        assertEquals(List.of(Outcome.TRUE_POSITIVE), outcomes(both));
        assertEquals(1, both.positives());
    }

    @Test
    void otherClassesPlayNoPart() {
        Matching.Result r = Matching.match(List.of(new Prediction("truck", A, 0.9f)),
                List.of(new GroundTruth("car", A, false)), "car", 0.5);
        assertEquals(List.of(), r.scored());
        assertEquals(1, r.positives());
        assertEquals(0, r.matched());
        assertEquals(List.of(), Matching.match(List.of(new Prediction("truck", A, 0.9f)),
                List.of(new GroundTruth("car", A, false)), "truck", 0.5).scored().stream()
                .filter(s -> s.outcome() != Outcome.FALSE_POSITIVE).toList());
    }

    @Test
    void badThresholdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Matching.match(List.of(), List.of(), "car", 0));
        assertThrows(IllegalArgumentException.class, () -> Matching.match(List.of(), List.of(), "car", 1.5));
    }
}
