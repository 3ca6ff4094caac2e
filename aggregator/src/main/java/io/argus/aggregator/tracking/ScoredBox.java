package io.argus.aggregator.tracking;

/**
 * One detection given to the tracker: a box, the detector's confidence and its class.
 *
 * @param box   box in pixels of the frame
 * @param score confidence in [0, 1]
 * @param label class label, e.g. a COCO name ({@code person}, {@code car})
 */
public record ScoredBox(Box box, double score, String label) {

    /**
     * @throws IllegalArgumentException when box or label is null or the score is outside [0, 1]
     */
    public ScoredBox {
        if (box == null || label == null) {
            throw new IllegalArgumentException("a detection needs a box and a label");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }
    }
}
