package io.argus.aggregator.tracking;

/**
 * One detection given to the tracker: a box, the detector's confidence, its class and, for
 * detections that have one (faces of {@code face_embed}), an appearance embedding.
 *
 * @param box       box in pixels of the frame
 * @param score     confidence in [0, 1]
 * @param label     class label, e.g. a COCO name ({@code person}, {@code car})
 * @param embedding L2-normalised appearance vector (any dimension, the same for every detection of a
 *                  job), or null; used when {@link TrackerConfig#appearanceCost()} is above 0
 */
public record ScoredBox(Box box, double score, String label, float[] embedding) {

    /**
     * A detection without embedding.
     *
     * @param box   box in pixels of the frame
     * @param score confidence in [0, 1]
     * @param label class label
     */
    public ScoredBox(Box box, double score, String label) {
        this(box, score, label, null);
    }

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
