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
     * @param label class label
     * @param score confidence in [0, 1]
     * @param box   box in frame pixels
     * @return a detection without a plate or other extras
     */
    public static Detection detection(String label, float score, io.argus.schemas.avro.Box box) {
        return Detection.newBuilder().setLabel(label).setScore(score).setBox(box).build();
    }

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

    /**
     * Appends one detection to an op's raw result in the original Argus detection shape
     * ({@code {"index", "class", "score", "pts": [[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}}, pixels,
     * clockwise from the top-left corner; argus-video-api.md, detection results).
     *
     * @param list  the result's {@code detections} array
     * @param index class index as the model numbers it (1-based for COCO)
     * @param label class label
     * @param score score in [0, 1]
     * @param box   box in frame pixels
     * @return the appended entry, for op-specific fields
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode addDetection(
            com.fasterxml.jackson.databind.node.ArrayNode list, int index, String label, float score,
            io.argus.schemas.avro.Box box) {
        com.fasterxml.jackson.databind.node.ObjectNode d = list.addObject();
        d.put("index", index);
        d.put("class", label);
        d.put("score", score);
        com.fasterxml.jackson.databind.node.ArrayNode pts = d.putArray("pts");
        pts.addArray().add(box.getLeft()).add(box.getTop());
        pts.addArray().add(box.getRight()).add(box.getTop());
        pts.addArray().add(box.getRight()).add(box.getBottom());
        pts.addArray().add(box.getLeft()).add(box.getBottom());
        return d;
    }
}
