package io.argus.extractor.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** Baseline JPEG from BGR and RGB-ordered images. */
class JpegEncoderTest {

    @Test
    void rgbOrderedImagesEncodeToTheSameBaselineJpegAsBgr() throws Exception {
        int w = 64;
        int h = 48;
        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage rgb = JpegEncoder.rgbImage(w, h);
        assertThat(rgb.getColorModel().getNumComponents()).isEqualTo(3);
        assertThat(rgb.getColorModel().hasAlpha()).isFalse();
        byte[] b = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] r = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        assertThat(r).hasSize(w * h * 3);
        Random rnd = new Random(3);
        for (int i = 0; i < b.length; i += 3) { // smooth gradients plus noise: a picture, not static
            int x = (i / 3) % w;
            int y = (i / 3) / w;
            b[i] = (byte) (x * 4 + rnd.nextInt(8));
            b[i + 1] = (byte) (y * 5);
            b[i + 2] = (byte) (255 - x * 2 - y);
            r[i] = b[i + 2];
            r[i + 1] = b[i + 1];
            r[i + 2] = b[i];
        }
        assertThat(rgb.getRGB(5, 7)).isEqualTo(bgr.getRGB(5, 7));
        try (JpegEncoder enc = new JpegEncoder()) {
            byte[] fromBgr = enc.encode(bgr);
            byte[] fromRgb = enc.encode(rgb);
            assertThat(fromRgb).isEqualTo(fromBgr);
            // baseline sequential (SOF0, no SOF2 progressive), Y sampled 2x2 against 1x1 chroma (4:2:0)
            int sof0 = marker(fromRgb, 0xC0);
            assertThat(sof0).isPositive();
            assertThat(marker(fromRgb, 0xC2)).isNegative();
            assertThat(fromRgb[sof0 + 9] & 0xff).as("components").isEqualTo(3);
            assertThat(fromRgb[sof0 + 11] & 0xff).as("Y sampling").isEqualTo(0x22);
            assertThat(fromRgb[sof0 + 14] & 0xff).as("Cb sampling").isEqualTo(0x11);
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(fromRgb));
            assertThat(back.getWidth()).isEqualTo(w);
            int p = back.getRGB(20, 20);
            int q = bgr.getRGB(20, 20);
            for (int shift : new int[] {0, 8, 16}) {
                assertThat(Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff))).isLessThan(24);
            }
        }
    }

    /**
     * The frame path (ingest's): a BGR frame whose rows are padded (stride beyond width × 3) is
     * copied RGB-ordered and encodes to the same bytes as the same pixels in a TYPE_3BYTE_BGR image.
     */
    @Test
    void aPaddedBgrFrameEncodesAsItsPixelsInABgrImage() {
        int w = 70;
        int h = 40;
        int stride = w * 3 + 10;
        org.bytedeco.javacv.Frame frame = new org.bytedeco.javacv.Frame(w, h, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3,
                stride);
        java.nio.ByteBuffer px = (java.nio.ByteBuffer) frame.image[0];
        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] b = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        Random rnd = new Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    byte v = (byte) (c == 0 ? x * 3 + rnd.nextInt(6) : c == 1 ? y * 6 : 200 - x - y);
                    px.put(y * stride + x * 3 + c, v);
                    b[(y * w + x) * 3 + c] = v;
                }
            }
            for (int pad = w * 3; pad < stride; pad++) {
                px.put(y * stride + pad, (byte) 0x7f); // padding must not leak into the picture
            }
        }

        BufferedImage copy = JpegEncoder.copyOf(frame);
        assertThat(copy.getRGB(0, 0)).isEqualTo(bgr.getRGB(0, 0));
        assertThat(copy.getRGB(w - 1, h - 1)).isEqualTo(bgr.getRGB(w - 1, h - 1));
        assertThat(copy.getRGB(33, 17)).isEqualTo(bgr.getRGB(33, 17));
        try (JpegEncoder enc = new JpegEncoder()) {
            byte[] expected = enc.encode(bgr);
            assertThat(enc.encode(frame)).isEqualTo(expected);
            assertThat(enc.encode(copy)).isEqualTo(expected);
        }
        frame.close();
    }

    /** @return index of the first 0xFF, code marker in the header segments (before the scan), or -1 */
    private static int marker(byte[] jpeg, int code) {
        int i = 2;
        while (i + 3 < jpeg.length && (jpeg[i] & 0xff) == 0xff) {
            int m = jpeg[i + 1] & 0xff;
            if (m == code) {
                return i;
            }
            if (m == 0xDA) {
                return -1;
            }
            i += 2 + (((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff));
        }
        return -1;
    }
}
