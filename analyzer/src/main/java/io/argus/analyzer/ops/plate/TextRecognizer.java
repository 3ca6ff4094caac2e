package io.argus.analyzer.ops.plate;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Reads text lines with PP-OCRv4's recogniser ({@link OcrModels#REC}): each line crop is resized
 * to {@value #HEIGHT} px high keeping its aspect (at most {@value #MAX_WIDTH} px wide), scaled to
 * {@code (p / 255 − 0.5) / 0.5} in BGR order, padded with zeros on the right to the batch's widest,
 * and decoded by greedy CTC — PaddleOCR's {@code RecResizeImg} and {@code CTCLabelDecode}
 * (ppocr/data/imaug/rec_img_aug.py, ppocr/postprocess/rec_postprocess.py). Thread-safe.
 */
public final class TextRecognizer implements LineRecognizer {

    /** Input height of the recogniser, pixels. */
    public static final int HEIGHT = 48;
    /** Widest input, pixels (a 10:1 line; PaddleOCR's default {@code rec_image_shape} is 3,48,320). */
    public static final int MAX_WIDTH = 480;

    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    private final OcrModels models;

    /** @param models the loaded PP-OCR models */
    public TextRecognizer(OcrModels models) {
        this.models = models;
    }

    /**
     * @param lines text-line crops, 8-bit BGR, any size ≥ 1×1
     * @return one decoded text per crop, in order
     * @throws OrtException when the model fails
     */
    @Override
    public List<CtcDecoder.Decoded> read(List<Mat> lines) throws OrtException {
        List<CtcDecoder.Decoded> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        int width = 0;
        int[] widths = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            Mat m = lines.get(i);
            widths[i] = Math.max(8, Math.min(MAX_WIDTH, (int) Math.ceil(HEIGHT * (double) m.cols() / m.rows())));
            width = Math.max(width, widths[i]);
        }
        float[] input = new float[lines.size() * 3 * HEIGHT * width];
        for (int i = 0; i < lines.size(); i++) {
            try (Mat resized = new Mat(); Size size = new Size(widths[i], HEIGHT)) {
                opencv_imgproc.resize(lines.get(i), resized, size, 0, 0, opencv_imgproc.INTER_LINEAR);
                Planes.put(resized, 1 / 255f, HALF, HALF, input, i, HEIGHT, width);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession rec = models.recognizer();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input),
                new long[] {lines.size(), 3, HEIGHT, width});
             OrtSession.Result r = rec.run(Map.of(rec.getInputNames().iterator().next(), t))) {
            OnnxTensor o = (OnnxTensor) r.get(0);
            long[] shape = o.getInfo().getShape();
            int steps = (int) shape[1];
            int classes = (int) shape[2];
            FloatBuffer all = o.getFloatBuffer();
            float[] one = new float[steps * classes];
            for (int i = 0; i < lines.size(); i++) {
                all.position(i * steps * classes);
                all.get(one);
                out.add(CtcDecoder.greedy(one, steps, classes, models.alphabet()));
            }
        }
        return out;
    }
}
