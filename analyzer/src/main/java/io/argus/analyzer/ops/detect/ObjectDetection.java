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

    /** Name of the NanoDet-m op (all COCO classes), present when {@link ModelSpec#NANODET} is installed. */
    public static final String NANODET_NAME = "detection-nanodet";
    /** Name of the SSD-MobileNetV2 op when another model is {@value #NAME}. */
    public static final String SSD_NAME = "detection-ssd";
    /** Name of the CenterNet op (all COCO classes), present when {@link ModelSpec#CENTERNET} is installed. */
    public static final String CENTERNET_NAME = "detection-centernet";
    /**
     * Default score threshold of {@value #NANODET_NAME}. Chosen on the evaluation set
     * (eval/README.md, 158 frames, AP@0.5 matching): person precision/recall 0.68/0.87 at 0.30,
     * 0.81/0.87 at 0.35, 0.89/0.85 at 0.40, 0.97/0.85 at 0.45; car recall 0.80, 0.74, 0.66, 0.48
     * (precision 0.99–1); the per-frame counting error of people and vehicles is lowest at
     * 0.40–0.45.
     */
    public static final float NANODET_THRESHOLD = 0.4f;
    /**
     * Default score threshold of {@value #CENTERNET_NAME}. Chosen on the evaluation set: person
     * precision/recall 0.70/0.87 at 0.30, 0.80/0.84 at 0.35, 0.91/0.80 at 0.40; car recall 0.52,
     * 0.36, 0.21 (CenterNet scores cars seen from above low); counting errors of people and
     * vehicles together are lowest at 0.30–0.35.
     */
    public static final float CENTERNET_THRESHOLD = 0.35f;

    private ObjectDetection() {
    }

    /**
     * @param model a model spec
     * @param modelsDir models directory
     * @return true when that model and its derived files are installed and intact there
     */
    public static boolean available(ModelSpec model, Path modelsDir) {
        try {
            ModelInstaller.locate(model, modelsDir);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The {@value #NANODET_NAME} detector: NanoDet-m ({@link ModelDerivations#NANODET_ONNX}), the
     * frame letterboxed into 416×416 (grey 114 padding), BGR, normalised with NanoDet's own
     * {@code mean = (103.53, 116.28, 123.675)}, {@code std = (57.375, 57.12, 58.395)} (RangiLyu/nanodet
     * {@code config/nanodet-m.yml}, {@code pipeline.normalize}, on OpenCV's BGR images), NCHW;
     * {@link NanoDetDecoder}; per-class NMS at {@value DetectorSpec#DEFAULT_NMS_IOU}.
     *
     * <p>vladmandic/human feeds this graph stretched RGB scaled to 0–1 ({@code src/object/nanodet.ts});
     * on Argus's evaluation set (eval/README.md) that gave mean AP@0.5 0.51 against 0.85 with
     * NanoDet's normalisation (stretched) and 0.71 letterboxed, where letterboxing raised person AP
     * from 0.82 to 0.89 and car AP from 0.89 to 0.99 but lost the small top-down bicycles of the
     * 480×270 clip (AP 0.83 → 0.25, 27 boxes); people and cars weigh more for Argus.
     *
     * @param modelsDir models directory
     * @param intraOpThreads ONNX Runtime intra-op threads per run
     * @return the spec, labels {@link CocoLabels#BY_INDEX} (index + 1 = COCO id)
     * @throws io.argus.analyzer.models.ModelException when the model is not installed
     */
    public static DetectorSpec nanodetSpec(Path modelsDir, int intraOpThreads) {
        InstalledModel m = ModelInstaller.locate(ModelSpec.NANODET, modelsDir);
        int side = ModelDerivations.NANODET_SIZE;
        InputSpec input = new InputSpec(side, side, true, false, 1f, new float[] {103.53f, 116.28f, 123.675f},
                new float[] {57.375f, 57.12f, 58.395f}, true);
        return new DetectorSpec(NANODET_NAME, DetectorSpec.Family.NANODET, m.file(ModelDerivations.NANODET_ONNX),
                CocoLabels.BY_INDEX, input, NANODET_THRESHOLD, DetectorSpec.DEFAULT_NMS_IOU,
                DetectorSpec.DEFAULT_MAX_DETECTIONS, null, null, false, null, intraOpThreads);
    }

    /**
     * The {@value #CENTERNET_NAME} detector: CenterNet-MobileNetV3 ({@link ModelDerivations#CENTERNET_ONNX}),
     * the frame letterboxed into 512×512 (grey 114 padding), RGB 0–255 (the graph's first
     * convolution takes raw pixels, as vladmandic/human feeds it, {@code src/object/centernet.ts}),
     * NHWC; {@link CenterNetDecoder}; per-class NMS at {@value DetectorSpec#DEFAULT_NMS_IOU}.
     *
     * <p>human stretches the frame; on Argus's evaluation set letterboxing gave mean AP@0.5 0.77
     * against 0.71 (person 0.86 against 0.82, car 0.91 against 0.72); BGR input or 0–1 scaling
     * was worse.
     *
     * @param modelsDir models directory
     * @param intraOpThreads ONNX Runtime intra-op threads per run
     * @return the spec, labels {@link CocoLabels#BY_INDEX} (index + 1 = COCO id)
     * @throws io.argus.analyzer.models.ModelException when the model is not installed
     */
    public static DetectorSpec centernetSpec(Path modelsDir, int intraOpThreads) {
        InstalledModel m = ModelInstaller.locate(ModelSpec.CENTERNET, modelsDir);
        int side = ModelDerivations.CENTERNET_SIZE;
        InputSpec input = new InputSpec(side, side, false, true, 1f, new float[3], new float[] {1, 1, 1}, true);
        return new DetectorSpec(CENTERNET_NAME, DetectorSpec.Family.CENTERNET,
                m.file(ModelDerivations.CENTERNET_ONNX), CocoLabels.BY_INDEX, input, CENTERNET_THRESHOLD,
                DetectorSpec.DEFAULT_NMS_IOU, DetectorSpec.DEFAULT_MAX_DETECTIONS, null, null, false, null,
                intraOpThreads);
    }

    /**
     * Per-class thresholds of the default {@code detection} op on NanoDet-m: road vehicles at 0.3
     * (the op's threshold, 0.4, for the rest). Chosen on the labelled set (BENCHMARKS "Choosing the
     * default detector"): with vehicles suppressed across their classes
     * ({@link OnnxDetectorOp#VEHICLES}), vehicles at 0.3 are found at recall 0.911 and precision
     * 0.962, against 0.804 / 1.000 at 0.4; people at 0.3 would lose precision (0.892 to 0.676).
     */
    public static final String NANODET_VEHICLE_THRESHOLDS = "car:0.3,truck:0.3,bus:0.3,motorcycle:0.3";

    /**
     * @param modelsDir models directory
     * @return the {@value #NANODET_NAME} op
     * @throws io.argus.analyzer.models.ModelException when the model is not installed
     */
    public static OnnxDetectorOp.Provider nanodet(Path modelsDir) {
        return new OnnxDetectorOp.Provider(nanodetSpec(modelsDir, SharedSessions.defaultIntraOpThreads()));
    }

    /**
     * @param modelsDir models directory
     * @return the {@value #CENTERNET_NAME} op
     * @throws io.argus.analyzer.models.ModelException when the model is not installed
     */
    public static OnnxDetectorOp.Provider centernet(Path modelsDir) {
        return new OnnxDetectorOp.Provider(centernetSpec(modelsDir, SharedSessions.defaultIntraOpThreads()));
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
