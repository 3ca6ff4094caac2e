package io.argus.launcher.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Average precision of one class over a set of frames: the area under the precision/recall curve
 * with all-point interpolation, the definition of the PASCAL VOC challenge since 2010 (M.
 * Everingham, L. Van Gool, C. Williams, J. Winn, A. Zisserman, "The PASCAL Visual Object Classes
 * Challenge 2012 (VOC2012) Development Kit", section 3.4.1, and its {@code VOCap} function in
 * {@code VOCevaldet.m}):
 * <ol>
 *   <li>rank every prediction of the class over all frames by score, best first (ties keep their
 *       order);</li>
 *   <li>after the k-th prediction, recall r_k = TP_k / P and precision p_k = TP_k / k, where TP_k
 *       counts true positives among the first k and P the truths to find (ignored predictions,
 *       {@link Matching.Outcome#IGNORED}, are left out of the ranking);</li>
 *   <li>make precision monotone: p'_k = max over j {@code >=} k of p_j;</li>
 *   <li>AP = sum over k of (r_k − r_{k−1}) · p'_k, with r_0 = 0.</li>
 * </ol>
 * With the matching of {@link Matching} at IoU 0.5 this is AP@0.5 ("AP50" in COCO's terms; COCO
 * itself samples the curve at 101 recall points instead of all points, which differs slightly).
 */
public final class AveragePrecision {

    private AveragePrecision() {
    }

    /**
     * @param scored    the class's predictions over all frames with their outcomes, any order
     * @param positives number of truths to find (not ignored), over all frames
     * @return AP in [0, 1]; NaN when {@code positives} is 0 (undefined: nothing to find)
     * @throws IllegalArgumentException when {@code positives} is negative or smaller than the
     *                                  number of true positives
     */
    public static double of(List<Matching.Scored> scored, int positives) {
        if (positives < 0) {
            throw new IllegalArgumentException("negative number of truths");
        }
        List<Matching.Scored> ranked = new ArrayList<>();
        for (Matching.Scored s : scored) {
            if (s.outcome() != Matching.Outcome.IGNORED) {
                ranked.add(s);
            }
        }
        ranked.sort(Comparator.comparingDouble((Matching.Scored s) -> s.prediction().score()).reversed());
        int n = ranked.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int k = 0; k < n; k++) {
            if (ranked.get(k).outcome() == Matching.Outcome.TRUE_POSITIVE) {
                tp++;
            }
            recall[k] = positives == 0 ? 0 : (double) tp / positives;
            precision[k] = (double) tp / (k + 1);
        }
        if (tp > positives) {
            throw new IllegalArgumentException(tp + " true positives but only " + positives + " truths");
        }
        if (positives == 0) {
            return Double.NaN;
        }
        for (int k = n - 2; k >= 0; k--) {
            precision[k] = Math.max(precision[k], precision[k + 1]);
        }
        double ap = 0;
        double previous = 0;
        for (int k = 0; k < n; k++) {
            ap += (recall[k] - previous) * precision[k];
            previous = recall[k];
        }
        return ap;
    }
}
