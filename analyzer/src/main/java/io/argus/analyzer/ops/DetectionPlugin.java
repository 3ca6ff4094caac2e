package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.OpPlugin;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.ops.detect.ObjectDetection;
import io.argus.analyzer.ops.detect.OnnxDetectorOp;
import io.argus.analyzer.ops.detect.TrafficView;

/**
 * Built-in plug-in of the people and object detectors.
 * <ul>
 *   <li>{@code detection}: the best COCO detector installed, chosen on the evaluation set
 *       (BENCHMARKS.md, "Detection accuracy on the labelled set"): NanoDet-m ({@code nanodet}
 *       model, 416×416 letterbox) when installed, else SSD-MobileNetV2 ({@code objects} model);
 *       {@code person}, that detector filtered to people; {@code traffic}, its road users grouped
 *       as pedestrian and vehicle ({@link TrafficView}); {@code plate}, its vehicles with the licence
 *       plate read on each ({@link io.argus.analyzer.ops.plate.PlateOp}).
 *   <li>Without either model: {@code person} alone, the OpenCV HOG detector ({@link PersonHogOp}),
 *       and a warning once per models directory.
 *   <li>Each installed model also under its own name when it is not {@code detection}'s:
 *       {@code detection-ssd}, {@code detection-nanodet}, {@code detection-centernet}
 *       (CenterNet-MobileNetV3: more accurate, slower than 60 ms a 1080p frame on one core).
 * </ul>
 */
public final class DetectionPlugin implements OpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(DetectionPlugin.class);

    /**
     * @param modelsDir models directory
     * @return {@code detection} then {@code person} on the objects model, or the HOG {@code person};
     *         then {@code detection-nanodet} and {@code detection-centernet} when installed
     */
    @Override
    public List<OpProvider> providers(Path modelsDir) {
        List<OpProvider> ops = new ArrayList<>();
        boolean ssd = ObjectDetection.available(modelsDir);
        boolean nano = ObjectDetection.available(ModelSpec.NANODET, modelsDir);
        OnnxDetectorOp.Provider best = null;
        if (nano) {
            io.argus.analyzer.ops.detect.DetectorSpec spec = ObjectDetection.nanodet(modelsDir).spec()
                    .filtered(ObjectDetection.NAME, null);
            best = new OnnxDetectorOp.Provider(spec, new OnnxDetectorOp.Defaults(1,
                    io.argus.analyzer.ops.detect.ClassThresholds.parse(ObjectDetection.NANODET_VEHICLE_THRESHOLDS,
                            spec.labels())));
        } else if (ssd) {
            best = ObjectDetection.detection(modelsDir);
        }
        if (best != null) {
            ops.add(best);
            ops.add(new OnnxDetectorOp.Provider(best.spec().filtered(ObjectDetection.PERSON, java.util.Set.of("person"))));
            ops.add(new TrafficView(best));
            ops.add(new io.argus.analyzer.ops.plate.PlateOp(best));
        } else {
            if (UnavailableOps.firstReport(ObjectDetection.NAME, modelsDir)) {
                LOG.warn("op {} unavailable and op person falls back to the HOG detector: {} (models dir {})",
                        ObjectDetection.NAME, ModelException.notInstalled(ModelSpec.NANODET.name()).getMessage(),
                        modelsDir.toAbsolutePath());
            }
            ops.add(PersonHogOp.provider());
        }
        if (nano && ssd) {
            ops.add(new OnnxDetectorOp.Provider(ObjectDetection.detection(modelsDir).spec()
                    .filtered(ObjectDetection.SSD_NAME, null)));
        }
        if (nano) {
            ops.add(ObjectDetection.nanodet(modelsDir));
        }
        if (ObjectDetection.available(ModelSpec.CENTERNET, modelsDir)) {
            ops.add(ObjectDetection.centernet(modelsDir));
        }
        return List.copyOf(ops);
    }

    /**
     * @param modelsDir models directory
     * @return {@code detection} -> the model it needs and the command installing it there, when the
     *         objects model is not installed; nothing otherwise
     */
    @Override
    public Map<String, String> unavailable(Path modelsDir) {
        if (ObjectDetection.available(modelsDir) || ObjectDetection.available(ModelSpec.NANODET, modelsDir)) {
            return Map.of();
        }
        return Map.of(ObjectDetection.NAME, UnavailableOps.needsModel(ModelSpec.OBJECTS.name(), modelsDir),
                TrafficView.NAME, UnavailableOps.needsModel(ModelSpec.OBJECTS.name(), modelsDir),
                io.argus.analyzer.ops.plate.PlateOp.NAME, UnavailableOps.needsModel(ModelSpec.OBJECTS.name(), modelsDir));
    }
}
