package io.argus.aggregator.counting;

import java.util.Set;

/**
 * The two kinds of object Argus counts, from COCO class labels.
 */
public enum ObjectCategory {
    /** {@code person}. */
    PEDESTRIAN,
    /**
     * {@code car}, {@code truck}, {@code bus}, {@code motorcycle} (also spelt {@code motorbike}) and
     * {@code bicycle}: a bicycle is counted as a vehicle (it uses the road, and its rider is detected
     * as a person too, so counting it as a pedestrian would count one cyclist twice).
     */
    VEHICLE;

    private static final Set<String> VEHICLES = Set.of("car", "truck", "bus", "motorcycle", "motorbike", "bicycle");

    /**
     * @param label a class label, e.g. a COCO name
     * @return its category, or null when neither (such objects still produce events but are not in
     *         the pedestrian and vehicle counts)
     */
    public static ObjectCategory of(String label) {
        if ("person".equals(label)) {
            return PEDESTRIAN;
        }
        return VEHICLES.contains(label) ? VEHICLE : null;
    }
}
