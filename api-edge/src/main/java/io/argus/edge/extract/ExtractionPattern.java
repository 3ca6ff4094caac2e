package io.argus.edge.extract;

import java.util.Locale;
import java.util.Optional;

/**
 * How ingest samples a video for an extraction. The wire name (JSON {@code "pattern"}, the
 * {@code pattern} field of the Avro records and the second segment of index keys) is the lower-case
 * name.
 */
public enum ExtractionPattern {
    /** One frame every {@code interval} seconds. */
    UNIFORM,
    /** Every keyframe (I-frame) of the stream. */
    KEYFRAME,
    /** {@code count} frames at random offsets drawn from {@code seed}. */
    RANDOM,
    /** The first frame of every shot (scene change above {@code threshold}). */
    SCENE;

    /** The accepted names, for error messages. */
    public static final String NAMES = "uniform, keyframe, random, scene";

    /** @return the wire name, e.g. {@code uniform} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a wire name, case-insensitive, surrounding blanks ignored
     * @return the pattern, or empty when the name is not one
     */
    public static Optional<ExtractionPattern> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ExtractionPattern p : values()) {
            if (p.wire().equals(n)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
