package io.argus.launcher.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AveragePrecisionTest {

    private static Matching.Scored s(float score, Matching.Outcome outcome) {
        return new Matching.Scored(new Prediction("person", new EvalBox(0, 0, 1, 1), score), outcome);
    }

    @Test
    void handMadeRankingGivesTheAreaUnderTheInterpolatedCurve() {
        // 4 truths to find. Ranked by score (given out of order below, with one prediction on an ignore box):
        //   k  score  outcome  TP  recall  precision  interpolated (max of precision from k on)
        //   1  0.9    TP       1   0.25    1/1        1
        //   2  0.8    FP       1   0.25    1/2        2/3
        //   3  0.7    TP       2   0.50    2/3        2/3
        //   4  0.6    FP       2   0.50    2/4        1/2
        //   5  0.5    FP       2   0.50    2/5        1/2
        //   6  0.4    TP       3   0.75    3/6        1/2
        // AP = sum of (recall step) × interpolated precision
        //    = 0.25 × 1 + 0 × 2/3 + 0.25 × 2/3 + 0 + 0 + 0.25 × 1/2 = 1/4 + 1/6 + 1/8 = 13/24 ≈ 0.5417
        List<Matching.Scored> scored = new ArrayList<>(List.of(
                s(0.5f, Matching.Outcome.FALSE_POSITIVE), s(0.9f, Matching.Outcome.TRUE_POSITIVE),
                s(0.4f, Matching.Outcome.TRUE_POSITIVE), s(0.85f, Matching.Outcome.IGNORED),
                s(0.7f, Matching.Outcome.TRUE_POSITIVE), s(0.8f, Matching.Outcome.FALSE_POSITIVE),
                s(0.6f, Matching.Outcome.FALSE_POSITIVE)));
        assertEquals(13.0 / 24, AveragePrecision.of(scored, 4), 1e-12);
    }

    @Test
    void perfectRankingIsOneAndEmptyRankingIsZero() {
        // TP, TP, then FP: recall reaches 1 at precision 1 before the false positive.
        assertEquals(1.0, AveragePrecision.of(List.of(s(0.3f, Matching.Outcome.FALSE_POSITIVE),
                s(0.9f, Matching.Outcome.TRUE_POSITIVE), s(0.8f, Matching.Outcome.TRUE_POSITIVE)), 2), 1e-12);
        // FP first: precision 1/2 then 2/3, interpolated 2/3 for both steps: AP = 0.5 × 2/3 + 0.5 × 2/3 = 2/3.
        assertEquals(2.0 / 3, AveragePrecision.of(List.of(s(0.9f, Matching.Outcome.FALSE_POSITIVE),
                s(0.8f, Matching.Outcome.TRUE_POSITIVE), s(0.7f, Matching.Outcome.TRUE_POSITIVE)), 2), 1e-12);
        assertEquals(0.0, AveragePrecision.of(List.of(), 3), 0);
        assertTrue(Double.isNaN(AveragePrecision.of(List.of(s(0.9f, Matching.Outcome.FALSE_POSITIVE)), 0)));
    }

    @Test
    void fromBoxesThroughMatching() {
        // Two frames, person only. Frame 1: truths A [0,0,10,20] and B [50,0,60,20]; predictions
        // 0.9 on A (IoU 1), 0.6 on A again (duplicate), 0.3 far away. Frame 2: truth C [0,0,10,20] and
        // an ignore box D [100,100,110,120]; predictions 0.8 on D (ignored), 0.7 on C shifted by 2 px
        // (IoU 160/240 = 0.667 >= 0.5). Ranking without the ignored one:
        //   0.9 TP (r 1/3, p 1), 0.7 TP (r 2/3, p 1), 0.6 FP (p 2/3), 0.3 FP (p 1/2); B is never found.
        // AP = 1/3 × 1 + 1/3 × 1 = 2/3.
        List<GroundTruth> t1 = List.of(new GroundTruth("person", new EvalBox(0, 0, 10, 20), false),
                new GroundTruth("person", new EvalBox(50, 0, 60, 20), false));
        List<Prediction> p1 = List.of(new Prediction("person", new EvalBox(0, 0, 10, 20), 0.9f),
                new Prediction("person", new EvalBox(0, 0, 10, 20), 0.6f),
                new Prediction("person", new EvalBox(200, 200, 210, 220), 0.3f));
        List<GroundTruth> t2 = List.of(new GroundTruth("person", new EvalBox(0, 0, 10, 20), false),
                new GroundTruth("person", new EvalBox(100, 100, 110, 120), true));
        List<Prediction> p2 = List.of(new Prediction("person", new EvalBox(100, 100, 110, 120), 0.8f),
                new Prediction("person", new EvalBox(2, 0, 12, 20), 0.7f));
        Matching.Result r1 = Matching.match(p1, t1, "person", 0.5);
        Matching.Result r2 = Matching.match(p2, t2, "person", 0.5);
        List<Matching.Scored> all = new ArrayList<>(r1.scored());
        all.addAll(r2.scored());
        assertEquals(3, r1.positives() + r2.positives());
        assertEquals(2.0 / 3, AveragePrecision.of(all, r1.positives() + r2.positives()), 1e-12);
    }

    @Test
    void moreTruePositivesThanTruthsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AveragePrecision.of(
                List.of(s(0.9f, Matching.Outcome.TRUE_POSITIVE), s(0.8f, Matching.Outcome.TRUE_POSITIVE)), 1));
    }
}
