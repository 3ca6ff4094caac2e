package io.argus.analyzer.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.Label;
import io.argus.schemas.ops.OpParam;

/**
 * Op {@code motion}: how much of the frame changed since the job's previous sampled frame, and
 * where, by frame differencing (the classic change-detection baseline; see e.g. Radke et al.,
 * "Image Change Detection Algorithms: A Systematic Survey", IEEE Transactions on Image Processing
 * 14(3), 2005, simple differencing).
 *
 * <p>The previous frame is read from the frame store at the FRAME event's {@code prev_uri}, which
 * ingest sets to the URI of the job's frame {@code seq - 1}; the op keeps no state between frames,
 * so frames of one job may run on any analyzer thread or instance.
 *
 * <p>Pipeline, on both frames at full resolution:
 * <ol>
 *   <li>BGR → grey (ITU-R BT.601 luma, OpenCV {@code COLOR_BGR2GRAY});</li>
 *   <li>Gaussian blur, {@value #BLUR_KERNEL}×{@value #BLUR_KERNEL} px kernel (σ ≈ 1.1 px, OpenCV's
 *       default for that size): removes JPEG 8×8 block edges and sensor noise, which would
 *       otherwise pass the threshold as isolated pixels;</li>
 *   <li>absolute difference, thresholded at {@code threshold} grey levels (default
 *       {@value #DEFAULT_THRESHOLD} of 255) into a change mask;</li>
 *   <li>score = changed pixels / frame pixels, in [0, 1];</li>
 *   <li>regions: the mask dilated {@value #DILATE_ITERATIONS} times with a
 *       {@value #DILATE_KERNEL}×{@value #DILATE_KERNEL} px square (so the leading and trailing
 *       edges of a moving body, which differencing separates, join into one region), then 8-connected
 *       components; components smaller than {@code min_region} of the frame area (default
 *       {@value #DEFAULT_MIN_REGION}, 442 px at 768×576) are dropped, at most
 *       {@value #MAX_REGIONS} kept, largest first.</li>
 * </ol>
 *
 * <p>Why {@value #DEFAULT_THRESHOLD}: measured on vtest.avi (768×576, JPEG-encoded as ingest
 * stores it) sampled every second, 29 consecutive pairs, after the blur: on the lawn where nobody
 * walks the difference is at most 12 grey levels (99.99% of pixels at most 5); over the whole frame
 * the share of pixels above t falls from 8.6% at t = 3 to 4.8% at t = 10 and 3.4% at t = 25 (the
 * pedestrians). 25, about twice the background's maximum and five times its 99.99th percentile,
 * was chosen from this measurement: it keeps the walkers and leaves the lawn, pavement and codec
 * noise out. Measured scores are in MotionOpTest.
 *
 * <p>Label {@value #LABEL} with the frame's score when the score is at least {@code min_score}
 * (default {@value #DEFAULT_MIN_SCORE}, half a percent of the frame: about one walking pedestrian at
 * vtest's scale, whose frames 1 s apart score 0.025–0.037; a still frame with temporal noise scores
 * 0), so label selection and terminate rules
 * work on it: e.g. {@code {"label":"motion","select":2,"score":0.02}} keeps frames where at least 2%
 * of the frame changed. Below it, the frame has no label (an empty frame). The first frame of a job
 * (no previous frame) scores 0 and has no label.
 *
 * <p>Detections: one per region, label {@value #LABEL}, box in pixels of the current frame
 * (left, top inclusive; right, bottom exclusive), score = the region's density, changed pixels in
 * the box / box pixels, in (0, 1].
 *
 * <p>Params (the job request's {@code ops[].params}, all optional): {@code threshold} (int grey
 * levels, 1–254), {@code min_score} (fraction, [0, 1]), {@code min_region} (fraction of the frame
 * area, [0, 1]).
 *
 * <p>Raw result: {@code {"score":0.031,"threshold":25,"previous":"file:…/41.jpg",
 * "detections":[{"index":1,"class":"motion","score":0.42,"area":1834,
 * "pts":[[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}]}} ({@code area}: changed pixels in the region;
 * {@code pts}: the box clockwise from the top-left corner, as the Argus Serving detection shape).
 *
 * <p>Errors: frames of different sizes raise {@link IllegalArgumentException}; a previous frame
 * missing from the store or not decodable raises {@link java.io.IOException}; params out of range
 * raise {@link IllegalArgumentException}. The analyzer records them on the frame's result.
 */
public final class MotionOp implements Op {

