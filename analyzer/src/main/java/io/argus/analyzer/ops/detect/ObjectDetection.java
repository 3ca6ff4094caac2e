package io.argus.analyzer.ops.detect;

import java.nio.file.Path;
import java.util.Set;

import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;

/**
 * The built-in detector ops on the installed {@code objects} model (TF.js coco-ssd,
 * SSD-MobileNetV2 trained on COCO, converted to ONNX at install time, see
 * {@link ModelDerivations}):
 * <ul>
 *   <li>{@value #NAME}: every COCO class ({@link CocoLabels});
 *   <li>{@value #PERSON}: the same detections filtered to label {@code person}.
 * </ul>
 * Both are {@link OnnxDetectorOp}s of family SSD, so they share one ONNX Runtime session. Input:
 * the frame stretched to 300×300 (the model's {@code fixed_shape_resizer}), RGB, 0–255 floats,
 * NHWC; the converted graph applies the model's own {@code x·(2/255) − 1}. Per-class NMS at IoU
 * {@value DetectorSpec#DEFAULT_NMS_IOU}, at most {@value DetectorSpec#DEFAULT_MAX_DETECTIONS}
 * boxes.
 *
 * <p>Score threshold {@value #THRESHOLD} (coco-ssd's default is 0.5). Chosen on vtest.avi frames
 * every 10 s (768×576; pedestrians 15–45 px wide and 35–110 px tall, i.e. down to 6×15 px at the
 * 300×300 input, near SSD-MobileNet's smallest anchors), with candidates down to 0.2 drawn and
 * inspected: clearly visible pedestrians scored 0.6–0.94 and the parked cars 0.66–0.85; partly
 * hidden pedestrians (behind a sign, behind another walker) 0.42–0.48, which 0.5 would lose; the
 * false candidates below 0.4 were a rock on the lawn taken for a cow or sheep (0.28–0.38) and
 * frame-wide boxes (0.24–0.39). Some false boxes score above any useful threshold (a frame-wide
 * "person" at 0.54, a plastic bag on the lawn as "sports ball" at 0.64). On uniform black, grey
 * and white frames the best candidate scores below 0.09.
 */
public final class ObjectDetection {

    /** Name of the all-classes op. */
    public static final String NAME = "detection";
    /** Name of the people op. */
    public static final String PERSON = "person";
    /** Default score threshold of both ops. */
    public static final float THRESHOLD = 0.4f;
    /** Model input size (both sides), pixels. */
    public static final int INPUT_SIZE = 300;

    private ObjectDetection() {
    }

    /**
     * @param modelsDir models directory
     * @return true when the objects model and its ONNX conversion are installed and intact there
     */
    public static boolean available(Path modelsDir) {
        try {
            ModelInstaller.locate(ModelSpec.OBJECTS, modelsDir);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @param modelsDir models directory
     * @param intraOpThreads ONNX Runtime intra-op threads per run
     * @return the {@value #NAME} detector spec
     * @throws io.argus.analyzer.models.ModelException when the model is not installed
     */
    public static DetectorSpec spec(Path modelsDir, int intraOpThreads) {
        InstalledModel m = ModelInstaller.locate(ModelSpec.OBJECTS, modelsDir);
        InputSpec input = new InputSpec(INPUT_SIZE, INPUT_SIZE, false, true, 1f, new float[3],
                new float[] {1, 1, 1}, false);
        return new DetectorSpec(NAME, DetectorSpec.Family.SSD, m.file(ModelDerivations.OBJECTS_ONNX),
                CocoLabels.BY_INDEX, input, THRESHOLD, DetectorSpec.DEFAULT_NMS_IOU,
                DetectorSpec.DEFAULT_MAX_DETECTIONS, "boxes", "scores", true, null, intraOpThreads);
    }

    /**
     * @param modelsDir models directory
     * @return the {@value #NAME} op (intra-op threads from {@link SharedSessions#defaultIntraOpThreads()})
     */
    public static OnnxDetectorOp.Provider detection(Path modelsDir) {
        return new OnnxDetectorOp.Provider(spec(modelsDir, SharedSessions.defaultIntraOpThreads()));
    }

    /**
     * @param modelsDir models directory
     * @return the {@value #PERSON} op: {@value #NAME} filtered to label {@code person}
     */
    public static OnnxDetectorOp.Provider person(Path modelsDir) {
        return new OnnxDetectorOp.Provider(spec(modelsDir, SharedSessions.defaultIntraOpThreads())
                .filtered(PERSON, Set.of("person")));
    }
}
