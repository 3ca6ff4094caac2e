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
 * Built-in plug-in of ops {@code face_detect} ({@link BlazeFaceOp}), present when the {@code faces}
 * model is installed, and {@code face_embed} ({@link FaceEmbedOp}), present when the
 * {@code faceres} model is installed too; otherwise absent, with a warning once per models
 * directory.
 */
public final class FaceDetectionPlugin implements OpPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(FaceDetectionPlugin.class);

    /**
     * @param modelsDir models directory
     * @return {@code face_detect} and {@code face_embed}, each only when its models are installed there
     */
    @Override
    public List<OpProvider> providers(Path modelsDir) {
        List<OpProvider> providers = new java.util.ArrayList<>();
        if (BlazeFaceOp.Provider.available(modelsDir)) {
            providers.add(new BlazeFaceOp.Provider(modelsDir));
        } else if (UnavailableOps.firstReport(BlazeFaceOp.NAME, modelsDir)) {
            LOG.warn("op {} unavailable: {} (models dir {})", BlazeFaceOp.NAME,
                    ModelException.notInstalled(ModelSpec.FACES.name()).getMessage(), modelsDir.toAbsolutePath());
        }
        if (FaceEmbedOp.Provider.available(modelsDir)) {
            providers.add(new FaceEmbedOp.Provider(modelsDir));
        } else if (UnavailableOps.firstReport(FaceEmbedOp.NAME, modelsDir)) {
            LOG.warn("op {} unavailable: {} (models dir {})", FaceEmbedOp.NAME,
                    ModelException.notInstalled(missingForEmbed(modelsDir)).getMessage(), modelsDir.toAbsolutePath());
        }
        return List.copyOf(providers);
    }

    /** @return the name of the first model face_embed lacks there */
    private static String missingForEmbed(Path modelsDir) {
        return BlazeFaceOp.Provider.available(modelsDir) ? ModelSpec.FACERES.name() : ModelSpec.FACES.name();
    }

    /**
     * @param modelsDir models directory
     * @return {@code face_detect} and {@code face_embed} -> the model each lacks and the command
     *         installing it there, for those whose models are not installed
     */
    @Override
    public Map<String, String> unavailable(Path modelsDir) {
        Map<String, String> missing = new java.util.LinkedHashMap<>();
        if (!BlazeFaceOp.Provider.available(modelsDir)) {
            missing.put(BlazeFaceOp.NAME, UnavailableOps.needsModel(ModelSpec.FACES.name(), modelsDir));
        }
        if (!FaceEmbedOp.Provider.available(modelsDir)) {
            missing.put(FaceEmbedOp.NAME, UnavailableOps.needsModel(missingForEmbed(modelsDir), modelsDir));
        }
        return missing;
    }
}
