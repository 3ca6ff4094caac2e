package io.argus.analyzer.ops.detect;

import java.nio.FloatBuffer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Turns a BGR frame into a detector input per {@link InputSpec}: bilinear resize with OpenCV
 * ({@code INTER_LINEAR}, pixel centres aligned; TensorFlow's legacy {@code ResizeBilinear} without
 * half-pixel centres samples up to half a source pixel away, which does not change detections),
 * stretched or letterboxed, BGR→RGB when asked, scaled and normalised to float, NHWC or NCHW. Keeps
 * the transform so model-input pixel coordinates can be mapped back to the frame.
 *
 * <p>Not thread-safe: reuses its Mats (one per op instance).
 */
public final class ImagePrep implements AutoCloseable {

    private final InputSpec spec;
    private final Mat resized = new Mat();
    private final Mat padded = new Mat();
    private final Mat ordered = new Mat();
    private final Mat floats = new Mat();
    private final Scalar grey = new Scalar(InputSpec.PAD, InputSpec.PAD, InputSpec.PAD, 0);
    private final float[] hwc;
    private float sx = 1;
    private float sy = 1;
    private int padX;
    private int padY;

    /** @param spec input geometry and normalisation */
    public ImagePrep(InputSpec spec) {
        this.spec = spec;
        this.hwc = new float[spec.width() * spec.height() * 3];
    }

    /**
     * @param bgr frame, 8-bit 3-channel BGR, any size
     * @param out receives {@code W·H·3} floats in the spec's layout; cleared, filled, flipped
     */
    public void apply(Mat bgr, FloatBuffer out) {
        int w = bgr.cols();
        int h = bgr.rows();
        int iw = spec.width();
        int ih = spec.height();
        Mat src;
        if (spec.letterbox()) {
            float s = Math.min((float) iw / w, (float) ih / h);
            int rw = Math.max(1, Math.min(iw, Math.round(w * s)));
            int rh = Math.max(1, Math.min(ih, Math.round(h * s)));
            padX = (iw - rw) / 2;
            padY = (ih - rh) / 2;
            sx = s;
            sy = s;
            try (Size size = new Size(rw, rh)) {
                opencv_imgproc.resize(bgr, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            }
            opencv_core.copyMakeBorder(resized, padded, padY, ih - rh - padY, padX, iw - rw - padX,
                    opencv_core.BORDER_CONSTANT, grey);
            src = padded;
        } else {
            padX = 0;
            padY = 0;
            sx = (float) iw / w;
            sy = (float) ih / h;
            try (Size size = new Size(iw, ih)) {
                opencv_imgproc.resize(bgr, resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
            }
            src = resized;
        }
        if (spec.rgb()) {
            opencv_imgproc.cvtColor(src, ordered, opencv_imgproc.COLOR_BGR2RGB);
            src = ordered;
        }
        src.convertTo(floats, opencv_core.CV_32FC3, spec.scale(), 0);
        FloatBuffer fb = floats.createBuffer();
        fb.get(hwc);
        out.clear();
        int plane = iw * ih;
        if (!spec.nchw() && spec.plainScale()) {
            out.put(hwc);
        } else if (!spec.nchw()) {
            for (int i = 0; i < hwc.length; i++) {
                int c = i % 3;
                out.put((hwc[i] - spec.mean()[c]) / spec.std()[c]);
            }
        } else {
            for (int c = 0; c < 3; c++) {
                float m = spec.mean()[c];
                float sd = spec.std()[c];
                for (int p = 0; p < plane; p++) {
                    out.put((hwc[3 * p + c] - m) / sd);
                }
            }
        }
        out.flip();
    }

    /** @return the frame x of a model-input x in pixels (after the last {@link #apply}) */
    public float frameX(float inputX) {
        return (inputX - padX) / sx;
    }

    /** @return the frame y of a model-input y in pixels (after the last {@link #apply}) */
    public float frameY(float inputY) {
        return (inputY - padY) / sy;
    }

    @Override
    public void close() {
        resized.close();
        padded.close();
        ordered.close();
        floats.close();
        grey.close();
    }
}
