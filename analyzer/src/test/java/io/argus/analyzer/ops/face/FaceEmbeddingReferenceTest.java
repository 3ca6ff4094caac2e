package io.argus.analyzer.ops.face;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.ops.BlazeFaceOp;

/**
 * Checks Argus's ONNX conversions of MobileFaceNet and FaceRes against the original TF.js graphs
 * run by TensorFlow.js itself. {@code src/test/tfjs-reference/face-embeddings.json} holds the
 * embeddings {@code face-embeddings.mjs} there computed ({@code @tensorflow/tfjs@4.22.0},
 * pure-JavaScript CPU backend) from the input tensors this test builds: the first face of each
 * person in the verification clips ({@link FaceVerificationTest#PEOPLE}, 11 faces), aligned by
 * {@link FaceAligner} and prepared by {@link FaceEmbedder#prepare} for each model as
 * {@code face_embed} does. The input sums recorded there must match, so both sides read the same
 * input. Each ONNX output, L2-normalised, must be within {@value #ABS_TOL} of TF.js's (normalised
 * the same way) in every component and at cosine similarity at least {@value #MIN_COSINE}.
 *
 * <p>With {@code -Dargus.tfjs.inputs=<dir>} it also writes the input tensors and
 * {@code inputs.json} there, for {@code face-embeddings.mjs}.
 */
class FaceEmbeddingReferenceTest {

    static final double ABS_TOL = 1e-4;
    static final double MIN_COSINE = 0.99999;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REFERENCE = Path.of("src", "test", "tfjs-reference", "face-embeddings.json");
    private static final List<EmbeddingModel> MODELS = List.of(EmbeddingModel.MOBILEFACENET, EmbeddingModel.FACERES);

    /** Face name → model name → prepared input. */
    private static final Map<String, Map<String, float[]>> INPUTS = new LinkedHashMap<>();

    @BeforeAll
    static void prepare() throws Exception {
        Set<String> seen = new HashSet<>();
        try (BlazeFaceOp detector = FaceTestModels.detector(); Mat crop = new Mat()) {
            Set<String> clips = new LinkedHashSet<>();
            FaceVerificationTest.PEOPLE.forEach(p -> clips.add(p.clip()));
            for (String clip : clips) {
                for (FaceClips.Found f : FaceClips.faces(clip, detector)) {
                    String id = FaceVerificationTest.label(f);
                    if (id == null || !seen.add(clip + "|" + id)) {
                        continue;
                    }
                    Map<String, float[]> byModel = new LinkedHashMap<>();
                    for (EmbeddingModel m : MODELS) {
                        int n = m.size();
                        FaceAligner.warp(f.frameBgr(), FaceAligner.toTemplate(f.keypoints(), n, m.margin()), n, crop);
                        FloatBuffer b = FloatBuffer.allocate(n * n * 3);
                        FaceEmbedder.prepare(m, crop, b);
                        byModel.put(m.spec().name(), b.array());
                    }
                    INPUTS.put(clip + "#" + f.frame() + " " + id, byModel);
                }
            }
        }
        String out = System.getProperty("argus.tfjs.inputs");
        if (out != null) {
            Path dir = Path.of(out);
            Files.createDirectories(dir);
            ObjectNode manifest = JSON.createObjectNode();
            ArrayNode faces = manifest.putArray("faces");
            int i = 0;
            for (Map.Entry<String, Map<String, float[]>> e : INPUTS.entrySet()) {
                ObjectNode face = faces.addObject().put("name", e.getKey());
                for (Map.Entry<String, float[]> m : e.getValue().entrySet()) {
                    ByteBuffer b = ByteBuffer.allocate(m.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(m.getValue());
                    String file = m.getKey() + "-" + i + ".f32";
                    Files.write(dir.resolve(file), b.array());
                    face.put(m.getKey(), file);
                }
                i++;
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("inputs.json").toFile(), manifest);
        }
    }

    @Test
    void mobilefacenetConversionMatchesTensorFlowJs() throws Exception {
        check(EmbeddingModel.MOBILEFACENET);
    }

    @Test
    void faceresConversionMatchesTensorFlowJs() throws Exception {
        check(EmbeddingModel.FACERES);
    }

    private static void check(EmbeddingModel model) throws Exception {
        String name = model.spec().name();
        JsonNode ref = JSON.readTree(REFERENCE.toFile());
        assertThat(ref.path("faces").size()).isEqualTo(INPUTS.size()).isEqualTo(11);
        double maxAbs = 0;
        double minCos = 1;
        List<String> names = new ArrayList<>(INPUTS.keySet());
        try (FaceEmbedder embedder = FaceTestModels.embedder(model)) {
            for (int i = 0; i < names.size(); i++) {
                JsonNode face = ref.path("faces").get(i);
                assertThat(face.path("name").asText()).isEqualTo(names.get(i));
                float[] x = INPUTS.get(names.get(i)).get(name);
                double sum = 0;
                for (float v : x) {
                    sum += v;
                }
                JsonNode r = face.path(name);
                assertThat(sum).as("input sum of " + names.get(i))
                        .isCloseTo(r.path("inputSum").asDouble(), org.assertj.core.data.Offset.offset(1e-6 * x.length));
                float[] onnx = embedder.run(FloatBuffer.wrap(x));
                float[] tfjs = new float[r.path("embedding").size()];
                for (int k = 0; k < tfjs.length; k++) {
                    tfjs[k] = (float) r.path("embedding").get(k).asDouble();
                }
                FaceEmbedder.normalise(tfjs);
                assertThat(onnx).hasSize(tfjs.length).hasSize(embedder.dimension());
                for (int k = 0; k < tfjs.length; k++) {
                    maxAbs = Math.max(maxAbs, Math.abs(onnx[k] - tfjs[k]));
                }
                minCos = Math.min(minCos, FaceEmbedder.cosine(onnx, tfjs));
            }
        }
        System.out.printf("%s vs TF.js %s: %d faces, max |difference| %.2e (unit vectors), min cosine %.8f%n", name,
                ref.path("tfjs").asText(), names.size(), maxAbs, minCos);
        assertThat(maxAbs).isLessThanOrEqualTo(ABS_TOL);
        assertThat(minCos).isGreaterThanOrEqualTo(MIN_COSINE);
    }
}
