package io.argus.media.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class BitmapFontTest {

    private static final int W = 200;
    private static final int H = 40;

    private static int luma(ByteBuffer bgr, int stride, int x, int y) {
        int at = y * stride + x * 3;
        return FrameAnnotator.luma((bgr.get(at + 2) & 0xFF) << 16 | (bgr.get(at + 1) & 0xFF) << 8 | bgr.get(at) & 0xFF);
    }

    @Test
    void everyPrintableCharacterHasItsOwnGlyph() {
        BitmapFont font = BitmapFont.get();
        for (char a = BitmapFont.FIRST; a <= BitmapFont.LAST; a++) {
            int[] ga = font.glyph(a);
            assertEquals(BitmapFont.GLYPH_HEIGHT, ga.length);
            assertEquals(a == ' ', Arrays.stream(ga).allMatch(r -> r == 0), "ink of '" + a + "'");
            for (int r : ga) {
                assertTrue(r >= 0 && r < 32, "5 dots a row in '" + a + "'");
            }
            for (char b = (char) (a + 1); b <= BitmapFont.LAST; b++) {
                assertFalse(Arrays.equals(ga, font.glyph(b)), "'" + a + "' and '" + b + "' look the same");
            }
        }
        // digits differ in at least 3 dots: one dot lost to compression does not make another digit
        for (char a = '0'; a <= '9'; a++) {
            for (char b = (char) (a + 1); b <= '9'; b++) {
                int d = 0;
                for (int r = 0; r < 7; r++) {
                    d += Integer.bitCount(font.glyph(a)[r] ^ font.glyph(b)[r]);
                }
                assertTrue(d >= 3, a + " vs " + b + ": " + d + " dots apart");
            }
        }
        assertArrayEquals(font.glyph('?'), font.glyph('\u00e9'), "outside ASCII 32-126 is drawn as ?");
    }

    @Test
    void drawnDigitsReadBackAtEveryScale() {
        for (int scale = 1; scale <= 3; scale++) {
            int stride = W * 3 + 16; // rows padded, as decoders do
            ByteBuffer bgr = ByteBuffer.allocateDirect(stride * H);
            String text = "0123456789"; // 10 × 6 dots wide
            int width = BitmapFont.width(text, scale);
            assertEquals((6 * 10 - 1) * scale, width);
            BitmapFont.get().draw(bgr, Math.min(W, width + 4), H, stride, text, 2, 3, scale, 0xFFFFFF);
            ByteBuffer b = bgr;
            assertEquals(text, GlyphReader.read((x, y) -> luma(b, stride, x, y), 2, 3, scale, text.length(), false),
                    "scale " + scale);
            // exactly the glyph's ink is painted: count painted pixels
            int painted = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    painted += luma(bgr, stride, x, y) > 0 ? 1 : 0;
                }
            }
            int dots = 0;
            for (char c : text.toCharArray()) {
                for (int r : BitmapFont.get().glyph(c)) {
                    dots += Integer.bitCount(r);
                }
            }
            assertEquals(dots * scale * scale, painted, "scale " + scale);
        }
    }

    @Test
    void drawingIsClippedToTheFrame() {
        int stride = 20 * 3;
        ByteBuffer bgr = ByteBuffer.allocate(stride * 10);
        BitmapFont.get().draw(bgr, 20, 10, stride, "88888", -7, -3, 2, 0x00FF00); // most of it outside
        boolean any = false;
        for (int i = 1; i < bgr.capacity(); i += 3) {
            any |= bgr.get(i) != 0;
            assertEquals(0, bgr.get(i - 1), "blue untouched");
        }
        assertTrue(any, "the visible part is drawn");
        assertThrows(IllegalArgumentException.class,
                () -> BitmapFont.get().draw(bgr, 20, 10, stride, "1", 0, 0, 0, 0xFFFFFF));
        assertNotEquals(0, BitmapFont.height(3));
    }
}
