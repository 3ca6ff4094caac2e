package io.argus.launcher.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores of one op on an evaluation set:
 * <ul>
 *   <li>per class: truths to find (ignore boxes left out), the op's predictions at its own
 *       threshold, true and false positives ({@link Matching} at the IoU threshold), precision =
 *       TP / (TP + FP), recall = TP / truths, and AP ({@link AveragePrecision}) over the ranking run;
 *       the mean AP over the classes that have truths and that the op can report;</li>
 *   <li>the same for the {@code vehicle} group (car, motorcycle, bus, truck as one class: the
 *       traffic view's grouping, so a car found as a truck counts), outside the mean;</li>
 *   <li>per-frame counting error at the op's threshold, for persons ({@code person}) and vehicles
 *       ({@link #VEHICLES}): |predicted count − true count|, where predictions that fall only on
 *       ignore boxes and the ignore boxes themselves are not counted; mean over the frames and the
 *       share of frames where it is 0.</li>
 * </ul>
 */
public final class EvalReport {

    /** Classes scored, in COCO id order, when the set and the op have them. */
    public static final List<String> CLASSES = List.of("person", "bicycle", "car", "motorcycle", "bus", "truck");
    /** Classes counted as vehicles (as the traffic view groups them; bicycle is not one). */
    public static final Set<String> VEHICLES = Set.of("car", "motorcycle", "bus", "truck");

    /**
     * One class.
     *
     * @param label       class name
     * @param truths      boxes to find
     * @param predictions predictions at the op's threshold (those on ignore boxes left out)
     * @param tp          true positives at the op's threshold
     * @param fp          false positives at the op's threshold
     * @param precision   tp / (tp + fp), NaN without predictions
     * @param recall      tp / truths, NaN without truths
     * @param ap          AP at the IoU threshold, NaN without truths
     */
    public record ClassRow(String label, int truths, int predictions, int tp, int fp, double precision,
                           double recall, double ap) {
    }

    /**
     * Per-frame counting error of a group of classes.
     *
     * @param group       "persons" or "vehicles"
     * @param frames      frames scored (all of the set)
     * @param trueObjects objects of the group over all frames
     * @param meanError   mean of |predicted − true| per frame
     * @param exactShare  share of frames with error 0, in [0, 1]
     */
    public record CountRow(String group, int frames, int trueObjects, double meanError, double exactShare) {
    }

    /**
     * @param op         op name
     * @param classes    one row per scored class
     * @param meanAp     mean AP over the classes with truths, NaN when none
     * @param counts     counting errors of the groups the op can report
     * @param msPerFrame mean op time per frame, ms
     * @param iou        IoU threshold of a match
     * @param groups     the traffic view's groups scored as one class each ({@code vehicle}: car,
     *                   motorcycle, bus and truck, any of them matching any), not in the mean
     * @param clips      the people and vehicles of each clip apart, in clip order; empty when the
     *                   set has one clip
     */
    public record OpScores(String op, List<ClassRow> classes, double meanAp, List<CountRow> counts, double msPerFrame,
                           double iou, List<ClassRow> groups, List<ClipRow> clips) {
    }

    /**
     * People and vehicles of one clip: where an op's misses and false boxes are.
     *
     * @param clip     the clip's name
     * @param frames   its annotated frames
     * @param person   the person class on the clip, null when the op has no person class
     * @param persons  the person count on the clip, null likewise
     * @param vehicle  the vehicle group on the clip, null when the op has no vehicle class
     * @param vehicles the vehicle count on the clip, null likewise
     */
    public record ClipRow(String clip, int frames, ClassRow person, CountRow persons, ClassRow vehicle,
                          CountRow vehicles) {
    }

    private EvalReport() {
    }

    /**
     * @param set the evaluation set
     * @param run the op's predictions on it
     * @param iou IoU threshold of a match (0.5 for AP@0.5)
     * @return the scores
     */
    public static OpScores score(CocoSet set, DetectorEval.Run run, double iou) {
        List<ClassRow> rows = new ArrayList<>();
        double apSum = 0;
        int apClasses = 0;
        for (String label : CLASSES) {
            if (!run.labels().contains(label) || !set.categories().containsValue(label)) {
                continue;
            }
            ClassRow row = row(set, run, label, Set.of(label), iou);
            if (!Double.isNaN(row.ap())) {
                apSum += row.ap();
                apClasses++;
            }
            rows.add(row);
        }
        List<ClassRow> groups = new ArrayList<>();
        if (run.labels().stream().anyMatch(VEHICLES::contains) && VEHICLES.stream()
                .anyMatch(set.categories()::containsValue)) {
            groups.add(row(set, run, "vehicle", VEHICLES, iou));
        }
        List<CountRow> counts = new ArrayList<>();
        if (run.labels().contains("person")) {
            counts.add(count(set, run, "persons", Set.of("person"), iou));
        }
        if (run.labels().stream().anyMatch(VEHICLES::contains)) {
            counts.add(count(set, run, "vehicles", VEHICLES, iou));
        }
        return new OpScores(run.op(), rows, apClasses == 0 ? Double.NaN : apSum / apClasses, counts, run.msPerFrame(),
                iou, groups, set.clips().size() > 1 ? byClip(set, run, iou) : List.of());
    }

    private static List<ClipRow> byClip(CocoSet set, DetectorEval.Run run, double iou) {
        boolean people = run.labels().contains("person");
        boolean vehicles = run.labels().stream().anyMatch(VEHICLES::contains);
        List<ClipRow> out = new ArrayList<>();
        for (String clip : set.clips()) {
            CocoSet one = new CocoSet(set.images().stream().filter(i -> i.clip().equals(clip)).toList(),
                    set.categories());
            out.add(new ClipRow(clip, one.images().size(),
                    people ? row(one, run, "person", Set.of("person"), iou) : null,
                    people ? count(one, run, "persons", Set.of("person"), iou) : null,
                    vehicles ? row(one, run, "vehicle", VEHICLES, iou) : null,
                    vehicles ? count(one, run, "vehicles", VEHICLES, iou) : null));
        }
        return out;
    }

    /**
     * Scores the classes of a group as one class: predictions and truths of any of them are
     * relabelled with the group's name before matching, so a car found as a truck is a true
     * positive of the group (as the traffic view counts both as vehicles).
     */
    private static ClassRow row(CocoSet set, DetectorEval.Run run, String name, Set<String> labels, double iou) {
        int truths = 0;
        int tp = 0;
        int fp = 0;
        List<Matching.Scored> ranked = new ArrayList<>();
        for (CocoSet.Image image : set.images()) {
            List<GroundTruth> gt = image.truths().stream().filter(t -> labels.contains(t.label()))
                    .map(t -> new GroundTruth(name, t.box(), t.ignore())).toList();
            Matching.Result at = Matching.match(relabel(run.atThreshold().get(image.id()), labels, name), gt, name, iou);
            truths += at.positives();
            tp += (int) at.truePositives();
            fp += (int) at.falsePositives();
            ranked.addAll(Matching.match(relabel(run.ranked().get(image.id()), labels, name), gt, name, iou).scored());
        }
        double ap = AveragePrecision.of(ranked, truths);
        return new ClassRow(name, truths, tp + fp, tp, fp, tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp),
                truths == 0 ? Double.NaN : (double) tp / truths, ap);
    }

    private static List<Prediction> relabel(List<Prediction> predictions, Set<String> labels, String name) {
        return predictions.stream().filter(p -> labels.contains(p.label()))
                .map(p -> labels.size() == 1 ? p : new Prediction(name, p.box(), p.score())).toList();
    }

    private static CountRow count(CocoSet set, DetectorEval.Run run, String group, Set<String> labels, double iou) {
        double errorSum = 0;
        int exact = 0;
        int objects = 0;
        for (CocoSet.Image image : set.images()) {
            int truth = 0;
            int predicted = 0;
            for (String label : labels) {
                Matching.Result r = Matching.match(run.atThreshold().get(image.id()), image.truths(), label, iou);
                truth += r.positives();
                predicted += (int) (r.truePositives() + r.falsePositives());
            }
            objects += truth;
            int error = Math.abs(predicted - truth);
            errorSum += error;
            if (error == 0) {
                exact++;
            }
        }
        int n = set.images().size();
        return new CountRow(group, n, objects, n == 0 ? Double.NaN : errorSum / n, n == 0 ? Double.NaN : (double) exact / n);
    }

    /**
     * @param s scores of one op
     * @return the scores as Markdown tables (also readable as plain text)
     */
    public static String tables(OpScores s) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Op `%s` (the op alone: %.1f ms per frame, mean over the set):%n%n", s.op(), s.msPerFrame()));
        md.append(String.format(Locale.ROOT,
                "| class | truths | predictions | TP | FP | precision | recall | AP@%.2f |%n", s.iou()));
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ClassRow r : s.classes()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %s |%n", r.label(), r.truths(),
                    r.predictions(), r.tp(), r.fp(), num(r.precision()), num(r.recall()), num(r.ap())));
        }
        md.append(String.format(Locale.ROOT, "| **mean** (classes with truths) | | | | | | | **%s** |%n", num(s.meanAp())));
        for (ClassRow r : s.groups()) {
            md.append(String.format(Locale.ROOT, "| %s (group: any of %s) | %d | %d | %d | %d | %s | %s | %s |%n", r.label(),
                    String.join(", ", CLASSES.stream().filter(VEHICLES::contains).toList()), r.truths(), r.predictions(),
                    r.tp(), r.fp(), num(r.precision()), num(r.recall()), num(r.ap())));
        }
        md.append('\n');
        if (!s.counts().isEmpty()) {
            md.append("| count | frames | objects | mean abs. error per frame | frames exact |\n");
            md.append("|---|---:|---:|---:|---:|\n");
            for (CountRow c : s.counts()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.0f%% |%n", c.group(), c.frames(),
                        c.trueObjects(), c.meanError(), c.exactShare() * 100));
            }
            md.append('\n');
        }
        if (!s.clips().isEmpty()) {
            md.append("By clip, at the op's threshold (recall / precision; count: frames exact):\n\n");
            md.append("| clip | frames | people | person recall / precision | person count | vehicles | vehicle recall / precision | vehicle count |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (ClipRow c : s.clips()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", c.clip(), c.frames(),
                        c.person() == null ? "–" : String.valueOf(c.person().truths()), pair(c.person()), exact(c.persons()),
                        c.vehicle() == null ? "–" : String.valueOf(c.vehicle().truths()), pair(c.vehicle()),
                        exact(c.vehicles())));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String pair(ClassRow r) {
        return r == null ? "–" : num(r.recall()) + " / " + num(r.precision());
    }

    private static String exact(CountRow c) {
        return c == null ? "–" : String.format(Locale.ROOT, "%.0f%%", c.exactShare() * 100);
    }

    /**
     * @param counts counts by name
     * @return {@code "name n, name n"}
     */
    static String list(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
