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
 *   <li>{@link ModelSpec#NANODET} → {@value #NANODET_ONNX}: NanoDet-m converted from the start
 *       ({@code input_1}). Input {@code input [1, 3, 416, 416]} float NCHW, with no normalisation
 *       in the graph (the {@code detection-nanodet} op feeds NanoDet's BGR mean/std-normalised
 *       pixels, {@code ObjectDetection.nanodetSpec}); outputs,
 *       per stride 8, 16, 32 (52², 26², 13² cells, row-major): {@code scores_s8/s16/s32 [1, cells, 80]}
 *       (sigmoid class probabilities, COCO's 80 classes in order) and
 *       {@code boxes_s8/s16/s32 [1, cells, 44]} (for left, top, right, bottom, 11 logits of the
 *       distance distribution over 0…10 strides, GFL's "general distribution").
 *   <li>{@link ModelSpec#CENTERNET} → {@value #CENTERNET_ONNX}: CenterNet-MobileNetV3 converted from
 *       {@code tower_0/images}, including its own decoder (3×3 max-pool peak test, top 100).
 *       Input {@code image [1, 512, 512, 3]} float NHWC RGB in 0–255 (the graph normalises);
 *       output {@code detections [1, 100, 6]}: {@code x0, y0, x1, y1} in input pixels, score in
 *       [0, 1], class index 0–79 (COCO's 80 classes in order), best first.
 *   <li>{@link ModelSpec#MOBILEFACENET} → {@value #MOBILEFACENET_ONNX}: MobileFaceNet converted
 *       from {@code img_inputs}. Input {@code image [1, 112, 112, 3]} float NHWC (the
 *       {@code face_embed} op feeds aligned RGB crops scaled to {@code (p − 127.5)/128}, the
 *       training normalisation, {@code io.argus.analyzer.ops.face.FaceEmbedder}); output
 *       {@code embedding [1, 192]}, L2-normalised by the graph.
 *   <li>{@link ModelSpec#FACERES} → {@value #FACERES_ONNX}: HSE FaceRes converted from
 *       {@code input_1} up to its identity descriptor (the age and gender heads are left out).
 *       Input {@code image [1, 224, 224, 3]} float NHWC RGB 0–255 (no normalisation in the graph);
 *       output {@code embedding [1, 1024]}, the global average of the last ReLU6 features (≥ 0, not
 *       normalised).
 * </ul>
 * Keyed on name, package, version and integrity, so a spec fetched from a mirror
 * ({@link ModelSpec#withTarballUrl}) gets the same derivations.
 */
public final class ModelDerivations {

    /** ONNX file derived from the objects model. */
    public static final String OBJECTS_ONNX = "ssd_mobilenet_v2_coco.onnx";
    /** TF.js node whose output becomes the ONNX input (end of the Preprocessor resize loop). */
    public static final String OBJECTS_CUT = "Preprocessor/map/TensorArrayStack/TensorArrayGatherV3";

    /** ONNX file derived from the NanoDet model. */
    public static final String NANODET_ONNX = "nanodet_m_coco.onnx";
    /** ONNX file derived from the CenterNet model. */
    public static final String CENTERNET_ONNX = "centernet_mbv3_coco.onnx";
    /** ONNX file derived from the MobileFaceNet model. */
    public static final String MOBILEFACENET_ONNX = "mobilefacenet.onnx";
    /** ONNX file derived from the FaceRes model. */
    public static final String FACERES_ONNX = "faceres.onnx";
    /** FaceRes input side, pixels. */
    public static final int FACERES_SIZE = 224;
    /** MobileFaceNet input side, pixels (its graph has a free batch; the ONNX model takes one face). */
    public static final int MOBILEFACENET_SIZE = 112;
    /** NanoDet input side, pixels. */
    public static final int NANODET_SIZE = 416;
    /** CenterNet input side, pixels. */
    public static final int CENTERNET_SIZE = 512;

    private ModelDerivations() {
    }

    /** @return the conversion spec of the NanoDet graph: its input and six outputs, named by stride */
    public static TfjsToOnnx.Spec nanodetSpec() {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("Identity", "scores_s8");
        outputs.put("Identity_1", "scores_s16");
        outputs.put("Identity_2", "scores_s32");
        outputs.put("Identity_3", "boxes_s8");
        outputs.put("Identity_4", "boxes_s16");
        outputs.put("Identity_5", "boxes_s32");
        return new TfjsToOnnx.Spec("input_1", null, "input", outputs);
    }

    /** @return the conversion spec of the CenterNet graph: its input and the decoded detections */
    public static TfjsToOnnx.Spec centernetSpec() {
        return new TfjsToOnnx.Spec("tower_0/images", null, "image", Map.of("tower_0/detections", "detections"));
    }

    /** @return the conversion spec of the MobileFaceNet graph: its input and the normalised embedding */
    public static TfjsToOnnx.Spec mobilefacenetSpec() {
        return new TfjsToOnnx.Spec("img_inputs", new int[] {1, MOBILEFACENET_SIZE, MOBILEFACENET_SIZE, 3}, "image",
                Map.of("embeddings", "embedding"));
    }

    /** @return the conversion spec of the FaceRes graph: its input and the 1024-d descriptor */
    public static TfjsToOnnx.Spec faceresSpec() {
        return new TfjsToOnnx.Spec("input_1", new int[] {1, FACERES_SIZE, FACERES_SIZE, 3}, "image",
                Map.of("global_pooling/Mean", "embedding"));
    }

    /** A TF.js graph file of a model directory converted to ONNX. */
    private static Derivation conversion(String file, String modelJson, TfjsToOnnx.Spec spec) {
        return new Derivation() {
            @Override
            public String file() {
                return file;
            }

            @Override
            public String producer() {
                return TfjsToOnnx.PRODUCER + " " + TfjsToOnnx.VERSION;
            }

            @Override
            public void derive(Path modelDir, Path out) throws IOException {
                TfjsToOnnx.convert(modelDir.resolve(modelJson), spec, out);
            }
        };
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
        if (same(ModelSpec.OBJECTS, spec)) {
            return List.of(OBJECTS_CONVERSION);
        }
        if (same(ModelSpec.NANODET, spec)) {
            return List.of(conversion(NANODET_ONNX, "nanodet.json", nanodetSpec()));
        }
        if (same(ModelSpec.CENTERNET, spec)) {
            return List.of(conversion(CENTERNET_ONNX, "centernet.json", centernetSpec()));
        }
        if (same(ModelSpec.MOBILEFACENET, spec)) {
            return List.of(conversion(MOBILEFACENET_ONNX, "mobilefacenet.json", mobilefacenetSpec()));
        }
        if (same(ModelSpec.FACERES, spec)) {
            return List.of(conversion(FACERES_ONNX, "faceres.json", faceresSpec()));
        }
        return List.of();
    }

    private static boolean same(ModelSpec a, ModelSpec b) {
        return a.name().equals(b.name()) && a.npmPackage().equals(b.npmPackage()) && a.version().equals(b.version())
                && a.integrity().equals(b.integrity());
    }
}