    /** Op name. */
    public static final String NAME = "motion";
    /** Label of the frame and of every region. */
    public static final String LABEL = "motion";
    /** Grey-level difference (0–255) above which a pixel counts as changed. */
    public static final int DEFAULT_THRESHOLD = 25;
    /** Score (fraction of the frame changed) from which the frame gets the label. */
    public static final double DEFAULT_MIN_SCORE = 0.005;
    /** Smallest region kept, as a fraction of the frame area. */
    public static final double DEFAULT_MIN_REGION = 0.001;
    /** Gaussian blur kernel, pixels (odd). */
    public static final int BLUR_KERNEL = 5;
    /** Dilation kernel side, pixels. */
    public static final int DILATE_KERNEL = 5;
    /** Dilation iterations. */
    public static final int DILATE_ITERATIONS = 2;
    /** Most regions reported per frame. */
    public static final int MAX_REGIONS = 50;

    // cv::ConnectedComponentsTypes, stats columns
    private static final int CC_LEFT = 0;
    private static final int CC_TOP = 1;
    private static final int CC_WIDTH = 2;
    private static final int CC_HEIGHT = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mat prevGrey = new Mat();
    private final Mat grey = new Mat();
    private final Mat diff = new Mat();
    private final Mat mask = new Mat();
    private final Mat dilated = new Mat();
    private final Mat components = new Mat();
    private final Mat stats = new Mat();
    private final Mat centroids = new Mat();
    private final Size blur = new Size(BLUR_KERNEL, BLUR_KERNEL);
    private final Mat kernel = opencv_imgproc.getStructuringElement(opencv_imgproc.MORPH_RECT,
            new Size(DILATE_KERNEL, DILATE_KERNEL));
    private final Point anchor = new Point(-1, -1);

    /** Creates the op's working buffers (reused across frames of any size). */
    public MotionOp() {
    }

    /**
     * Settings of one run.
     *
     * @param threshold grey-level difference above which a pixel changed, 1–254
     * @param minScore  score from which the frame is labelled, [0, 1]
     * @param minRegion smallest region kept, fraction of the frame area, [0, 1]
     */
    public record Settings(int threshold, double minScore, double minRegion) {

        /** The defaults. */
        public static final Settings DEFAULT = new Settings(DEFAULT_THRESHOLD, DEFAULT_MIN_SCORE, DEFAULT_MIN_REGION);

        /**
         * @throws IllegalArgumentException when a value is out of range
         */
        public Settings {
            if (threshold < 1 || threshold > 254) {
                throw new IllegalArgumentException("motion threshold must be in [1, 254], got " + threshold);
            }
            if (!(minScore >= 0 && minScore <= 1)) {
                throw new IllegalArgumentException("motion min_score must be in [0, 1], got " + minScore);
            }
            if (!(minRegion >= 0 && minRegion <= 1)) {
                throw new IllegalArgumentException("motion min_region must be in [0, 1], got " + minRegion);
            }
        }

        /**
         * @param params the op's params ({@code threshold}, {@code min_score}, {@code min_region});
         *               absent keys keep the defaults
         * @return the settings
         * @throws IllegalArgumentException when a value is not a number or out of range
         */
        public static Settings of(JsonNode params) {
            double threshold = number(params, "threshold", DEFAULT_THRESHOLD);
            if (threshold != Math.rint(threshold)) {
                throw new IllegalArgumentException("motion threshold must be a whole number of grey levels, got "
                        + threshold);
            }
            return new Settings(
                    (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, threshold)),
                    number(params, "min_score", DEFAULT_MIN_SCORE),
                    number(params, "min_region", DEFAULT_MIN_REGION));
        }

