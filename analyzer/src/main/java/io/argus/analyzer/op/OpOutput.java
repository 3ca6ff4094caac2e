package io.argus.analyzer.op;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;

/**
 * What an op found on a frame.
 *
 * @param labels     one label per name with its highest score, scores in [0, 1]
 * @param detections objects with boxes in pixels (empty for classifiers)
 * @param resultJson the op's raw result as JSON (the spec's {@code cuts[].result})
 */
public record OpOutput(List<Label> labels, List<Detection> detections, String resultJson) {

    /**
     * Builds labels from detections: one label per class, with the highest score of that class
     * (DESIGN.md "Per-frame labels": duplicate labels keep the highest score).
     *
     * @param detections detections of one frame
     * @return labels in order of first appearance
     */
    public static List<Label> labelsOf(List<Detection> detections) {
        Map<String, Float> best = new LinkedHashMap<>();
        for (Detection d : detections) {
            best.merge(d.getLabel(), d.getScore(), Math::max);
        }
        List<Label> labels = new ArrayList<>();
        best.forEach((k, v) -> labels.add(new Label(k, v)));
        return labels;
    }
}
