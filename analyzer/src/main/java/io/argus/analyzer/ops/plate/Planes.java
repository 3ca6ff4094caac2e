package io.argus.analyzer.ops.plate;

import java.nio.FloatBuffer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Writes an 8-bit BGR image into a float tensor as planes (NCHW), channel c as
 * {@code (p × scale − mean[c]) / std[c]}, BGR order kept (PaddleOCR's models read OpenCV images
 * as they are decoded).
 */
final class Planes {

    private Planes() {
    }

    /**
     * @param bgr    8-bit 3-channel image, h × w pixels
     * @param scale  multiplier of the 0–255 values
     * @param mean   per channel (B, G, R), after scaling
     * @param std    per channel (B, G, R), after scaling
     * @param out    the tensor {@code [n, 3, rows, cols]}; the image goes at its top left of item
     *               {@code item}, the rest is left as it is
     * @param item   which item of the batch
     * @param rows   tensor height, ≥ h
     * @param cols   tensor width, ≥ w
     */
    static void put(Mat bgr, float scale, float[] mean, float[] std, float[] out, int item, int rows, int cols) {
        int h = bgr.rows();
        int w = bgr.cols();
        try (Mat f = new Mat()) {
            Mat src = bgr.isContinuous() ? bgr : bgr.clone();
            src.convertTo(f, opencv_core.CV_32FC3, scale, 0);
            float[] hwc = new float[h * w * 3];
            FloatBuffer fb = f.createBuffer();
            fb.get(hwc);
            int base = item * 3 * rows * cols;
            for (int c = 0; c < 3; c++) {
                float m = mean[c];
                float s = std[c];
                int plane = base + c * rows * cols;
                for (int y = 0; y < h; y++) {
                    int row = plane + y * cols;
                    int in = y * w * 3 + c;
                    for (int x = 0; x < w; x++) {
                        out[row + x] = (hwc[in + 3 * x] - m) / s;
                    }
                }
            }
            if (src != bgr) {
                src.close();
            }
        }
    }
}
