package io.argus.media.render;

import java.util.function.IntBinaryOperator;

/**
 * Reads text drawn with {@link BitmapFont} back from pixels: each dot is sampled at its centre,
 * thresholded, and each 5×7 cell is matched to the glyph at the smallest Hamming distance.
 */
final class GlyphReader {

    private GlyphReader() {
    }

    /**
     * @param luma      luma (0–255) of the pixel at (x, y)
     * @param x         left edge of the first glyph, pixels
     * @param y         top edge, pixels
     * @param scale     pixels per dot
     * @param chars     number of characters to read
     * @param inkIsDark true when the text is darker than its background
     * @return the text read
     */
    static String read(IntBinaryOperator luma, int x, int y, int scale, int chars, boolean inkIsDark) {
        BitmapFont font = BitmapFont.get();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chars; i++) {
            boolean[][] dots = new boolean[BitmapFont.GLYPH_HEIGHT][BitmapFont.GLYPH_WIDTH];
            for (int r = 0; r < BitmapFont.GLYPH_HEIGHT; r++) {
                for (int c = 0; c < BitmapFont.GLYPH_WIDTH; c++) {
                    int px = x + i * (BitmapFont.GLYPH_WIDTH + 1) * scale + c * scale + scale / 2;
                    int py = y + r * scale + scale / 2;
                    int l = luma.applyAsInt(px, py);
                    dots[r][c] = inkIsDark ? l < 128 : l >= 128;
                }
            }
            char best = '?';
            int bestDistance = Integer.MAX_VALUE;
            for (char ch = BitmapFont.FIRST; ch <= BitmapFont.LAST; ch++) {
                int d = 0;
                for (int r = 0; r < BitmapFont.GLYPH_HEIGHT; r++) {
                    for (int c = 0; c < BitmapFont.GLYPH_WIDTH; c++) {
                        if (font.ink(ch, c, r) != dots[r][c]) {
                            d++;
                        }
                    }
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = ch;
                }
            }
            out.append(best);
        }
        return out.toString();
    }
}
