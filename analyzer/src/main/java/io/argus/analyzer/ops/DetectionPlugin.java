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

/**
 * Built-in plug-in of the people and object detectors. When the {@code objects} model is
 * installed: {@code detection} (SSD-MobileNetV2 COCO on ONNX Runtime) and {@code person}, that
 * detector filtered to people ({@link ObjectDetection}). Otherwise {@code person} alone, the OpenCV
 * HOG detector ({@link PersonHogOp}), and a warning once per models directory. Besides, when the
 * optional models are installed ({@link ModelSpec#optional()}): {@code detection-nanodet} (NanoDet-m)
 * and {@code detection-centernet} (CenterNet-MobileNetV3), with {@code detection}'s raw result shape.
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
        if (ObjectDetection.available(modelsDir)) {
            ops.add(ObjectDetection.detection(modelsDir));
            ops.add(ObjectDetection.person(modelsDir));
        } else {
            if (UnavailableOps.firstReport(ObjectDetection.NAME, modelsDir)) {
                LOG.warn("op {} unavailable and op person falls back to the HOG detector: {} (models dir {})",
                        ObjectDetection.NAME, ModelException.notInstalled(ModelSpec.OBJECTS.name()).getMessage(),
                        modelsDir.toAbsolutePath());
            }
            ops.add(PersonHogOp.provider());
        }
        if (ObjectDetection.available(ModelSpec.NANODET, modelsDir)) {
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
        return ObjectDetection.available(modelsDir) ? Map.of()
                : Map.of(ObjectDetection.NAME, UnavailableOps.needsModel(ModelSpec.OBJECTS.name(), modelsDir));
    }
}
