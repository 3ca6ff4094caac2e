package io.argus.media.render;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A built-in 5×7 bitmap font for labels drawn on video frames (the bundled FFmpeg has no
 * {@code drawtext}; media-api.html, {@code GET …/video/bbox}: "a built-in 5×7 bitmap font").
 *
 * <p>Glyphs: printable ASCII 32–126, each 5 columns × 7 rows, in the resource
 * {@code font5x7.txt} next to this class. They are original, drawn for Argus in the manner of 5×7
 * dot-matrix character displays; no third-party font data is used. A character outside 32–126 is
 * drawn as {@code ?}.
 *
 * <p>Metrics at scale {@code s} (an integer ≥ 1, pixels per dot): a glyph cell is
 * {@code 6s × 7s} pixels (5 dots of ink and one of spacing); a line of {@code n} characters is
 * {@link #width(String, int)} = {@code 6s·n − s} pixels wide and {@link #height(int)} = {@code 7s}
 * high.
 *
 * <p>Drawing is plain Java on a packed BGR24 buffer (3 bytes per pixel, blue first, rows
 * {@code stride} bytes apart), as JavaCV's grabber hands frames over; dots outside the frame are
 * clipped. Thread-safe (immutable).
 */
public final class BitmapFont {

    /** Dots per glyph row. */
    public static final int GLYPH_WIDTH = 5;
    /** Rows per glyph. */
    public static final int GLYPH_HEIGHT = 7;
    /** First character of the table, space. */
    public static final char FIRST = 32;
    /** Last character of the table, tilde. */
    public static final char LAST = 126;

    private static final BitmapFont INSTANCE = load();

    /** Per character (index {@code c - FIRST}), 7 rows of 5 bits, bit 4 the leftmost dot. */
    private final int[][] rows;

    private BitmapFont(int[][] rows) {
        this.rows = rows;
    }

    /** @return the built-in font */
    public static BitmapFont get() {
        return INSTANCE;
    }

    /**
     * @param c a character
     * @return its 7 rows, each 5 bits with bit 4 (value 16) the leftmost dot; {@code ?} for a
     *         character outside 32–126. A copy: changing it does not change the font
     */
    public int[] glyph(char c) {
        return rows[index(c)].clone();
    }

    /**
     * @param c   a character
     * @param col dot column, 0–4 from the left
     * @param row dot row, 0–6 from the top
     * @return true when that dot of the glyph is ink
     */
    public boolean ink(char c, int col, int row) {
        return (rows[index(c)][row] >> (GLYPH_WIDTH - 1 - col) & 1) != 0;
    }

    /**
     * @param text  a line of text
     * @param scale pixels per dot, ≥ 1
     * @return width of the drawn line in pixels, 0 for an empty string
     */
    public static int width(String text, int scale) {
        return text.isEmpty() ? 0 : ((GLYPH_WIDTH + 1) * text.length() - 1) * scale;
    }

    /**
     * @param scale pixels per dot, ≥ 1
     * @return height of a drawn line in pixels, {@code 7 × scale}
     */
    public static int height(int scale) {
        return GLYPH_HEIGHT * scale;
    }

    /**
     * Draws one line of text; only ink dots are painted (the background is left as it is).
     *
     * @param bgr    packed BGR24 pixels of a frame
     * @param width  frame width, pixels
     * @param height frame height, pixels
     * @param stride bytes from one row to the next, ≥ 3 × width
     * @param text   the line; characters outside 32–126 are drawn as {@code ?}
     * @param x      left edge of the first glyph, pixels (may be outside the frame: clipped)
     * @param y      top edge of the glyphs, pixels
     * @param scale  pixels per dot, ≥ 1
     * @param rgb    colour, 0xRRGGBB
     * @throws IllegalArgumentException when scale is below 1
     */
    public void draw(ByteBuffer bgr, int width, int height, int stride, String text, int x, int y, int scale,
            int rgb) {
        if (scale < 1) {
            throw new IllegalArgumentException("font scale must be at least 1: " + scale);
        }
        for (int i = 0; i < text.length(); i++) {
            int[] g = rows[index(text.charAt(i))];
            int gx = x + i * (GLYPH_WIDTH + 1) * scale;
            for (int r = 0; r < GLYPH_HEIGHT; r++) {
                for (int c = 0; c < GLYPH_WIDTH; c++) {
                    if ((g[r] >> (GLYPH_WIDTH - 1 - c) & 1) != 0) {
                        Pixels.fill(bgr, width, height, stride, gx + c * scale, y + r * scale, scale, scale, rgb);
                    }
                }
            }
        }
    }

    private static int index(char c) {
        return (c < FIRST || c > LAST ? '?' : c) - FIRST;
    }

    private static BitmapFont load() {
        int[][] rows = new int[LAST - FIRST + 1][];
        try (InputStream in = BitmapFont.class.getResourceAsStream("font5x7.txt")) {
            if (in == null) {
                throw new IllegalStateException("font5x7.txt is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.length() != 1) { // comment lines ("# …") are longer than a glyph's name line
                    continue;
                }
                char c = line.charAt(0);
                int[] g = new int[GLYPH_HEIGHT];
                for (int i = 0; i < GLYPH_HEIGHT; i++) {
                    String row = r.readLine();
                    if (row == null || row.length() != GLYPH_WIDTH) {
                        throw new IllegalStateException("font5x7.txt: glyph '" + c + "' row " + i + " is not 5 dots");
                    }
                    for (int k = 0; k < GLYPH_WIDTH; k++) {
                        g[i] = g[i] << 1 | (row.charAt(k) == '#' ? 1 : 0);
                    }
                }
                rows[c - FIRST] = g;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalStateException("font5x7.txt has no glyph for '" + (char) (i + FIRST) + "'");
            }
        }
        return new BitmapFont(rows);
    }
}
