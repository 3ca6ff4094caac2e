package io.argus.analyzer.ops.plate;

import java.util.List;

/**
 * Greedy (best-path) CTC decoding (Graves et al., "Connectionist Temporal Classification", ICML
 * 2006, section 3.2; PaddleOCR's {@code CTCLabelDecode}): the most probable class at each time
 * step, repeats collapsed, blanks (class 0) dropped.
 */
public final class CtcDecoder {

    private CtcDecoder() {
    }

    /**
     * A decoded text.
     *
     * @param text  the characters read (may be empty)
     * @param score mean probability of the characters kept, in [0, 1] (0 for an empty text)
     * @param probs each kept character's probability, in text order
     */
    public record Decoded(String text, float score, float[] probs) {
    }

    /**
     * @param probs    class probabilities per time step, {@code [steps * classes]} row-major
     * @param steps    time steps
     * @param classes  classes per step (the alphabet's size)
     * @param alphabet the class names, index 0 the blank
     * @return the best-path text
     * @throws IllegalArgumentException when the sizes disagree
     */
    public static Decoded greedy(float[] probs, int steps, int classes, List<String> alphabet) {
        if (probs.length < (long) steps * classes || alphabet.size() != classes) {
            throw new IllegalArgumentException("CTC output of " + probs.length + " values for " + steps + " steps × "
                    + classes + " classes, alphabet of " + alphabet.size());
        }
        StringBuilder text = new StringBuilder();
        float[] kept = new float[steps];
        int n = 0;
        int previous = -1;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            float p = probs[t * classes];
            for (int c = 1; c < classes; c++) {
                float v = probs[t * classes + c];
                if (v > p) {
                    p = v;
                    best = c;
                }
            }
            if (best != 0 && best != previous) {
                text.append(alphabet.get(best));
                kept[n++] = p;
            }
            previous = best;
        }
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += kept[i];
        }
        return new Decoded(text.toString(), n == 0 ? 0 : sum / n, java.util.Arrays.copyOf(kept, n));
    }
}
