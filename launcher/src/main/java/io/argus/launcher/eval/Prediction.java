package io.argus.launcher.eval;

/**
 * One box an op reported.
 *
 * @param label class label as the op names it (COCO names for the built-in detector)
 * @param box   box in frame pixels
 * @param score confidence in [0, 1]
 */
public record Prediction(String label, EvalBox box, float score) {
}
