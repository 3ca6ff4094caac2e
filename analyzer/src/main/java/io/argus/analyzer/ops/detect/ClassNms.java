package io.argus.analyzer.ops.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy ("hard") non-maximum suppression per class, as in the TF Object Detection API's
 * {@code multiclass_non_max_suppression} and {@code tf.image.non_max_suppression}: candidates are
 * taken by descending score, and one is dropped when its IoU with an already kept box of the same
 * class exceeds the threshold.
 */
public final class ClassNms {

    private ClassNms() {
    }

    /**
     * @param candidates boxes (not modified)
     * @param iouThreshold IoU above which the lower-scored box of a class is dropped, in [0, 1]
     * @param max maximum number of boxes returned (over all classes)
     * @return kept boxes, best score first
     */
    public static List<Candidate> apply(List<Candidate> candidates, float iouThreshold, int max) {
        return apply(candidates, iouThreshold, max, Candidate::iou);
    }

    /** An overlap measure of two boxes, in [0, 1]. */
    @FunctionalInterface
    public interface Overlap {
        /** @return the overlap of {@code a} and {@code b} */
        float of(Candidate a, Candidate b);
    }

    /**
     * Greedy per-class suppression with another overlap measure (e.g. intersection over the
     * smaller box, {@link TiledPass}).
     *
     * @param candidates boxes (not modified)
     * @param threshold  overlap above which the lower-scored box of a class is dropped, in [0, 1]
     * @param max        maximum number of boxes returned (over all classes)
     * @param overlap    the measure
     * @return kept boxes, best score first
     */
    public static List<Candidate> apply(List<Candidate> candidates, float threshold, int max, Overlap overlap) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sorted) {
            if (kept.size() >= max) {
                break;
            }
            boolean suppressed = false;
            for (Candidate k : kept) {
                if (k.cls() == c.cls() && overlap.of(k, c) > threshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }

    /**
     * Suppression across the classes of a group: of two boxes of the group's classes (e.g. a car
     * and a truck) overlapping above the threshold, the lower-scored goes, since one object has
     * one class. Ultralytics' {@code agnostic_nms}, restricted to a group; boxes of other classes
     * are kept as they are.
     *
     * @param found     boxes after per-class NMS (not modified)
     * @param inGroup   whether a class index belongs to the group
     * @param threshold IoU above which the lower-scored box is dropped, in [0, 1]
     * @return the kept boxes, best score first
     */
    public static List<Candidate> acrossGroup(List<Candidate> found, java.util.function.IntPredicate inGroup,
                                              float threshold) {
        List<Candidate> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sorted) {
            boolean suppressed = false;
            if (inGroup.test(c.cls())) {
                for (Candidate k : kept) {
                    if (k.cls() != c.cls() && inGroup.test(k.cls()) && k.iou(c) > threshold) {
                        suppressed = true;
                        break;
                    }
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }
}
