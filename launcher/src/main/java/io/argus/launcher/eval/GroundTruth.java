package io.argus.launcher.eval;

/**
 * One annotated object.
 *
 * @param label  COCO class name (e.g. {@code person}, {@code car})
 * @param box    box in frame pixels
 * @param ignore true for a box that is neither required nor penalised (tiny, truncated at the frame
 *               edge or mostly hidden): a prediction on it is neither a true nor a false positive
 */
public record GroundTruth(String label, EvalBox box, boolean ignore) {
}
