package io.argus.analyzer.ops.plate;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.Size2f;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Finds text regions with PP-OCRv4's DB detector ({@link OcrModels#DET}) and PaddleOCR's
 * {@code DBPostProcess} (ppocr/postprocess/db_postprocess.py): the image is scaled so its shorter
 * side is at least {@value #MIN_SIDE} px and its longer at most {@value #MAX_SIDE} px, both rounded
 * to multiples of 32, normalised with ImageNet's mean and std on {@code p / 255} in BGR order (as
 * PaddleOCR feeds OpenCV images); the probability map is binarised at {@value #BINARY_THRESHOLD},
 * each connected region's minimum-area rectangle is kept when the map's mean inside it reaches
 * {@value #BOX_THRESHOLD}, then grown by the DB paper's unclip distance
 * {@code area × }{@value #UNCLIP_RATIO}{@code  / perimeter} on every side (Liao et al., AAAI 2020,
 * section 3.4). Thread-safe.
 */
public final class TextDetector {

    /** Shorter side of the detector's input at least, pixels (small crops are scaled up). */
    public static final int MIN_SIDE = 320;
    /** Longer side of the detector's input at most, pixels. */
    public static final int MAX_SIDE = 960;
    /** Probability above which a pixel is text (PaddleOCR's {@code det_db_thresh}). */
    public static final float BINARY_THRESHOLD = 0.3f;
    /** Least mean probability inside a region (PaddleOCR's {@code det_db_box_thresh}: 0.6). */
    public static final float BOX_THRESHOLD = 0.5f;
    /** Unclip ratio (PaddleOCR's {@code det_db_unclip_ratio}). */
    public static final float UNCLIP_RATIO = 1.6f;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final OcrModels models;

    /** @param models the loaded PP-OCR models */
    public TextDetector(OcrModels models) {
        this.models = models;
    }

    /**
     * A text region in the input image's pixels.
     *
     * @param box   the rotated rectangle (centre, size, angle in degrees as OpenCV gives them)
     * @param score mean text probability inside it, in [0, 1]
     */
    public record Region(RotatedRect box, float score) {

        /** @return the region's longer side, pixels */
        public float length() {
            return Math.max(box.size().width(), box.size().height());
        }

        /** @return the region's shorter side, pixels */
        public float thickness() {
            return Math.min(box.size().width(), box.size().height());
        }
    }

    /**
     * @param bgr an 8-bit BGR image, any size ≥ 8×8
     * @return the text regions, in the image's pixels, best score first
     * @throws OrtException when the model fails
     */
    public List<Region> detect(Mat bgr) throws OrtException {
        int w = bgr.cols();
        int h = bgr.rows();
        int[] input = inputSize(w, h);
        int iw = input[0];
        int ih = input[1];
        float[] tensor = new float[3 * iw * ih];
        try (Mat resized = new Mat(); Size size = new Size(iw, ih)) {
            opencv_imgproc.resize(bgr, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            Planes.put(resized, 1 / 255f, MEAN, STD, tensor, 0, ih, iw);
        }
        float[] map = new float[iw * ih];
        OrtSession det = models.detector();
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(tensor),
                new long[] {1, 3, ih, iw});
             OrtSession.Result r = det.run(Map.of(det.getInputNames().iterator().next(), t))) {
            ((OnnxTensor) r.get(0)).getFloatBuffer().get(map);
        }
        return regions(map, iw, ih, (float) w / iw, (float) h / ih);
    }

    /**
     * @param w image width, pixels
     * @param h image height, pixels
     * @return the detector's input width and height for it, pixels (see the class comment)
     */
    public static int[] inputSize(int w, int h) {
        double s = Math.max(1, (double) MIN_SIDE / Math.min(w, h));
        s = Math.min(s, (double) MAX_SIDE / Math.max(w, h));
        return new int[] {Math.max(32, (int) Math.round(w * s / 32) * 32), Math.max(32, (int) Math.round(h * s / 32) * 32)};
    }

    /** DB post-processing of a probability map {@code [ih × iw]}, scaled back by (sx, sy). */
    static List<Region> regions(float[] map, int iw, int ih, float sx, float sy) {
        List<Region> out = new ArrayList<>();
        try (Mat prob = new Mat(ih, iw, opencv_core.CV_32FC1); Mat bin = new Mat(ih, iw, opencv_core.CV_8UC1);
             MatVector contours = new MatVector(); Mat hierarchy = new Mat()) {
            FloatIndexer pi = prob.createIndexer();
            pi.put(0L, map);
            pi.release();
            opencv_imgproc.threshold(prob, bin, BINARY_THRESHOLD, 255, opencv_imgproc.THRESH_BINARY);
            try (Mat bin8 = new Mat()) {
                bin.convertTo(bin8, opencv_core.CV_8UC1);
                opencv_imgproc.findContours(bin8, contours, hierarchy, opencv_imgproc.RETR_LIST,
                        opencv_imgproc.CHAIN_APPROX_SIMPLE);
            }
            for (long i = 0; i < Math.min(contours.size(), 1000); i++) {
                Mat c = contours.get(i);
                RotatedRect rr = opencv_imgproc.minAreaRect(c);
                if (Math.min(rr.size().width(), rr.size().height()) < 3) {
                    continue;
                }
                float score = meanInside(prob, c);
                if (score < BOX_THRESHOLD) {
                    continue;
                }
                float rw = rr.size().width();
                float rh = rr.size().height();
                float d = rw * rh * UNCLIP_RATIO / (2 * (rw + rh));
                rw += 2 * d;
                rh += 2 * d;
                if (Math.min(rw, rh) < 5) {
                    continue;
                }
                // back to the image's pixels: scaling each side by the axis nearest to it
                double a = Math.toRadians(rr.angle());
                double cos = Math.abs(Math.cos(a));
                double sin = Math.abs(Math.sin(a));
                float w2 = (float) (rw * (cos * sx + sin * sy));
                float h2 = (float) (rh * (sin * sx + cos * sy));
                RotatedRect back = new RotatedRect(new Point2f(rr.center().x() * sx, rr.center().y() * sy),
                        new Size2f(w2, h2), rr.angle());
                out.add(new Region(back, score));
            }
        }
        out.sort((p, q) -> Float.compare(q.score(), p.score()));
        return out;
    }

    /** @return the map's mean inside the contour (PaddleOCR's {@code box_score_slow}) */
    private static float meanInside(Mat prob, Mat contour) {
        Rect r = opencv_imgproc.boundingRect(contour);
        r = new Rect(Math.max(0, r.x()), Math.max(0, r.y()), Math.min(prob.cols() - Math.max(0, r.x()), r.width()),
                Math.min(prob.rows() - Math.max(0, r.y()), r.height()));
        try (Mat mask = new Mat(r.height(), r.width(), opencv_core.CV_8UC1, new Scalar(0)); MatVector one = new MatVector(1);
             Mat points = new Mat()) {
            contour.convertTo(points, opencv_core.CV_32SC2);
            one.put(0, points);
            opencv_imgproc.fillPoly(mask, one, new Scalar(1), opencv_imgproc.LINE_8, 0,
                    new org.bytedeco.opencv.opencv_core.Point(-r.x(), -r.y()));
            return (float) opencv_core.mean(prob.apply(r), mask).get(0);
        }
    }

    /**
     * Cuts a region out upright: a perspective warp of its four corners to a rectangle as long as
     * its longer side and as high as its shorter.
     *
     * @param bgr    the image the region was found in
     * @param region the region
     * @return the crop, 8-bit BGR
     */
    public static Mat crop(Mat bgr, Region region) {
        RotatedRect rr = region.box();
        Point2f corners = new Point2f(4);
        rr.points(corners);
        // order: the corners sorted so that the long side runs left to right
        float[] xs = new float[4];
        float[] ys = new float[4];
        for (int i = 0; i < 4; i++) {
            xs[i] = corners.position(i).x();
            ys[i] = corners.position(i).y();
        }
        corners.position(0);
        int tl = 0;
        for (int i = 1; i < 4; i++) {
            if (xs[i] + ys[i] < xs[tl] + ys[tl]) {
                tl = i;
            }
        }
        int[] order = new int[4];
        for (int i = 0; i < 4; i++) {
            order[i] = (tl + i) % 4;
        }
        // points() gives the corners in order around the rectangle; make it clockwise from top left
        float cross = (xs[order[1]] - xs[order[0]]) * (ys[order[2]] - ys[order[1]])
                - (ys[order[1]] - ys[order[0]]) * (xs[order[2]] - xs[order[1]]);
        if (cross < 0) {
            order = new int[] {order[0], order[3], order[2], order[1]};
        }
        double wTop = Math.hypot(xs[order[1]] - xs[order[0]], ys[order[1]] - ys[order[0]]);
        double hLeft = Math.hypot(xs[order[3]] - xs[order[0]], ys[order[3]] - ys[order[0]]);
        int cw = Math.max(1, (int) Math.round(wTop));
        int ch = Math.max(1, (int) Math.round(hLeft));
        try (Mat src = new Mat(4, 1, opencv_core.CV_32FC2); Mat dst = new Mat(4, 1, opencv_core.CV_32FC2)) {
            FloatIndexer si = src.createIndexer();
            FloatIndexer di = dst.createIndexer();
            float[][] target = {{0, 0}, {cw, 0}, {cw, ch}, {0, ch}};
            for (int i = 0; i < 4; i++) {
                si.put(i, 0, 0, xs[order[i]]);
                si.put(i, 0, 1, ys[order[i]]);
                di.put(i, 0, 0, target[i][0]);
                di.put(i, 0, 1, target[i][1]);
            }
            si.release();
            di.release();
            try (Mat m = opencv_imgproc.getPerspectiveTransform(src, dst)) {
                Mat out = new Mat();
                opencv_imgproc.warpPerspective(bgr, out, m, new Size(cw, ch), opencv_imgproc.INTER_CUBIC,
                        opencv_core.BORDER_REPLICATE, new Scalar());
                if (ch > 1.5 * cw) { // a vertical line: turn it to read left to right
                    Mat turned = new Mat();
                    opencv_core.rotate(out, turned, opencv_core.ROTATE_90_COUNTERCLOCKWISE);
                    out.close();
                    return turned;
                }
                return out;
            }
        }
    }
}
