package io.argus.analyzer.ops.plate;

import io.argus.schemas.plates.PlateText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import ai.onnxruntime.OrtException;

/**
 * Finds and reads the licence plate in a vehicle crop: text regions ({@link TextDetector}) shaped
 * like a plate line (longer side at least {@value #MIN_ASPECT} × the shorter, at least
 * {@value #MIN_HEIGHT_PX} px high), each cut upright and read ({@link TextRecognizer}); the read
 * with 2 to 10 letters or digits and the highest recognition × region score is the plate; a line of
 * text stacked right above or below it joins it (two-line plates, upper line first).
 *
 * <p>A plate region narrower than {@value #MIN_WIDTH_PX} px is reported as unreadable, not guessed
 * (measured on synthetic plates: see BENCHMARKS.md "Licence plates"). Sharpness is the variance of
 * the Laplacian of the plate crop's grey levels (Pech-Pacheco et al., "Diatom autofocusing in
 * brightfield microscopy: a comparative study", ICPR 2000), turned into a weight
 * {@code v / (v + }{@value #SHARPNESS_HALF}{@code )} in [0, 1) for the aggregator's per-track vote.
 * Thread-safe when its recogniser is (both {@link TextRecognizer} and {@link TesseractRecognizer} are).
 */
public final class PlateReader {

    /** Narrowest plate read, pixels of the source frame. */
    public static final int MIN_WIDTH_PX = 60;
    /** Lowest plate line, pixels. */
    public static final int MIN_HEIGHT_PX = 8;
    /** Least ratio of a region's longer to shorter side. */
    public static final float MIN_ASPECT = 1.5f;
    /** Laplacian variance at which the sharpness weight is 0.5. */
    public static final double SHARPNESS_HALF = 100;

    private final TextDetector detector;
    private final LineRecognizer recognizer;

    /** @param models the loaded PP-OCR models: detection and recognition */
    public PlateReader(OcrModels models) {
        this(models, new TextRecognizer(models));
    }

    /**
     * The same detection stage with another recogniser (e.g. {@link TesseractRecognizer}): only how
     * each plate-like line is read differs.
     *
     * @param models     the loaded PP-OCR models (their detector is used)
     * @param recognizer reads the cut lines
     */
    public PlateReader(OcrModels models, LineRecognizer recognizer) {
        this.detector = new TextDetector(models);
        this.recognizer = java.util.Objects.requireNonNull(recognizer, "recognizer");
    }

    /**
     * What was found.
     *
     * @param raw       the recogniser's text as read
     * @param text      its normal form ({@link PlateText#normalize}); empty when unreadable
     * @param score     recognition score × region score, in [0, 1]; 0 when unreadable
     * @param box       the plate region's axis-aligned bounds in the crop, pixels
     * @param widthPx   the region's longer side, pixels
     * @param sharpness Laplacian variance of the plate crop
     * @param readable  false when the plate is narrower than {@value #MIN_WIDTH_PX} px
     */
    public record PlateRead(String raw, String text, float score, Bounds box, float widthPx, double sharpness,
                            boolean readable) {

        /** @return the sharpness as a weight in [0, 1) */
        public float sharpnessWeight() {
            return (float) (sharpness / (sharpness + SHARPNESS_HALF));
        }
    }

    /**
     * An axis-aligned rectangle.
     *
     * @param x left, pixels
     * @param y top, pixels
     * @param w width, pixels, ≥ 1
     * @param h height, pixels, ≥ 1
     */
    public record Bounds(int x, int y, int w, int h) {
    }

