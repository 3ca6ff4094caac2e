package io.argus.analyzer.ops.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;

import java.util.List;

import org.assertj.core.data.Offset;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import io.argus.analyzer.ops.BlazeFaceOp;

/**
 * {@link FaceAligner}: the least-squares similarity recovers a known transform, and a synthetic
 * "face" (four coloured dots at hand-placed landmark positions on a 480×360 image, rotated, scaled
 * and shifted away from the template) is warped so that each dot's centre lands on its template
 * point within 1 px; on a real frame BlazeFace's first keypoint is the eye on the image's left, as
 * the template expects.
 */
class FaceAlignerTest {

    /** Dot colours (BGR) of right eye, left eye, nose, mouth: one channel each, or two. */
    private static final double[][] COLOURS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};

    @Test
    void similarityRecoversAKnownTransformExactly() {
        double angle = Math.toRadians(-17);
        double scale = 0.43;
        double a = scale * Math.cos(angle);
        double b = scale * Math.sin(angle);
        double[] src = {10, 20, 200, 40, 120, 160, 30, 300, 250, 260};
        double[] dst = new double[src.length];
        for (int i = 0; i < src.length; i += 2) {
            dst[i] = a * src[i] - b * src[i + 1] + 5.5;
            dst[i + 1] = b * src[i] + a * src[i + 1] - 12.25;
        }
        double[] m = FaceAligner.similarity(src, dst);
        assertThat(m).containsExactly(new double[] {a, -b, 5.5, b, a, -12.25}, Offset.offset(1e-9));
    }

    @Test
    void similarityIsTheLeastSquaresFitOfNoisyPoints() {
        // Four points that no similarity maps exactly: the fit's residual must not drop when any
        // parameter is nudged (a local minimum of the squared error).
        double[] src = {0, 0, 10, 0, 10, 10, 0, 10};
        double[] dst = {1, 1, 12, 0, 11, 13, -1, 10};
        double[] m = FaceAligner.similarity(src, dst);
        double best = residual(m, src, dst);
        for (int p : new int[] {0, 2, 3, 5}) {
            for (double d : new double[] {-1e-3, 1e-3}) {
                double[] n = m.clone();
                n[p] += d;
                if (p == 0) {
                    n[4] += d;
                }
                if (p == 3) {
                    n[1] -= d;
                }
                assertThat(residual(n, src, dst)).isGreaterThan(best);
            }
        }
        assertThatThrownBy(() -> FaceAligner.similarity(new double[] {1, 1, 1, 1}, new double[] {0, 0, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coincide");
        assertThatThrownBy(() -> FaceAligner.similarity(new double[] {1, 1}, new double[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double residual(double[] m, double[] src, double[] dst) {
        double r = 0;
        for (int i = 0; i < src.length; i += 2) {
            double[] p = FaceAligner.apply(m, src[i], src[i + 1]);
            r += Math.pow(p[0] - dst[i], 2) + Math.pow(p[1] - dst[i + 1], 2);
        }
        return r;
    }

    @Test
    void handPlacedLandmarksLandOnTheTemplateWithinOnePixel() {
        // The template points turned by 25°, scaled by 2.6 about (56, 72), moved to (300, 170) and
        // rounded to whole pixels.
        float[] landmarks = {281, 103, 364, 141, 300, 169, 278, 218};
        try (Mat frame = new Mat(360, 480, CV_8UC3, new Scalar(40, 40, 40, 0)); Mat crop = new Mat()) {
            for (int i = 0; i < 4; i++) {
                try (Point c = new Point(Math.round(landmarks[2 * i]), Math.round(landmarks[2 * i + 1]));
                     Scalar colour = new Scalar(COLOURS[i][0], COLOURS[i][1], COLOURS[i][2], 0)) {
                    circle(frame, c, 6, colour, FILLED, LINE_AA, 0);
                }
            }
            double[] m = FaceAligner.toTemplate(landmarks);
            FaceAligner.warp(frame, m, crop);
            assertThat(crop.cols()).isEqualTo(112);
            assertThat(crop.rows()).isEqualTo(112);
            double maxErr = 0;
            for (int i = 0; i < 4; i++) {
                double[] c = centroid(crop, COLOURS[i]);
                // the dot lands where the transform puts the hand-placed point ...
                double[] mapped = FaceAligner.apply(m, landmarks[2 * i], landmarks[2 * i + 1]);
                assertThat(Math.hypot(c[0] - mapped[0], c[1] - mapped[1])).as("dot %d vs its mapped point", i)
                        .isLessThan(0.5);
                // ... which is the template point: these landmarks are a similarity image of it
                double err = Math.hypot(c[0] - FaceAligner.TEMPLATE[2 * i], c[1] - FaceAligner.TEMPLATE[2 * i + 1]);
                maxErr = Math.max(maxErr, err);
                assertThat(err).as("dot %d vs the template", i).isLessThanOrEqualTo(1.0);
            }
            System.out.printf("aligned dots: max %.2f px from the ArcFace template%n", maxErr);
        }
    }

    @Test
    void aLargerCropWithAMarginKeepsTheLandmarksAboutItsCentre() {
        float[] landmarks = {281, 103, 364, 141, 300, 169, 278, 218};
        double[] m = FaceAligner.toTemplate(landmarks, 224, 0.25);
        double k = 224 / 112.0 / 1.25;
        for (int i = 0; i < 4; i++) {
            double[] p = FaceAligner.apply(m, landmarks[2 * i], landmarks[2 * i + 1]);
            assertThat(p[0]).isCloseTo((FaceAligner.TEMPLATE[2 * i] - 56) * k + 112, Offset.offset(1.0));
            assertThat(p[1]).isCloseTo((FaceAligner.TEMPLATE[2 * i + 1] - 56) * k + 112, Offset.offset(1.0));
        }
    }

    @Test
    void blazeFacesFirstKeypointIsTheEyeOnTheImagesLeft() throws Exception {
        try (BlazeFaceOp detector = FaceTestModels.detector()) {
            List<FaceClips.Found> faces = FaceClips.faces("head-pose-face-detection-male.mp4", detector);
            assertThat(faces).isNotEmpty();
            for (FaceClips.Found f : faces) {
                float[] k = f.keypoints();
                assertThat(k[0]).as("right eye x < left eye x, frame %d", f.frame()).isLessThan(k[2]);
                assertThat(k[7]).as("mouth below the eyes, frame %d", f.frame()).isGreaterThan(Math.max(k[1], k[3]));
            }
        }
    }

    @Test
    void blurScoreDropsWhenTheAlignedCropIsBlurred() throws Exception {
        try (BlazeFaceOp detector = FaceTestModels.detector(); Mat crop = new Mat(); Mat soft = new Mat();
             org.bytedeco.opencv.opencv_core.Size k = new org.bytedeco.opencv.opencv_core.Size(5, 5)) {
            FaceClips.Found f = FaceClips.faces("head-pose-face-detection-male.mp4", detector).get(0);
            FaceAligner.warp(f.frameBgr(), FaceAligner.toTemplate(f.keypoints()), crop);
            org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur(crop, soft, k, 1.5);
            float sharp = FaceEmbedder.blur(crop);
            float blurred = FaceEmbedder.blur(soft);
            System.out.printf("blur score: aligned crop %.1f, after a 5x5 Gaussian (sigma 1.5) %.1f%n", sharp, blurred);
            assertThat(sharp).isGreaterThan(2 * blurred);
            assertThat(blurred).isPositive();
        }
    }

    /** Centre of the pixels closest to a colour (each channel within 60 of it). */
    private static double[] centroid(Mat img, double[] bgr) {
        double sx = 0;
        double sy = 0;
        double n = 0;
        try (UByteIndexer ix = img.createIndexer()) {
            for (int y = 0; y < img.rows(); y++) {
                for (int x = 0; x < img.cols(); x++) {
                    boolean match = true;
                    for (int c = 0; c < 3; c++) {
                        match &= Math.abs(ix.get(y, x, c) - bgr[c]) < 60;
                    }
                    if (match) {
                        sx += x;
                        sy += y;
                        n++;
                    }
                }
            }
        }
        assertThat(n).as("pixels of colour").isGreaterThan(3);
        return new double[] {sx / n, sy / n};
    }
}
