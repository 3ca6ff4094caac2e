package io.argus.media.render;

import java.util.Objects;

/**
 * One object to draw on a frame: a box in pixels of the source frame with its class label,
 * track id and score.
 *
 * @param x       left edge, pixels from the frame's left
 * @param y       top edge, pixels from the frame's top
 * @param width   box width, pixels, &gt; 0
 * @param height  box height, pixels, &gt; 0
 * @param label   class label, e.g. {@code car} (may be empty, never null)
 * @param trackId track id, unique per job, or {@link #NO_TRACK} for a detection without a track
 * @param score   detection score in [0, 1], or {@link Double#NaN} to leave it out of the label
 * @param rgb     colour 0xRRGGBB, or {@link #AUTO}: by track when there is one, else by label
 *                ({@link Palette})
 */
public record Overlay(double x, double y, double width, double height, String label, long trackId, double score,
        int rgb) {

    /** Track id of a detection that belongs to no track. */
    public static final long NO_TRACK = -1;
    /** Colour chosen by {@link Palette} from the track id or the label. */
    public static final int AUTO = -1;

    /**
     * @throws IllegalArgumentException for a non-positive or non-finite size or position, or a
     *                                  score outside [0, 1]
     */
    public Overlay {
        Objects.requireNonNull(label, "label");
        if (!(width > 0) || !(height > 0) || !Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(width)
                || !Double.isFinite(height)) {
            throw new IllegalArgumentException("bad box: " + x + "," + y + " " + width + "x" + height);
        }
        if (!Double.isNaN(score) && (score < 0 || score > 1)) {
            throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        }
        if (trackId < NO_TRACK) {
            throw new IllegalArgumentException("track id must be >= 0 or NO_TRACK: " + trackId);
        }
    }

    /**
     * A box with its colour chosen automatically.
     *
     * @param x       left, pixels
     * @param y       top, pixels
     * @param width   width, pixels
     * @param height  height, pixels
     * @param label   class label
     * @param trackId track id or {@link #NO_TRACK}
     * @param score   score in [0, 1] or NaN
     * @return the overlay
     */
    public static Overlay of(double x, double y, double width, double height, String label, long trackId,
            double score) {
        return new Overlay(x, y, width, height, label, trackId, score, AUTO);
    }

    /** @return true when the box belongs to a track */
    public boolean tracked() {
        return trackId != NO_TRACK;
    }

    /** @return the colour to draw with, 0xRRGGBB ({@link Palette} when {@link #AUTO}) */
    public int colour() {
        if (rgb != AUTO) {
            return rgb;
        }
        return tracked() ? Palette.forTrack(trackId) : Palette.forLabel(label);
    }

    /**
     * @return the label text drawn above the box: {@code <label> #<track> <score>}, each part
     *         present only when known, the score with 2 decimals (e.g. {@code car #12 0.87})
     */
    public String text() {
        StringBuilder s = new StringBuilder(label);
        if (tracked()) {
            s.append(s.length() > 0 ? " #" : "#").append(trackId);
        }
        if (!Double.isNaN(score)) {
            s.append(s.length() > 0 ? " " : "").append(String.format(java.util.Locale.ROOT, "%.2f", score));
        }
        return s.toString();
    }

    /**
     * Linear interpolation of the box between two overlays of the same track (label, id, score
     * and colour of {@code this}).
     *
     * @param next the track's next box
     * @param f    fraction of the way to {@code next}, 0 to 1
     * @return the box at that fraction
     */
    public Overlay lerp(Overlay next, double f) {
        return new Overlay(x + (next.x - x) * f, y + (next.y - y) * f, width + (next.width - width) * f,
                height + (next.height - height) * f, label, trackId, score, rgb);
    }
}
