package io.argus.extractor.flow;

import java.util.Objects;

/**
 * What {@link FlowComputer} computes.
 *
 * @param algorithm DIS or Farneback
 * @param disPreset preset used when {@code algorithm} is {@link FlowAlgorithm#DIS} (ignored for
 *                  Farneback, but never null)
 * @param scale     resolution at which flow is computed, in (0, 1]: 1.0 full resolution, 0.5 half
 *                  (both frames are downscaled with {@code INTER_AREA} before the flow). The
 *                  resulting {@link FlowField} has the downscaled size and its vectors are in
 *                  pixels of that computed resolution; divide by {@code scale} for source pixels.
 */
public record FlowSettings(FlowAlgorithm algorithm, DisPreset disPreset, double scale) {

    /** Default: DIS FAST at full resolution. */
    public static final FlowSettings DEFAULT = new FlowSettings(FlowAlgorithm.DIS, DisPreset.FAST, 1.0);

    /**
     * @throws NullPointerException     for a null algorithm or preset
     * @throws IllegalArgumentException for a scale outside (0, 1]
     */
    public FlowSettings {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(disPreset, "disPreset");
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("scale must be in (0, 1], got " + scale);
        }
    }

    /** @return DIS FAST at full resolution */
    public static FlowSettings dis() {
        return DEFAULT;
    }

    /**
     * @param preset DIS preset
     * @return DIS with that preset at full resolution
     */
    public static FlowSettings dis(DisPreset preset) {
        return new FlowSettings(FlowAlgorithm.DIS, preset, 1.0);
    }

    /** @return Farneback with the original Argus parameters at full resolution */
    public static FlowSettings farneback() {
        return new FlowSettings(FlowAlgorithm.FARNEBACK, DisPreset.FAST, 1.0);
    }

    /**
     * @param newScale resolution factor in (0, 1]
     * @return these settings at another resolution
     */
    public FlowSettings withScale(double newScale) {
        return new FlowSettings(algorithm, disPreset, newScale);
    }

    /**
     * @param sourceWidth source width in pixels
     * @return width at which flow is computed: {@code max(1, round(sourceWidth * scale))}
     */
    public int scaledWidth(int sourceWidth) {
        return scale == 1.0 ? sourceWidth : Math.max(1, (int) Math.round(sourceWidth * scale));
    }

    /**
     * @param sourceHeight source height in pixels
     * @return height at which flow is computed: {@code max(1, round(sourceHeight * scale))}
     */
    public int scaledHeight(int sourceHeight) {
        return scale == 1.0 ? sourceHeight : Math.max(1, (int) Math.round(sourceHeight * scale));
    }

    /**
     * Smallest side, in pixels of the computed resolution, DIS accepts: OpenCV 4.11's
     * {@code DISOpticalFlow::calc} throws for an image with a side under 12 px with every preset
     * (measured here on square and flat frames from 1 to 20 px); Farneback has no such bound.
     */
    public static final int DIS_MIN_SIDE = 12;

    /**
     * @param sourceWidth  source width in pixels
     * @param sourceHeight source height in pixels
     * @return true when the flow can be computed on frames of that size at this scale (DIS needs
     *         {@link #DIS_MIN_SIDE} pixels a side once scaled; Farneback any size)
     */
    public boolean accepts(int sourceWidth, int sourceHeight) {
        return algorithm != FlowAlgorithm.DIS
                || (scaledWidth(sourceWidth) >= DIS_MIN_SIDE && scaledHeight(sourceHeight) >= DIS_MIN_SIDE);
    }

    /** @return a short label such as {@code DIS-FAST@1.0} or {@code FARNEBACK@0.5} */
    public String label() {
        return (algorithm == FlowAlgorithm.DIS ? "DIS-" + disPreset : algorithm.name()) + "@" + scale;
    }
}
