package io.argus.analyzer.ops;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

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
import io.argus.schemas.ops.OpParam;

/**
 * Op {@code person}: OpenCV's built-in HOG + linear SVM people detector (Dalal and Triggs,
 * "Histograms of Oriented Gradients for Human Detection", CVPR 2005; OpenCV
 * {@code HOGDescriptor::getDefaultPeopleDetector}, 64×128 window). About 120 ms per 768×576
 * frame on one core (DESIGN.md).
 *
 * <p>Settings: window stride 8×8 px, no padding, pyramid scale 1.05, grouping threshold 2 (OpenCV
 * defaults). The score is the logistic function of the SVM margin, {@code 1 / (1 + e^-w)}, so
 * every kept detection (w &gt; 0) scores in (0.5, 1). Param {@code threshold} (number in [0, 1],
 * default 0) drops the detections scoring below it, as the ONNX {@code person} does.
 *
 * <p>Raw result (the original Argus Serving detection shape):
 * {@code {"detections":[{"index":1,"class":"person","score":0.83,"pts":[[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}]}}
 * with pixel coordinates, clockwise from the top-left corner.
 */
public final class PersonHogOp implements Op {

    /** Op name. */
    public static final String NAME = "person";
    /** Param {@code threshold}: the score below which detections are dropped, [0, 1], default 0. */
    public static final OpParam THRESHOLD = OpParam.number("threshold", 0.0, 1.0,
            "score below which detections are dropped; default 0 (every detection the SVM keeps, which score "
                    + "above 0.5)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HOGDescriptor hog;
    private final RectVector found = new RectVector();
    private final DoublePointer weights = new DoublePointer();
    private final Size stride = new Size(8, 8);
    private final Size padding = new Size(0, 0);

    /** Width in pixels of OpenCV's default HOG people window (64×128, Dalal and Triggs 2005). */
    static final int WINDOW_WIDTH = 64;
    /** Height in pixels of that window. */
    static final int WINDOW_HEIGHT = 128;

    private PersonHogOp() {
        hog = new HOGDescriptor();
        // Mat(FloatPointer, copyData=true) holds the 3781 SVM coefficients as a column vector.
        hog.setSVMDetector(new Mat(HOGDescriptor.getDefaultPeopleDetector(), true));
    }

    /** Every detection the SVM keeps (scores in (0.5, 1)). */
    @Override
    public OpOutput apply(Mat bgr) {
        return detect(bgr, 0f);
    }

    /**
     * Runs with the job's params: {@code {"threshold": t}} (t in [0, 1], default 0) drops the
     * detections scoring below t; other keys are not read.
     *
     * @throws IllegalArgumentException when {@code threshold} is not a number in [0, 1]
     */
    @Override
    public OpOutput apply(Mat bgr, OpContext context) {
        JsonNode t = context.params().get("threshold");
        if (t == null || t.isNull()) {
            return apply(bgr);
        }
        String problem = THRESHOLD.problem(t);
        if (problem != null) {
            throw new IllegalArgumentException("op " + NAME + ": params.threshold must be " + problem + ", got " + t);
        }
        return detect(bgr, (float) t.asDouble());
    }

    private OpOutput detect(Mat bgr, float minScore) {
        if (bgr.cols() < WINDOW_WIDTH || bgr.rows() < WINDOW_HEIGHT) {
            // smaller than one detection window: nobody fits, and OpenCV's detectMultiScale
            // crashes the process (SIGABRT) on such images instead of raising an error
            return new OpOutput(List.of(), List.of(), "{\"detections\":[]}");
        }
        hog.detectMultiScale(bgr, found, weights, 0, stride, padding, 1.05, 2, false);
        List<Detection> detections = new ArrayList<>();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode list = result.putArray("detections");
        long n = found.size();
        for (int i = 0; i < n; i++) {
            Rect r = found.get(i);
            int x0 = Math.max(0, r.x());
            int y0 = Math.max(0, r.y());
            int x1 = Math.min(bgr.cols(), r.x() + r.width());
            int y1 = Math.min(bgr.rows(), r.y() + r.height());
            double w = i < weights.limit() ? weights.get(i) : 0;
            float score = (float) (1 / (1 + Math.exp(-w)));
            if (score < minScore) {
                continue;
            }
            detections.add(new Detection(NAME, score, new Box(x0, y0, x1, y1), null, null));
            ObjectNode d = list.addObject();
            d.put("index", 1);
            d.put("class", NAME);
            d.put("score", score);
            ArrayNode pts = d.putArray("pts");
            pts.addArray().add(x0).add(y0);
            pts.addArray().add(x1).add(y0);
            pts.addArray().add(x1).add(y1);
            pts.addArray().add(x0).add(y1);
        }
        return new OpOutput(OpOutput.labelsOf(detections), detections, result.toString());
    }

    @Override
    public void close() {
        hog.close();
        found.close();
        weights.close();
        stride.close();
        padding.close();
    }

    /** @return the op's provider: one HOG detector per analyzer thread; params {@link #THRESHOLD} */
    public static OpProvider provider() {
        return OpProvider.of(NAME, List.of(NAME), List.of(THRESHOLD), PersonHogOp::new);
    }
}
