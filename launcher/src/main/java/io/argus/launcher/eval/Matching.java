package io.argus.launcher.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Matches one frame's predictions of one class to its truths of that class, greedily by score, as
 * the PASCAL VOC development kit does ({@code VOCevaldet.m}; M. Everingham et al., "The PASCAL
 * Visual Object Classes (VOC) Challenge", IJCV 88(2), 2010, section 4.2) with COCO's handling of
 * ignored truths ({@code cocoeval.py}, {@code evaluateImg}):
 * <ol>
 *   <li>predictions are taken best score first (ties keep their input order);</li>
 *   <li>each is matched to the not yet matched, not ignored truth with which it has the highest
 *       IoU, if that IoU is {@code >= iouThreshold}: a true positive; one prediction per truth, so
 *       a second box on the same object is a false positive;</li>
 *   <li>otherwise, if it overlaps an ignored truth at IoU {@code >= iouThreshold}, it is
 *       {@link Outcome#IGNORED}: neither counted nor penalised (an ignored truth absorbs any number
 *       of predictions);</li>
 *   <li>otherwise it is a false positive.</li>
 * </ol>
 * Truths and predictions of other classes play no part.
 */
public final class Matching {

    /** What became of one prediction. */
    public enum Outcome {
        /** Matched a truth. */
        TRUE_POSITIVE,
        /** Matched nothing. */
        FALSE_POSITIVE,
        /** Fell on an ignored truth only. */
        IGNORED
    }

    /**
     * One prediction with its outcome.
     *
     * @param prediction the prediction
     * @param outcome    what it became
     */
    public record Scored(Prediction prediction, Outcome outcome) {
    }

    /**
     * The matching of one frame and class.
     *
     * @param scored    the predictions of the class, best score first, each with its outcome
     * @param positives truths of the class that are not ignored
     * @param matched   of those, how many a prediction matched
     */
    public record Result(List<Scored> scored, int positives, int matched) {

        /** @return predictions that matched a truth */
        public long truePositives() {
            return scored.stream().filter(s -> s.outcome() == Outcome.TRUE_POSITIVE).count();
        }

        /** @return predictions that matched nothing */
        public long falsePositives() {
            return scored.stream().filter(s -> s.outcome() == Outcome.FALSE_POSITIVE).count();
        }
    }

    private Matching() {
    }

    /**
     * @param predictions  one frame's predictions (any classes, any order)
     * @param truths       the frame's truths (any classes)
     * @param label        the class to match
     * @param iouThreshold minimum IoU of a match, in (0, 1]; 0.5 for AP@0.5
     * @return the outcome of each prediction of {@code label}
     * @throws IllegalArgumentException when {@code iouThreshold} is not in (0, 1]
     */
    public static Result match(List<Prediction> predictions, List<GroundTruth> truths, String label,
                               double iouThreshold) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        }
        List<Prediction> preds = new ArrayList<>();
        for (Prediction p : predictions) {
            if (p.label().equals(label)) {
                preds.add(p);
            }
        }
        preds.sort(Comparator.comparingDouble((Prediction p) -> p.score()).reversed()); // stable
        List<GroundTruth> required = new ArrayList<>();
        List<GroundTruth> ignored = new ArrayList<>();
        for (GroundTruth t : truths) {
            if (t.label().equals(label)) {
                (t.ignore() ? ignored : required).add(t);
            }
        }
        boolean[] taken = new boolean[required.size()];
        List<Scored> out = new ArrayList<>(preds.size());
        int matched = 0;
        for (Prediction p : preds) {
            int best = -1;
            double bestIou = iouThreshold;
            for (int i = 0; i < required.size(); i++) {
                double iou = p.box().iou(required.get(i).box());
                if (!taken[i] && iou >= bestIou) {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                matched++;
                out.add(new Scored(p, Outcome.TRUE_POSITIVE));
            } else if (ignored.stream().anyMatch(t -> p.box().iou(t.box()) >= iouThreshold)) {
                out.add(new Scored(p, Outcome.IGNORED));
            } else {
                out.add(new Scored(p, Outcome.FALSE_POSITIVE));
            }
        }
        return new Result(out, required.size(), matched);
    }
}
