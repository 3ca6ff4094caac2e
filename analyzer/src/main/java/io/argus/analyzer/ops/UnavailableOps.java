package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.argus.analyzer.models.ModelException;

/**
 * Built-in ops that are unavailable: which were already reported (each is logged once per JVM and
 * models directory), and what a job naming one is told.
 */
final class UnavailableOps {

    /** "op:dir" pairs already reported. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private UnavailableOps() {
    }

    /**
     * @param model     the missing model's name, e.g. {@code objects}
     * @param modelsDir the models directory it was looked for in, as configured (e.g. {@code d2/models})
     * @return why an op is unavailable and what to do, for {@code OpPlugin.unavailable}: "needs the
     *         objects model, which is not installed in d2/models: run ./argus models install
     *         --models-dir d2/models, then restart Argus (ops are found when it starts)"
     */
    static String needsModel(String model, Path modelsDir) {
        return "needs the " + model + " model, which is not installed in " + modelsDir + ": run "
                + ModelException.INSTALL_COMMAND + " --models-dir " + modelsDir
                + ", then restart Argus (ops are found when it starts)";
    }

    /**
     * @param op        op name
     * @param modelsDir the models directory it was looked for in
     * @return true the first time this op is reported for this directory (absolute, normalized)
     */
    static boolean firstReport(String op, Path modelsDir) {
        return REPORTED.add(op + ":" + modelsDir.toAbsolutePath().normalize());
    }
}
