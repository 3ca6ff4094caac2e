package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.OpPlugin;
import io.argus.analyzer.op.OpProvider;

/**
 * Built-in plug-in of op {@code face_detect} ({@link BlazeFaceOp}), present when the {@code faces}
 * model is installed; otherwise absent, with a warning once per models directory.
 */
public final class FaceDetectionPlugin implements OpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(FaceDetectionPlugin.class);

    /**
     * @param modelsDir models directory
     * @return {@code face_detect}, or nothing when the faces model is not installed there
     */
    @Override
    public List<OpProvider> providers(Path modelsDir) {
        if (BlazeFaceOp.Provider.available(modelsDir)) {
            return List.of(new BlazeFaceOp.Provider(modelsDir));
        }
        if (UnavailableOps.firstReport(BlazeFaceOp.NAME, modelsDir)) {
            LOG.warn("op {} unavailable: {} (models dir {})", BlazeFaceOp.NAME,
                    ModelException.notInstalled(ModelSpec.FACES.name()).getMessage(), modelsDir.toAbsolutePath());
        }
        return List.of();
    }

    /**
     * @param modelsDir models directory
     * @return {@code face_detect} -> the model it needs and the command installing it there, when
     *         the faces model is not installed; nothing otherwise
     */
    @Override
    public Map<String, String> unavailable(Path modelsDir) {
        return BlazeFaceOp.Provider.available(modelsDir) ? Map.of()
                : Map.of(BlazeFaceOp.NAME, UnavailableOps.needsModel(ModelSpec.FACES.name(), modelsDir));
    }
}
