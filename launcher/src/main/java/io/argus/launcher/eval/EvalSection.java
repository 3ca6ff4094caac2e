package io.argus.launcher.eval;

import java.util.List;
import java.util.Locale;

/** The BENCHMARKS.md section of {@code argus eval --write}: the set, the method and each op's scores. */
public final class EvalSection {

    /** Heading of the section, used to replace it in an existing report. */
    public static final String HEADING = "## Detection accuracy on the labelled set";

    private EvalSection() {
    }

    /**
     * @param set           the evaluation set
     * @param scores        one entry per op
     * @param rankThreshold score threshold of the ranking run
     * @param machine       one line on where it ran (cores, Java version, date)
     * @return the section as Markdown, starting with a newline and {@link #HEADING}
     */
    public static String render(CocoSet set, List<EvalReport.OpScores> scores, float rankThreshold, String machine) {
        StringBuilder md = new StringBuilder("\n" + HEADING + "\n\n");
        md.append("Rerun with `./argus eval --write` (this section is replaced). ").append(machine).append("\n\n");
        md.append(String.format(Locale.ROOT, "Set: `eval/annotations.json` (COCO JSON, boxes drawn and checked by eye; "
                + "provenance and method in `eval/README.md`), %d frames (%s); boxes to find: %s; ignore boxes "
                + "(neither required nor penalised): %s. ", set.images().size(), EvalReport.list(set.framesPerClip()),
                EvalReport.list(set.boxCounts(false)), EvalReport.list(set.boxCounts(true))));
        md.append(String.format(Locale.ROOT, "Each op runs on the decoded frames as a job runs it (its own score "
                + "threshold) for predictions, TP, FP, precision, recall and counts, and once more with params "
                + "`{\"threshold\": %.2f}` for the ranking behind AP. Matching: greedy by score, one prediction per "
                + "truth, IoU >= %.2f (PASCAL VOC); AP: all-point interpolated area under the precision/recall "
                + "curve (VOC 2010+). Counts: |predicted − true| per frame at the op's threshold, persons = person, "
                + "vehicles = car + truck + bus + motorcycle. Classes without truths in the set show –.%n%n",
                rankThreshold, scores.isEmpty() ? 0.5 : scores.get(0).iou()));
        for (EvalReport.OpScores s : scores) {
            md.append(EvalReport.tables(s));
        }
        return md.toString();
    }
}
