package io.argus.media.render;

import java.util.Locale;

/**
 * Colours of boxes: a track gets a hue from its id, stepped by the golden-ratio conjugate
 * (0.618…) around the hue circle so that consecutive ids get far-apart hues; a box without a
 * track gets a hue from its label's hash. Saturation 0.85 and value 0.95 keep every colour bright
 * enough for the white label text on it to stay readable.
 */
public final class Palette {

    private static final double GOLDEN = 0.6180339887498949;

    private Palette() {
    }

    /**
     * @param trackId a track id, ≥ 0
     * @return its colour, 0xRRGGBB
     */
    public static int forTrack(long trackId) {
        double h = (trackId * GOLDEN) % 1.0;
        return hsv(h, 0.85, 0.95);
    }

    /**
     * @param label a class label
     * @return its colour, 0xRRGGBB (the same for the same label, case-insensitive)
     */
    public static int forLabel(String label) {
        int hash = label.toLowerCase(Locale.ROOT).hashCode() * 0x9E3779B1;
        return hsv((hash >>> 8) / (double) (1 << 24), 0.85, 0.95);
    }

    /**
     * @param h hue in [0, 1)
     * @param s saturation in [0, 1]
     * @param v value in [0, 1]
     * @return 0xRRGGBB (the usual HSV to RGB sextant formula)
     */
    static int hsv(double h, double s, double v) {
        double hh = (h - Math.floor(h)) * 6;
        int i = (int) hh;
        double f = hh - i;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double r;
        double g;
        double b;
        switch (i) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        return (int) Math.round(r * 255) << 16 | (int) Math.round(g * 255) << 8 | (int) Math.round(b * 255);
    }
}
