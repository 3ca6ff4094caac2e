package io.argus.analyzer.ops.face;

import java.nio.FloatBuffer;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fits a BGR frame into the square model input keeping its aspect ratio (letterbox), as
 * MediaPipe's {@code ImageToTensorCalculator} does with {@code keep_aspect_ratio: true}: scale by
 * {@code min(S/w, S/h)}, centre, pad with black; then BGR→RGB and 8-bit → float in [-1, 1]
 * ({@code v * 2/255 - 1}, MediaPipe's {@code output_tensor_float_range {min: -1 max: 1}} and
 * keijiro's Barracuda preprocessing), laid out NHWC as the ONNX export's {@code [1, S, S, 3]} input
 * expects. A plain stretch would distort faces on 4:3 and 16:9 frames, which the model was not
 * trained on.
 *
 * <p>Not thread-safe: reuses its Mats.
 */
public final class Letterbox implements AutoCloseable {

    private final int size;
    private final Mat resized = new Mat();
    private final Mat padded = new Mat();
    private final Mat rgb = new Mat();
    private final Mat floats = new Mat();
    private final Scalar black = new Scalar(0, 0, 0, 0);
    private float scale;
    private int padX;
    private int padY;

    /** @param size square input size in pixels */
    public Letterbox(int size) {
        this.size = size;
    }

    /**
     * @param bgr frame, 8-bit BGR
     * @param out receives {@code size·size·3} floats, NHWC RGB in [-1, 1]; cleared, then flipped
     */
    public void apply(Mat bgr, FloatBuffer out) {
        int w = bgr.cols();
        int h = bgr.rows();
        scale = Math.min((float) size / w, (float) size / h);
        int rw = Math.max(1, Math.min(size, Math.round(w * scale)));
        int rh = Math.max(1, Math.min(size, Math.round(h * scale)));
        padX = (size - rw) / 2;
        padY = (size - rh) / 2;
        try (Size s = new Size(rw, rh)) {
            opencv_imgproc.resize(bgr, resized, s, 0, 0, opencv_imgproc.INTER_AREA);
        }
        opencv_core.copyMakeBorder(resized, padded, padY, size - rh - padY, padX, size - rw - padX,
                opencv_core.BORDER_CONSTANT, black);
        opencv_imgproc.cvtColor(padded, rgb, opencv_imgproc.COLOR_BGR2RGB);
        rgb.convertTo(floats, opencv_core.CV_32FC3, 2.0 / 255.0, -1.0);
        FloatBuffer src = floats.createBuffer();
        out.clear();
        out.put(src);
        out.flip();
    }

    /** @return frame x of a normalized input x (after the last {@link #apply}) */
    public float frameX(float nx) {
        return (nx * size - padX) / scale;
    }

    /** @return frame y of a normalized input y (after the last {@link #apply}) */
    public float frameY(float ny) {
        return (ny * size - padY) / scale;
    }

    @Override
    public void close() {
        resized.close();
        padded.close();
        rgb.close();
        floats.close();
        black.close();
    }
}
