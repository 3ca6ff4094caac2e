package io.argus.analyzer.ops.detect;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything an {@link OnnxDetectorOp} needs, with defaults resolved.
 *
 * @param name op name
 * @param family output decoding: {@link Family#SSD}, {@link Family#YOLO}, {@link Family#NANODET} or
 *     {@link Family#CENTERNET}
 * @param model ONNX file
 * @param labels one label per class column; an empty label marks a column that is never reported
 * @param input frame → tensor conversion
 * @param threshold minimum score reported, in [0, 1]
 * @param nmsIou per-class NMS IoU threshold, in [0, 1]
 * @param maxDetections most boxes reported per frame
 * @param boxesOutput SSD: name of the boxes output, or null to pick it by shape
 * @param scoresOutput SSD: name of the scores output, or null to pick it by shape
 * @param yxyx SSD: boxes are (ymin, xmin, ymax, xmax) (TF order) rather than (xmin, ymin, xmax, ymax)
 * @param keep labels reported (after NMS), or null for all
 * @param intraOpThreads ONNX Runtime intra-op threads per run
 */
public record DetectorSpec(String name, Family family, Path model, List<String> labels, InputSpec input,
                           float threshold, float nmsIou, int maxDetections, String boxesOutput, String scoresOutput,
                           boolean yxyx, Set<String> keep, int intraOpThreads) {

    /** Default score threshold (tfjs coco-ssd's {@code detect(img, maxNumBoxes = 20, minScore = 0.5)}). */
    public static final float DEFAULT_THRESHOLD = 0.5f;
    /** Default NMS IoU threshold (coco-ssd uses the same 0.5). */
    public static final float DEFAULT_NMS_IOU = 0.5f;
    /** Default cap on boxes per frame (TF Object Detection API {@code max_total_detections: 100}). */
    public static final int DEFAULT_MAX_DETECTIONS = 100;

    /** How the model's outputs are laid out. */
    public enum Family {
        /** Decoded boxes {@code [1, N, (1,) 4]} + class probabilities {@code [1, N, C]}; see {@link SsdDecoder}. */
        SSD,
        /** One {@code [1, N, 4(+1)+C]} or {@code [1, 4(+1)+C, N]} output; see {@link YoloDecoder}. */
        YOLO,
        /**
         * Per level, class probabilities {@code [1, cells, C]} and box distributions
         * {@code [1, cells, 4·(R+1)]}, recognised by shape (C = non-empty labels); the stride is
         * the input side over the level's side; see {@link NanoDetDecoder}.
         */
        NANODET,
        /** One {@code [1, K, 6]} output of decoded peaks; see {@link CenterNetDecoder}. */
        CENTERNET
    }

    /** Validates and copies. */
    public DetectorSpec {
        labels = List.copyOf(labels);
        keep = keep == null ? null : Set.copyOf(keep);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("op " + name + " has no labels");
        }
        if (threshold < 0 || threshold > 1 || nmsIou < 0 || nmsIou > 1) {
            throw new IllegalArgumentException("op " + name + ": threshold and nms_iou must be in [0, 1]");
        }
        if (maxDetections <= 0 || intraOpThreads <= 0) {
            throw new IllegalArgumentException("op " + name + ": max_detections and intra_op_threads must be positive");
        }
    }

    /** @return the same detector under another name, reporting only {@code keepLabels} */
    public DetectorSpec filtered(String newName, Set<String> keepLabels) {
        return new DetectorSpec(newName, family, model, labels, input, threshold, nmsIou, maxDetections, boxesOutput,
                scoresOutput, yxyx, keepLabels, intraOpThreads);
    }

    /** @return the labels this op can report: distinct, non-empty, within {@link #keep()} */
    public List<String> reportedLabels() {
        return labels.stream().filter(l -> !l.isEmpty()).filter(l -> keep == null || keep.contains(l)).distinct()
                .toList();
    }
}
