package io.argus.extractor.pgm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * 8-bit grayscale images as binary PGM (netpbm "P5", maxval 255): a short ASCII header
 * {@code P5\n<width> <height>\n255\n} followed by {@code width × height} bytes, row-major, one byte
 * per pixel (0 = black, 255 = white). Lossless and read by every image tool (OpenCV
 * {@code imread}, ImageMagick, ffmpeg, Pillow). Format: netpbm's pgm(5) manual page.
 *
 * <p>Argus stores the two frames of a flow pair this way: the flow only needs luma, a 768×576
 * frame is 442 KB and costs well under a millisecond to write or read, where a JPEG costs ~4 ms to
 * encode and ~2 ms to decode and adds its artefacts to the flow.
 */
public final class Pgm {

    private Pgm() {
    }

    /**
     * @param bgr an 8-bit BGR frame (JavaCV grabber output)
     * @return the PGM bytes of its luma ({@code cvtColor BGR2GRAY}: 0.299 R + 0.587 G + 0.114 B)
     * @throws IllegalArgumentException for a frame that is not 8-bit, 3-channel
     */
    public static byte[] encodeGray(Frame bgr) {
        if (bgr.imageChannels != 3 || bgr.imageDepth != Frame.DEPTH_UBYTE) {
            throw new IllegalArgumentException("expected 8-bit BGR, got " + bgr.imageChannels
                    + " channels of depth " + bgr.imageDepth);
        }
        int w = bgr.imageWidth;
        int h = bgr.imageHeight;
        try (Mat src = new Mat(h, w, opencv_core.CV_8UC3, new org.bytedeco.javacpp.BytePointer((ByteBuffer) bgr.image[0]),
                bgr.imageStride);
             Mat gray = new Mat()) {
            opencv_imgproc.cvtColor(src, gray, opencv_imgproc.COLOR_BGR2GRAY);
            byte[] header = header(w, h);
            byte[] out = new byte[header.length + w * h];
            System.arraycopy(header, 0, out, 0, header.length);
            gray.data().get(out, header.length, w * h);
            return out;
        }
    }

    /**
     * @param pgm binary PGM bytes (P5, maxval 255; comments after the magic number are allowed)
     * @return a new CV_8UC1 Mat of the image
     * @throws IllegalArgumentException when the bytes are not an 8-bit binary PGM of the size the
     *         header states
     */
    public static Mat decode(byte[] pgm) {
        return decode(pgm, new Mat());
    }

    /**
     * Decodes into a Mat kept by the caller, which is (re)allocated only when its size or type
     * differs ({@code Mat.create}): a worker reading pairs of one size allocates nothing.
     *
     * @param pgm  binary PGM bytes, as {@link #decode(byte[])}
     * @param into destination, made a continuous CV_8UC1 Mat of the image's size
     * @return {@code into}
     * @throws IllegalArgumentException as {@link #decode(byte[])}; {@code into} is then unchanged
     */
    public static Mat decode(byte[] pgm, Mat into) {
        Header h = Header.parse(pgm);
        into.create(h.height, h.width, opencv_core.CV_8UC1);
        into.data().put(pgm, h.dataOffset, h.width * h.height);
        return into;
    }

    static byte[] header(int width, int height) {
        return ("P5\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The parsed header of a P5 file. */
    record Header(int width, int height, int dataOffset) {

        static Header parse(byte[] b) {
            if (b.length < 2 || b[0] != 'P' || b[1] != '5') {
                throw new IllegalArgumentException("not a binary PGM (P5)");
            }
            int[] pos = {2};
            int width = number(b, pos);
            int height = number(b, pos);
            int maxval = number(b, pos);
            if (width <= 0 || height <= 0 || maxval != 255) {
                throw new IllegalArgumentException("unsupported PGM: " + width + "x" + height + " maxval " + maxval);
            }
            int offset = pos[0] + 1; // exactly one whitespace byte after maxval
            if ((long) offset + (long) width * height > b.length) {
                throw new IllegalArgumentException("truncated PGM: " + width + "x" + height + " needs "
                        + ((long) offset + (long) width * height) + " bytes, got " + b.length);
            }
            return new Header(width, height, offset);
        }

        private static int number(byte[] b, int[] pos) {
            int i = pos[0];
            while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
                if (b[i] == '#') {
                    while (i < b.length && b[i] != '\n') {
                        i++;
                    }
                } else {
                    i++;
                }
            }
            long v = 0;
            int start = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9' && v <= Integer.MAX_VALUE) {
                v = v * 10 + (b[i] - '0');
                i++;
            }
            if (i == start || v > Integer.MAX_VALUE || i >= b.length) {
                throw new IllegalArgumentException("bad PGM header");
            }
            pos[0] = i;
            return (int) v;
        }
    }
}
