package io.argus.launcher.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import ai.onnxruntime.OrtException;
import io.argus.analyzer.ops.plate.CtcDecoder;
import io.argus.analyzer.ops.plate.LineRecognizer;
import io.argus.analyzer.ops.plate.PlateReader;

/**
 * Two plate recognisers compared on the labelled set ({@link PlateSet}) as it is and on degraded
 * copies of it, made deterministically from each real image (what the reader is given,
 * {@link PlateSet.Item#vehicle()}): a Gaussian blur of σ {@value #BLUR_SIGMA} px, rotations of
 * ±5° and ±10° about the image's centre (edges replicated), and contrast cut to
 * {@value #LOW_CONTRAST} of itself around the image's mean grey level. Both readers share
 * {@link PlateReader}'s detection stage; only the {@link LineRecognizer} differs.
 */
public final class PlateComparison {

    /** Sigma of the blur, pixels. */
    public static final double BLUR_SIGMA = 1.5;
    /** Factor of the low-contrast copy. */
    public static final double LOW_CONTRAST = 0.3;

    private PlateComparison() {
    }

    /**
     * A way of degrading an image.
     *
     * @param name    as printed in the table
     * @param degrade a new image from an 8-bit BGR image (the input is not modified)
     */
    public record Condition(String name, UnaryOperator<Mat> degrade) {
    }

    /**
     * One recogniser's figures under one condition.
     *
     * @param engine            the recogniser's name
     * @param condition         the condition's name
     * @param exact             plates read exactly
     * @param total             plates
     * @param characterAccuracy mean of {@link PlateSet#characterAccuracy}, in [0, 1]
     * @param msPerImage        median ms of one {@link PlateReader#read} (detection + recognition)
     * @param msPerLine         mean ms the recogniser spent per plate-like line it read
     */
    public record Score(String engine, String condition, int exact, int total, double characterAccuracy,
                        double msPerImage, double msPerLine) {
    }

    /** A recogniser that counts the lines it reads and the time it takes. Not thread-safe. */
    public static final class Timed implements LineRecognizer {
        private final LineRecognizer inner;
        private long nanos;
        private long lines;

        /** @param inner the recogniser timed */
        public Timed(LineRecognizer inner) {
            this.inner = inner;
        }

        @Override
        public List<CtcDecoder.Decoded> read(List<Mat> crops) throws OrtException {
            long t0 = System.nanoTime();
            try {
                return inner.read(crops);
            } finally {
                nanos += System.nanoTime() - t0;
                lines += crops.size();
            }
        }

        void reset() {
            nanos = 0;
            lines = 0;
        }

        double msPerLine() {
            return lines == 0 ? Double.NaN : nanos / 1e6 / lines;
        }
    }

    /** @return the clean set and its six degraded copies, in table order */
    public static List<Condition> conditions() {
        return List.of(
                new Condition("clean", m -> m.clone()),
                new Condition("blur σ " + BLUR_SIGMA + " px", PlateComparison::blur),
                new Condition("rotated +5°", m -> rotate(m, 5)),
                new Condition("rotated −5°", m -> rotate(m, -5)),
                new Condition("rotated +10°", m -> rotate(m, 10)),
                new Condition("rotated −10°", m -> rotate(m, -10)),
                new Condition("contrast × " + LOW_CONTRAST, PlateComparison::lowContrast));
    }

    /**
     * @param engine    the recogniser's name
     * @param reader    a reader built on {@code timed}
     * @param timed     the reader's recogniser
     * @param set       the labelled set
     * @param condition how each image is degraded first
     * @param log       whether to print each read
     * @return the figures
     * @throws OrtException when a model fails
     */
    public static Score measure(String engine, PlateReader reader, Timed timed, List<PlateSet.Item> set,
                                Condition condition, boolean log) throws OrtException {
        timed.reset();
        int exact = 0;
        double chars = 0;
        List<Double> ms = new ArrayList<>();
        for (PlateSet.Item item : set) {
            try (Mat clean = item.vehicle(); Mat image = condition.degrade().apply(clean)) {
                long t0 = System.nanoTime();
                Optional<PlateReader.PlateRead> r = reader.read(image);
                ms.add((System.nanoTime() - t0) / 1e6);
                String text = r.map(PlateReader.PlateRead::text).orElse("");
                exact += text.equals(item.text()) ? 1 : 0;
                chars += PlateSet.characterAccuracy(item.text(), text);
                if (log) {
                    System.out.printf("%-10s %-14s %-36s %-12s %s%n", engine, condition.name(), item.file().getFileName(),
                            item.text(), text);
                }
            }
        }
        ms.sort(null);
        return new Score(engine, condition.name(), exact, set.size(), chars / set.size(), ms.get(ms.size() / 2),
                timed.msPerLine());
    }

    static Mat blur(Mat m) {
        Mat out = new Mat();
        try (Size none = new Size(0, 0)) {
            opencv_imgproc.GaussianBlur(m, out, none, BLUR_SIGMA);
        }
        return out;
    }

    static Mat rotate(Mat m, double degrees) {
        Mat out = new Mat();
        try (Point2f centre = new Point2f(m.cols() / 2f, m.rows() / 2f);
             Mat rot = opencv_imgproc.getRotationMatrix2D(centre, degrees, 1);
             Scalar none = new Scalar()) {
            opencv_imgproc.warpAffine(m, out, rot, m.size(), opencv_imgproc.INTER_LINEAR, opencv_core.BORDER_REPLICATE, none);
        }
        return out;
    }

    static Mat lowContrast(Mat m) {
        Mat out = new Mat();
        double mean;
        try (Mat grey = new Mat()) {
            opencv_imgproc.cvtColor(m, grey, opencv_imgproc.COLOR_BGR2GRAY);
            mean = opencv_core.mean(grey).get(0);
        }
        m.convertTo(out, -1, LOW_CONTRAST, (1 - LOW_CONTRAST) * mean);
        return out;
    }
}
