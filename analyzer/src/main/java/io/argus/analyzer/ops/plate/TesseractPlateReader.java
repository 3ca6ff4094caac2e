package io.argus.analyzer.ops.plate;

import java.nio.file.Path;
import java.util.Optional;

import org.bytedeco.opencv.opencv_core.Mat;

import ai.onnxruntime.OrtException;

/**
 * The licence-plate reader with Tesseract as its recogniser: {@link PlateReader}'s detection
 * stage (PP-OCRv4 text regions shaped like a plate line, two-line pairing, minimum width) with
 * each line read by a {@link TesseractRecognizer} instead of the PP-OCRv4 recogniser; the same
 * normal form ({@link io.argus.schemas.plates.PlateText}) and the same regional formats
 * ({@link PlateFormat}) apply to its reads. A comparison, not the default: BENCHMARKS.md "Licence
 * plates" measures both on the labelled set and degraded copies of it. Thread-safe (reads are
 * serialised on the one Tesseract instance).
 */
public final class TesseractPlateReader implements AutoCloseable {

    private final TesseractRecognizer recognizer;
    private final PlateReader reader;

    /**
     * @param models   the loaded PP-OCR models (their detector finds the plate)
     * @param tessdata a directory holding {@code eng.traineddata}
     *                 ({@link TesseractRecognizer#findTessdata()})
     * @throws IllegalStateException when Tesseract cannot load it
     */
    public TesseractPlateReader(OcrModels models, Path tessdata) {
        this.recognizer = new TesseractRecognizer(tessdata);
        this.reader = new PlateReader(models, recognizer);
    }

    /**
     * @param vehicle an 8-bit BGR crop of a vehicle (or any image), at least 8×8 px
     * @return as {@link PlateReader#read}
     * @throws OrtException when the detection model fails
     */
    public Optional<PlateReader.PlateRead> read(Mat vehicle) throws OrtException {
        return reader.read(vehicle);
    }

    /** @return the Tesseract line recogniser in use */
    public TesseractRecognizer recognizer() {
        return recognizer;
    }

    /** Frees Tesseract. */
    @Override
    public void close() {
        recognizer.close();
    }
}
