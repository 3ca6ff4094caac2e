package io.argus.analyzer.ops.plate;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import ai.onnxruntime.OrtException;

/**
 * Reads the text of single text lines: the recognition stage of {@link PlateReader}, after its
 * detection stage has cut each plate-like line upright. {@link TextRecognizer} (PP-OCRv4, the
 * default) and {@link TesseractRecognizer} (the comparison) are the two.
 */
public interface LineRecognizer {

    /**
     * @param lines text-line crops, 8-bit BGR, any size ≥ 1×1 (not modified)
     * @return one decoded text per crop, in order; score in [0, 1]
     * @throws OrtException when an ONNX model fails
     */
    List<CtcDecoder.Decoded> read(List<Mat> lines) throws OrtException;
}
