package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which built-in ops were already reported unavailable, so each is logged once per JVM and models directory. */
final class UnavailableOps {

    /** "op:dir" pairs already reported. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private UnavailableOps() {
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
