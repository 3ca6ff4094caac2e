package io.argus.aggregator.rules;

/**
 * One label an op gave a frame.
 *
 * @param label label name, op specific (COCO class name for detectors)
 * @param score confidence in [0, 1]
 */
public record ScoredLabel(String label, float score) {
}
