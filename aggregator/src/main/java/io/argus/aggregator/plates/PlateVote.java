package io.argus.aggregator.plates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One plate text from the many reads of a vehicle's track: the length with the most weight wins,
 * then, position by position, the character with the most weight among the reads of that length.
 * A read's weight is its recognition score × its sharpness weight (so a sharp, confident read
 * counts more than a blurred one). The best read (highest weight among those of the winning
 * length) names the crop to keep.
 */
public final class PlateVote {

    private PlateVote() {
    }

    /**
     * One read of a plate.
     *
     * @param text   normalised text
     * @param score  recognition score, in [0, 1]
     * @param weight sharpness weight, ≥ 0 (1 when unknown)
     */
    public record Read(String text, float score, float weight) {
    }

    /**
     * The outcome.
     *
     * @param text       the voted text
     * @param confidence mean over positions of the winning character's share of the weight, in [0, 1]
     * @param best       index in the input of the best read of the winning length
     * @param reads      how many reads had the winning length
     */
    public record Result(String text, float confidence, int best, int reads) {
    }

    /**
     * @param reads the reads of one track (empty texts are ignored)
     * @return the vote, or null when no read has text
     */
    public static Result vote(List<Read> reads) {
        Map<Integer, Double> byLength = new HashMap<>();
        for (Read r : reads) {
            if (!r.text().isEmpty()) {
                byLength.merge(r.text().length(), weight(r), Double::sum);
            }
        }
        if (byLength.isEmpty()) {
            return null;
        }
        int length = byLength.entrySet().stream()
                .max(Map.Entry.<Integer, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
        StringBuilder text = new StringBuilder();
        double confidence = 0;
        for (int i = 0; i < length; i++) {
            Map<Character, Double> votes = new HashMap<>();
            double total = 0;
            for (Read r : reads) {
                if (r.text().length() == length) {
                    votes.merge(r.text().charAt(i), weight(r), Double::sum);
                    total += weight(r);
                }
            }
            Map.Entry<Character, Double> win = votes.entrySet().stream()
                    .max(Map.Entry.<Character, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow();
            text.append(win.getKey());
            confidence += total > 0 ? win.getValue() / total : 0;
        }
        int best = -1;
        int n = 0;
        for (int i = 0; i < reads.size(); i++) {
            Read r = reads.get(i);
            if (r.text().length() == length) {
                n++;
                if (best < 0 || weight(r) > weight(reads.get(best))) {
                    best = i;
                }
            }
        }
        return new Result(text.toString(), (float) (confidence / length), best, n);
    }

    private static double weight(Read r) {
        return Math.max(0, r.score()) * Math.max(0, r.weight()) + 1e-9;
    }
}