    /**
     * @param vehicle an 8-bit BGR crop of a vehicle (or any image), at least 8×8 px
     * @return the plate read, unreadable, or empty when no plate-like text is found
     * @throws OrtException when a model fails
     */
    public Optional<PlateRead> read(Mat vehicle) throws OrtException {
        if (vehicle.cols() < 8 || vehicle.rows() < 8) {
            return Optional.empty();
        }
        List<TextDetector.Region> lines = new ArrayList<>();
        for (TextDetector.Region r : detector.detect(vehicle)) {
            if (r.thickness() >= MIN_HEIGHT_PX && r.length() >= MIN_ASPECT * r.thickness()) {
                lines.add(r);
            }
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        List<Mat> crops = new ArrayList<>();
        for (TextDetector.Region r : lines) {
            crops.add(TextDetector.crop(vehicle, r));
        }
        try {
            List<CtcDecoder.Decoded> texts = recognizer.read(crops);
            int best = -1;
            float bestScore = 0;
            for (int i = 0; i < lines.size(); i++) {
                String t = PlateText.normalize(texts.get(i).text());
                float s = texts.get(i).score() * lines.get(i).score();
                if (t.length() >= 2 && t.length() <= 10 && s > bestScore) {
                    best = i;
                    bestScore = s;
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            TextDetector.Region r = lines.get(best);
            String raw = texts.get(best).text();
            float score = bestScore;
            int partner = partner(lines, texts, best);
            if (partner >= 0) { // a two-line plate: the upper line first
                boolean bestOnTop = r.box().center().y() < lines.get(partner).box().center().y();
                String other = texts.get(partner).text();
                raw = bestOnTop ? raw + " " + other : other + " " + raw;
                score = Math.min(score, texts.get(partner).score() * lines.get(partner).score());
            }
            Bounds box = clip(r.box().boundingRect(), vehicle);
            if (partner >= 0) {
                Bounds o = clip(lines.get(partner).box().boundingRect(), vehicle);
                int x0 = Math.min(box.x(), o.x());
                int y0 = Math.min(box.y(), o.y());
                box = new Bounds(x0, y0, Math.max(box.x() + box.w(), o.x() + o.w()) - x0,
                        Math.max(box.y() + box.h(), o.y() + o.h()) - y0);
            }
            double sharp = sharpness(crops.get(best));
            if (r.length() < MIN_WIDTH_PX) {
                return Optional.of(new PlateRead(raw, "", 0, box, r.length(), sharp, false));
            }
            return Optional.of(new PlateRead(raw, PlateText.normalize(raw), score, box, r.length(), sharp, true));
        } finally {
            crops.forEach(Mat::close);
        }
    }

    /**
     * The other line of a two-line plate: a region with text directly above or below the best one
     * (centres less than half the wider line apart horizontally, less than 2.2 line heights apart
     * vertically, at least half as long, the two together at most 10 letters and digits).
     *
     * @return its index, or −1
     */
    static int partner(List<TextDetector.Region> lines, List<CtcDecoder.Decoded> texts, int best) {
        TextDetector.Region b = lines.get(best);
        int length = PlateText.normalize(texts.get(best).text()).length();
        int found = -1;
        float nearest = Float.MAX_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            TextDetector.Region r = lines.get(i);
            int more = PlateText.normalize(texts.get(i).text()).length();
            if (i == best || more < 2 || length + more > 10) {
                continue;
            }
            float dx = Math.abs(r.box().center().x() - b.box().center().x());
            float dy = Math.abs(r.box().center().y() - b.box().center().y());
            float line = Math.max(r.thickness(), b.thickness());
            boolean stacked = dx < 0.5f * Math.max(r.length(), b.length()) && dy < 2.2f * line && dy > 0.6f * line
                    && r.length() >= 0.5f * b.length() && b.length() >= 0.5f * r.length();
            if (stacked && dy < nearest) {
                found = i;
                nearest = dy;
            }
        }
        return found;
    }

    /** @return the Laplacian variance of the image's grey levels */
    static double sharpness(Mat bgr) {
        try (Mat grey = new Mat(); Mat lap = new Mat(); Mat mean = new Mat(); Mat sd = new Mat()) {
            opencv_imgproc.cvtColor(bgr, grey, opencv_imgproc.COLOR_BGR2GRAY);
            opencv_imgproc.Laplacian(grey, lap, opencv_core.CV_64F);
            opencv_core.meanStdDev(lap, mean, sd);
            double s = sd.createIndexer() instanceof org.bytedeco.javacpp.indexer.DoubleIndexer di ? di.get(0) : 0;
            return s * s;
        }
    }

    private static Bounds clip(Rect r, Mat m) {
        int x = Math.max(0, r.x());
        int y = Math.max(0, r.y());
        int w = Math.max(1, Math.min(m.cols(), r.x() + r.width()) - x);
        int h = Math.max(1, Math.min(m.rows(), r.y() + r.height()) - y);
        return new Bounds(x, y, w, h);
    }
}
