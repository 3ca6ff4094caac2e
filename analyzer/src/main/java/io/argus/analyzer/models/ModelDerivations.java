package io.argus.analyzer.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.tfjs.TfjsToOnnx;

/**
 * The files derived from default models at install time:
 * <ul>
 *   <li>{@link ModelSpec#OBJECTS} → {@value #OBJECTS_ONNX}: the TF.js coco-ssd graph
 *       (SSD-MobileNetV2, COCO) converted to ONNX by {@link TfjsToOnnx}, cut after the
 *       {@code Preprocessor} resize loop. Input {@code image [1, 300, 300, 3]} float NHWC RGB in
 *       0–255 (the graph's own {@code Preprocessor/mul, sub} map it to {@code x·(2/255) − 1});
 *       outputs {@code scores [1, 1917, 90]} (sigmoid class probabilities, column j = COCO id
 *       j+1, background column already dropped by {@code Postprocessor/Slice}) and
 *       {@code boxes [1, 1917, 1, 4]} (boxes decoded against the 1917 anchors by the graph's
 *       {@code Postprocessor/Decode}, normalised {@code ymin, xmin, ymax, xmax}).
 * </ul>
 * Keyed on package, version and integrity, so a spec fetched from a mirror
 * ({@link ModelSpec#withTarballUrl}) gets the same derivations.
 */
public final class ModelDerivations {

    /** ONNX file derived from the objects model. */
    public static final String OBJECTS_ONNX = "ssd_mobilenet_v2_coco.onnx";
    /** TF.js node whose output becomes the ONNX input (end of the Preprocessor resize loop). */
    public static final String OBJECTS_CUT = "Preprocessor/map/TensorArrayStack/TensorArrayGatherV3";

    private ModelDerivations() {
    }

    /** @return the conversion spec of the objects model: cut point and the two outputs coco-ssd reads */
    public static TfjsToOnnx.Spec objectsSpec() {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("Postprocessor/Slice", "scores");
        outputs.put("Postprocessor/ExpandDims_1", "boxes");
        return new TfjsToOnnx.Spec(OBJECTS_CUT, null, "image", outputs);
    }

    /** TF.js graph → ONNX conversion of the objects model. */
    private static final Derivation OBJECTS_CONVERSION = new Derivation() {
        @Override
        public String file() {
            return OBJECTS_ONNX;
        }

        @Override
        public String producer() {
            return TfjsToOnnx.PRODUCER + " " + TfjsToOnnx.VERSION;
        }

        @Override
        public void derive(Path modelDir, Path out) throws IOException {
            TfjsToOnnx.convert(modelDir.resolve("model.json"), objectsSpec(), out);
        }
    };

    /**
     * @param spec a model spec
     * @return the derivations of that model (empty for most)
     */
    public static List<Derivation> of(ModelSpec spec) {
        ModelSpec o = ModelSpec.OBJECTS;
        if (o.npmPackage().equals(spec.npmPackage()) && o.version().equals(spec.version())
                && o.integrity().equals(spec.integrity())) {
            return List.of(OBJECTS_CONVERSION);
        }
        return List.of();
    }
}
