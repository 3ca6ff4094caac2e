package io.argus.analyzer.ops.plate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.tesseract.TessBaseAPI;
import org.bytedeco.tesseract.global.tesseract;

/**
 * Reads text lines with Tesseract 5 (bytedeco's {@code tesseract} 5.5.1 natives) and an English
 * traineddata file (Debian's {@code tesseract-ocr-eng}): the LSTM engine ({@code OEM_LSTM_ONLY}),
 * one line per image ({@code PSM_SINGLE_LINE}, page segmentation mode 7) and the character
 * whitelist {@value #WHITELIST}, as Tesseract's documentation advises for a known single line
 * (tesseract-ocr.github.io/tessdoc/ImproveQuality.html, "Page segmentation method", "Dictionaries,
 * word lists, and patterns"). Each line is turned grey, scaled to {@value #HEIGHT} px high
 * (keeping its aspect, at most {@value #MAX_WIDTH} px wide: the same page says text of about 30 px
 * capital height reads best) and given a {@value #BORDER} px border of its own edge pixels
 * (Tesseract misses text touching the image edge). The score is Tesseract's mean word confidence
 * ({@code MeanTextConf}, 0–100) plus 1, / 101, for a non-empty read (with the whitelist Tesseract
 * rates many lines it read 0, measured on {@code eval/plates}), 0 for an empty one. Thread-safe: one Tesseract instance, used by one thread at a
 * time.
 */
public final class TesseractRecognizer implements LineRecognizer, AutoCloseable {

    /** Characters Tesseract may answer. */
    public static final String WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Height each line is scaled to, pixels. */
    public static final int HEIGHT = 64;
    /** Widest scaled line, pixels. */
    public static final int MAX_WIDTH = 960;
    /** Border added around each line, pixels. */
    public static final int BORDER = 10;
    /** Tesseract's language. */
    public static final String LANGUAGE = "eng";
    /** Where Debian's {@code tesseract-ocr-eng} installs {@code eng.traineddata}. */
    public static final Path DEBIAN_TESSDATA = Path.of("/usr/share/tesseract-ocr/5/tessdata");

    private final TessBaseAPI api = new TessBaseAPI();

    /**
     * @param tessdata a directory holding {@code eng.traineddata}
     * @throws IllegalStateException when Tesseract cannot load it
     */
    public TesseractRecognizer(Path tessdata) {
        Path file = tessdata.resolve(LANGUAGE + ".traineddata");
        if (!Files.isRegularFile(file)) {
            api.close();
            throw new IllegalStateException("no " + file + " (Debian: apt-get install tesseract-ocr-eng)");
        }
        if (api.Init(tessdata.toString(), LANGUAGE, tesseract.OEM_LSTM_ONLY) != 0) {
            api.close();
            throw new IllegalStateException("Tesseract could not load " + file);
        }
        api.SetPageSegMode(tesseract.PSM_SINGLE_LINE);
        api.SetVariable("tessedit_char_whitelist", WHITELIST);
    }

    /**
     * @return the first of {@code $TESSDATA_PREFIX} and {@link #DEBIAN_TESSDATA} holding
     *         {@code eng.traineddata}, or empty
     */
    public static java.util.Optional<Path> findTessdata() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("TESSDATA_PREFIX");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(DEBIAN_TESSDATA);
        return candidates.stream().filter(d -> Files.isRegularFile(d.resolve(LANGUAGE + ".traineddata"))).findFirst();
    }

    /**
     * @param lines text-line crops, 8-bit BGR (or grey), any size ≥ 1×1
     * @return one text per crop; {@code probs} holds the line's score for each character
     */
    @Override
    public synchronized List<CtcDecoder.Decoded> read(List<Mat> lines) {
        List<CtcDecoder.Decoded> out = new ArrayList<>(lines.size());
        for (Mat line : lines) {
            out.add(readOne(line));
        }
        return out;
    }

    private CtcDecoder.Decoded readOne(Mat line) {
        try (Mat grey = new Mat(); Mat scaled = new Mat(); Mat framed = new Mat()) {
            if (line.channels() == 3) {
                opencv_imgproc.cvtColor(line, grey, opencv_imgproc.COLOR_BGR2GRAY);
            } else {
                line.copyTo(grey);
            }
            int w = Math.max(8, Math.min(MAX_WIDTH, (int) Math.round(HEIGHT * (double) grey.cols() / grey.rows())));
            try (Size size = new Size(w, HEIGHT)) {
                opencv_imgproc.resize(grey, scaled, size, 0, 0, opencv_imgproc.INTER_CUBIC);
            }
            try (Scalar none = new Scalar()) {
                opencv_core.copyMakeBorder(scaled, framed, BORDER, BORDER, BORDER, BORDER, opencv_core.BORDER_REPLICATE, none);
            }
            api.SetImage(framed.data(), framed.cols(), framed.rows(), 1, (int) framed.step1());
            BytePointer utf8 = api.GetUTF8Text();
            String text = utf8 == null ? "" : utf8.getString(java.nio.charset.StandardCharsets.UTF_8).strip();
            if (utf8 != null) {
                utf8.deallocate();
            }
            // with the whitelist, Tesseract's LSTM often rates a line it did read 0: (conf + 1) / 101 keeps
            // such a read choosable (PlateReader keeps the line of highest score above 0) and the order
            float score = text.isEmpty() ? 0 : (Math.max(0, api.MeanTextConf()) + 1) / 101f;
            api.Clear();
            float[] probs = new float[text.length()];
            Arrays.fill(probs, score);
            return new CtcDecoder.Decoded(text, score, probs);
        }
    }

    /** Frees Tesseract. */
    @Override
    public synchronized void close() {
        api.End();
        api.close();
    }
}
