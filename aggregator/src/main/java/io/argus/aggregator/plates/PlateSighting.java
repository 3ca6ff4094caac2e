package io.argus.aggregator.plates;

/**
 * One read of a vehicle's plate on one frame, as kept for its track until the track ends.
 *
 * @param text     normalised text (upper case, letters and digits)
 * @param raw      the recogniser's text
 * @param score    read score, [0, 1]
 * @param weight   sharpness weight, [0, 1)
 * @param offsetMs the frame's offset, ms
 * @param uri      the frame's store URI, or null
 * @param vehicle  the vehicle's box on the frame: left, top, right, bottom, pixels
 * @param plate    the plate's box on the frame: left, top, right, bottom, pixels
 */
public record PlateSighting(String text, String raw, float score, float weight, long offsetMs, String uri,
                            int[] vehicle, int[] plate) {

    /** @return score × sharpness weight: how much this read counts */
    public double strength() {
        return (double) score * weight;
    }
}