        private static double number(JsonNode params, String key, double dflt) {
            JsonNode v = params == null ? null : params.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException("motion " + key + " must be a number, got " + v);
            }
            return v.asDouble();
        }
    }

    /**
     * Without a context there is no previous frame: the result of a first frame.
     *
     * @param bgr the frame, 8-bit BGR
     * @return score 0, no label, no region
     */
    @Override
    public OpOutput apply(Mat bgr) {
        return first(Settings.DEFAULT);
    }

    /**
     * @param bgr     the frame, 8-bit 3-channel BGR
     * @param context the FRAME event ({@code prev_uri}), the params and the frame store
     * @return the score, label and regions against the previous frame; score 0 on a job's first frame
     * @throws java.io.IOException      when the previous frame cannot be read or decoded
     * @throws IllegalArgumentException when the frames differ in size or a param is out of range
     */
    @Override
    public OpOutput apply(Mat bgr, OpContext context) throws Exception {
        Settings settings = Settings.of(context.params());
        var prev = context.previousUri();
        if (prev.isEmpty()) {
            return first(settings);
        }
        try (Mat previous = context.readFrame(prev.get())) {
            return compare(previous, bgr, settings, prev.get());
        }
    }

    /**
     * Compares two frames.
     *
     * @param previous    the earlier frame, 8-bit 3-channel BGR
     * @param current     the later frame, 8-bit 3-channel BGR, same size
     * @param settings    threshold and minimums
     * @param previousUri where the earlier frame came from, for the raw result (may be null)
     * @return score in [0, 1], label when the score reaches {@code minScore}, regions in pixels of
     *         {@code current}
     * @throws IllegalArgumentException when the frames differ in size
     */
    public OpOutput compare(Mat previous, Mat current, Settings settings, String previousUri) {
        if (previous.cols() != current.cols() || previous.rows() != current.rows()) {
            throw new IllegalArgumentException("motion needs frames of one size: previous frame is "
                    + previous.cols() + "x" + previous.rows() + " px, this frame " + current.cols() + "x"
                    + current.rows() + " px");
        }
        smoothGrey(previous, prevGrey);
        smoothGrey(current, grey);
        opencv_core.absdiff(prevGrey, grey, diff);
        opencv_imgproc.threshold(diff, mask, settings.threshold(), 255, opencv_imgproc.THRESH_BINARY);
        long pixels = (long) current.cols() * current.rows();
        double score = pixels == 0 ? 0 : (double) opencv_core.countNonZero(mask) / pixels;

        opencv_imgproc.dilate(mask, dilated, kernel, anchor, DILATE_ITERATIONS, opencv_core.BORDER_CONSTANT,
                opencv_imgproc.morphologyDefaultBorderValue());
        int n = opencv_imgproc.connectedComponentsWithStats(dilated, components, stats, centroids, 8, opencv_core.CV_32S);
        double minArea = settings.minRegion() * pixels;
        List<Region> regions = new ArrayList<>();
        try (IntIndexer s = stats.createIndexer()) {
            for (int i = 1; i < n; i++) { // 0 is the background
                int x = s.get(i, CC_LEFT);
                int y = s.get(i, CC_TOP);
                int w = s.get(i, CC_WIDTH);
                int h = s.get(i, CC_HEIGHT);
                int changed;
                try (Rect r = new Rect(x, y, w, h); Mat roi = new Mat(mask, r)) {
                    changed = opencv_core.countNonZero(roi);
                }
                if (changed >= minArea && changed > 0) {
                    regions.add(new Region(new Box(x, y, x + w, y + h), changed, (float) changed / ((long) w * h)));
                }
            }
        }
        regions.sort(Comparator.comparingInt(Region::changed).reversed());
        if (regions.size() > MAX_REGIONS) {
            regions = new ArrayList<>(regions.subList(0, MAX_REGIONS));
        }
        return output((float) score, settings, previousUri, regions);
    }

    private void smoothGrey(Mat bgr, Mat out) {
        if (bgr.channels() == 1) {
            bgr.copyTo(out);
        } else {
            opencv_imgproc.cvtColor(bgr, out, opencv_imgproc.COLOR_BGR2GRAY);
        }
        opencv_imgproc.GaussianBlur(out, out, blur, 0);
    }

    private static OpOutput first(Settings settings) {
        return output(0f, settings, null, List.of());
    }

    private static OpOutput output(float score, Settings settings, String previousUri, List<Region> regions) {
        ObjectNode result = JSON.createObjectNode();
        result.put("score", score);
        result.put("threshold", settings.threshold());
        result.put("previous", previousUri);
        ArrayNode list = result.putArray("detections");
        List<Detection> detections = new ArrayList<>(regions.size());
        for (Region r : regions) {
            Box b = r.box();
            detections.add(new Detection(LABEL, r.density(), b, null, null));
            OpOutput.addDetection(list, 1, LABEL, r.density(), b).put("area", r.changed());
        }
        List<Label> labels = score > 0 && score >= settings.minScore() ? List.of(new Label(LABEL, score)) : List.of();
        return new OpOutput(labels, detections, result.toString());
    }

    /** A moving region: box in pixels, changed pixels inside, and their share of the box. */
    private record Region(Box box, int changed, float density) {
    }

    @Override
    public void close() {
        prevGrey.close();
        grey.close();
        diff.close();
        mask.close();
        dilated.close();
        components.close();
        stats.close();
        centroids.close();
        blur.close();
        kernel.close();
        anchor.close();
    }

    /**
     * The params of {@link Settings#of}, as the edge checks them: {@code threshold} an integer in
     * [1, 254], {@code min_score} and {@code min_region} numbers in [0, 1].
     */
    public static final List<OpParam> PARAMS = List.of(
            OpParam.integer("threshold", 1L, 254L, "grey-level difference (of 255) above which a pixel counts as "
                    + "changed; default " + DEFAULT_THRESHOLD),
            OpParam.number("min_score", 0.0, 1.0, "fraction of the frame that must change for the frame to get "
                    + "label motion; default " + DEFAULT_MIN_SCORE),
            OpParam.number("min_region", 0.0, 1.0, "smallest region reported, fraction of the frame area; default "
                    + DEFAULT_MIN_REGION));

    /** @return the op's provider: one motion op (its buffers) per analyzer thread; params {@link #PARAMS} */
    public static OpProvider provider() {
        return OpProvider.of(NAME, List.of(LABEL), PARAMS, MotionOp::new);
    }
}
