package io.argus.analyzer.ops.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Score thresholds per class, given as text {@code "label:score,label:score"} (e.g.
 * {@code "person:0.3,car:0.45"}); classes not named keep the op's threshold. The detector runs at
 * the lowest threshold in force and each box is then kept only at or above its class's threshold.
 *
 * @param byLabel threshold in [0, 1] by label
 */
public record ClassThresholds(Map<String, Float> byLabel) {

    /** Copies. */
    public ClassThresholds {
        byLabel = Map.copyOf(byLabel);
    }

    /**
     * @param text   {@code "label:score,…"}, blanks around items allowed
     * @param labels the op's labels (every named label must be one)
     * @return the thresholds
     * @throws IllegalArgumentException on a bad item, an unknown label or a score outside [0, 1]
     *                                  (the message names the item)
     */
    public static ClassThresholds parse(String text, List<String> labels) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("class_thresholds item '" + s + "' is not label:score");
            }
            String label = s.substring(0, colon).strip();
            float score;
            try {
                score = Float.parseFloat(s.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("class_thresholds item '" + s + "' has no number after ':'");
            }
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("class_thresholds item '" + s + "': score must be in [0, 1]");
            }
            if (!labels.contains(label) || label.isEmpty()) {
                throw new IllegalArgumentException("class_thresholds item '" + s + "': unknown label " + label);
            }
            m.put(label, score);
        }
        return new ClassThresholds(m);
    }

    /** @return the lowest threshold in force: of the named classes and {@code fallback} */
    public float lowest(float fallback) {
        float low = fallback;
        for (float v : byLabel.values()) {
            low = Math.min(low, v);
        }
        return low;
    }

    /** @return the threshold of {@code label}, or {@code fallback} when it is not named */
    public float of(String label, float fallback) {
        return byLabel.getOrDefault(label, fallback);
    }
}
