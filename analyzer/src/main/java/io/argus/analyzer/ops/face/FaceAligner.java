package io.argus.analyzer.ops.face;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Aligns a face to the standard ArcFace 112×112 crop from four BlazeFace landmarks (both eyes,
 * nose tip, mouth centre).
 *
 * <p>Template: InsightFace's five-point {@code arcface_dst} ({@code python-package/insightface/
 * utils/face_align.py}, deepinsight/insightface), in pixels of the 112×112 crop: left-of-image eye
 * (38.2946, 51.6963), right-of-image eye (73.5318, 51.5014), nose tip (56.0252, 71.7366), mouth
 * corners (41.5493, 92.3655) and (70.7299, 92.2041). BlazeFace gives the mouth centre, not its
 * corners, so the corners' midpoint (56.1396, 92.2848) stands for it.
 *
 * <p>Transform: the least-squares similarity (rotation, uniform scale, translation; no
 * reflection) from the landmarks to the template, Umeyama, "Least-squares estimation of
 * transformation parameters between two point patterns", IEEE TPAMI 13(4), 1991, eqs. 40–42. In 2-D
 * with the rotation written {@code [[a, −b], [b, a]]} the SVD of the 2×2 covariance reduces to a
 * closed form on the centred points {@code (x, y) → (u, v)}:
 * {@code a = Σ(xu + yv) / Σ(x² + y²)}, {@code b = Σ(xv − yu) / Σ(x² + y²)},
 * {@code t = mean(dst) − [[a, −b], [b, a]]·mean(src)} (the same result as InsightFace's
 * {@code skimage SimilarityTransform.estimate}, which is Umeyama's). The crop is then resampled with
 * OpenCV {@code warpAffine} (bilinear, black outside the frame).
 */
public final class FaceAligner {

    /** Side of the aligned crop, pixels. */
    public static final int SIZE = 112;

    /**
     * Template points in crop pixels, x0, y0, … for BlazeFace's keypoints 0–3: the subject's right
     * eye (image left), left eye (image right), nose tip, mouth centre.
     */
    public static final double[] TEMPLATE = {
        38.2946, 51.6963,
        73.5318, 51.5014,
        56.0252, 71.7366,
        (41.5493 + 70.7299) / 2, (92.3655 + 92.2041) / 2,
    };

    private FaceAligner() {
    }

    /**
     * Least-squares similarity from {@code src} to {@code dst} (see the class description).
     *
     * @param src points x0, y0, x1, y1, … (at least two distinct points)
     * @param dst as many target points
     * @return the 2×3 row-major matrix {@code [a, −b, tx, b, a, ty]} mapping src to dst
     * @throws IllegalArgumentException when the point counts differ, are under 2, or the source
     *     points all coincide
     */
    public static double[] similarity(double[] src, double[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("need as many source as target points, at least 2: " + src.length
                    + " and " + dst.length + " coordinates");
        }
        int n = src.length / 2;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[2 * i];
            sy += src[2 * i + 1];
            dx += dst[2 * i];
            dy += dst[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double x = src[2 * i] - sx, y = src[2 * i + 1] - sy;
            double u = dst[2 * i] - dx, v = dst[2 * i + 1] - dy;
            num1 += x * u + y * v;
            num2 += x * v - y * u;
            den += x * x + y * y;
        }
        if (den < 1e-12) {
            throw new IllegalArgumentException("the source points coincide");
        }
        double a = num1 / den;
        double b = num2 / den;
        return new double[] {a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)};
    }

    /**
     * @param m a 2×3 matrix from {@link #similarity}
     * @param x a point's x
     * @param y its y
     * @return the mapped point {x', y'}
     */
    public static double[] apply(double[] m, double x, double y) {
        return new double[] {m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]};
    }

    /**
     * @param keypoints BlazeFace keypoints in frame pixels ({@code BlazeFaceOp.keypointsToFrame}:
     *     at least the first four, x0, y0, … x3, y3)
     * @return the 2×3 matrix taking frame pixels to the 112×112 aligned crop
     */
    public static double[] toTemplate(float[] keypoints) {
        if (keypoints.length < 8) {
            throw new IllegalArgumentException("need 4 keypoints (eyes, nose, mouth), got " + keypoints.length / 2);
        }
        double[] src = new double[8];
        for (int i = 0; i < 8; i++) {
            src[i] = keypoints[i];
        }
        return similarity(src, TEMPLATE);
    }

    /**
     * The template for a crop of another size with a margin: the template points scaled about the
     * 112×112 crop's centre (56, 56) by {@code size / 112 / (1 + margin)} and moved to the centre
     * of the {@code size}×{@code size} crop. Margin 0 and size 112 give {@link #TEMPLATE}; margin
     * 0.25 leaves a quarter more of the head around the same landmarks.
     *
     * @param keypoints BlazeFace keypoints in frame pixels (at least the first four)
     * @param size crop side, pixels
     * @param margin extra context, a fraction ≥ 0 of the template's field of view
     * @return the 2×3 matrix taking frame pixels to that crop
     */
    public static double[] toTemplate(float[] keypoints, int size, double margin) {
        if (size <= 0 || margin < 0) {
            throw new IllegalArgumentException("size must be > 0 and margin >= 0: " + size + ", " + margin);
        }
        double k = size / (double) SIZE / (1 + margin);
        double[] dst = new double[TEMPLATE.length];
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (TEMPLATE[i] - SIZE / 2.0) * k + size / 2.0;
        }
        if (keypoints.length < 8) {
            throw new IllegalArgumentException("need 4 keypoints (eyes, nose, mouth), got " + keypoints.length / 2);
        }
        double[] src = new double[8];
        for (int i = 0; i < 8; i++) {
            src[i] = keypoints[i];
        }
        return similarity(src, dst);
    }

    /**
     * Warps the frame into the aligned crop.
     *
     * @param bgr the frame, 8-bit BGR
     * @param m a 2×3 matrix from frame pixels to crop pixels ({@link #toTemplate})
     * @param out receives the {@value #SIZE}×{@value #SIZE} 8-bit BGR crop (reallocated as needed)
     */
    public static void warp(Mat bgr, double[] m, Mat out) {
        warp(bgr, m, SIZE, out);
    }

    /**
     * Warps the frame into a square crop of any size.
     *
     * @param bgr the frame, 8-bit BGR
     * @param m a 2×3 matrix from frame pixels to crop pixels ({@link #toTemplate(float[], int, double)})
     * @param side crop side, pixels
     * @param out receives the side×side 8-bit BGR crop (reallocated as needed)
     */
    public static void warp(Mat bgr, double[] m, int side, Mat out) {
        try (Mat affine = new Mat(2, 3, CV_64F); Size size = new Size(side, side); Scalar black = new Scalar(0.0)) {
            DoubleIndexer ix = affine.createIndexer();
            for (int i = 0; i < 6; i++) {
                ix.put(i / 3, i % 3, m[i]);
            }
            ix.release();
            warpAffine(bgr, out, affine, size, INTER_LINEAR, BORDER_CONSTANT, black);
        }
    }
}
