package io.argus.analyzer.ops.plate;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Synthetic licence plates for tests: black characters in OpenCV's Hershey simplex font on a
 * light plate with a dark border, optionally blurred, rotated or low in contrast, alone or on a
 * grey "vehicle" background.
 */
final class SyntheticPlates {

    private SyntheticPlates() {
    }

    /**
     * @param text   the characters
     * @param width  plate width, pixels (height is width / 4.6, a UK plate's 520×111 mm)
     * @param blur   Gaussian sigma, pixels (0: none)
     * @param angle  rotation, degrees
     * @param contrast 1 for black on white; lower brings both towards grey
     * @return the plate, 8-bit BGR
     */
    static Mat plate(String text, int width, double blur, double angle, double contrast) {
        int height = Math.max(12, (int) Math.round(width / 4.6));
        int fg = (int) Math.round(128 - 128 * contrast);
        int bg = (int) Math.round(128 + 110 * contrast);
        Mat m = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(bg, bg, bg + (contrast > 0.5 ? 10 : 0), 0));
        opencv_imgproc.rectangle(m, new Point(1, 1), new Point(width - 2, height - 2), new Scalar(fg, fg, fg, 0), 2,
                opencv_imgproc.LINE_AA, 0);
        double scale = 1;
        int[] base = new int[1];
        Size s = opencv_imgproc.getTextSize(text, opencv_imgproc.FONT_HERSHEY_SIMPLEX, scale, 2, base);
        scale = Math.min(0.86 * width / s.width(), 0.62 * height / s.height());
        int thick = Math.max(1, (int) Math.round(scale * 2.2));
        s = opencv_imgproc.getTextSize(text, opencv_imgproc.FONT_HERSHEY_SIMPLEX, scale, thick, base);
        opencv_imgproc.putText(m, text, new Point((width - s.width()) / 2, (height + s.height()) / 2),
                opencv_imgproc.FONT_HERSHEY_SIMPLEX, scale, new Scalar(fg, fg, fg, 0), thick, opencv_imgproc.LINE_AA, false);
        if (angle != 0) {
            Mat rot = opencv_imgproc.getRotationMatrix2D(new Point2f(width / 2f, height / 2f), angle, 1);
            Mat out = new Mat();
            opencv_imgproc.warpAffine(m, out, rot, m.size(), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE,
                    new Scalar());
            m = out;
        }
        if (blur > 0) {
            Mat out = new Mat();
            opencv_imgproc.GaussianBlur(m, out, new Size(0, 0), blur);
            m = out;
        }
        return m;
    }

    /**
     * @param plate a plate image
     * @param width the "vehicle" width, pixels (height 3/4 of it)
     * @return a grey, shaded vehicle-like image with the plate in its lower middle
     */
    static Mat onVehicle(Mat plate, int width) {
        int height = width * 3 / 4;
        Mat car = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(70, 60, 55, 0));
        opencv_imgproc.rectangle(car, new Point(width / 8, height / 6), new Point(width * 7 / 8, height / 2),
                new Scalar(120, 110, 100, 0), -1, opencv_imgproc.LINE_8, 0);
        int x = (width - plate.cols()) / 2;
        int y = height * 3 / 4 - plate.rows() / 2;
        plate.copyTo(car.apply(new Rect(x, y, plate.cols(), plate.rows())));
        return car;
    }
}
