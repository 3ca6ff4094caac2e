package io.argus.analyzer.models;

import java.nio.file.Path;
import java.util.Map;

/**
 * A model present in the models directory.
 *
 * @param spec what was installed
 * @param dir {@code <modelsDir>/<name>}
 * @param files kept file name (e.g. {@code model.json}) to its absolute path, in keep-list order,
 *     followed by the files derived at install time ({@link ModelDerivations})
 * @param downloaded true if this call fetched the tarball, false if the cached copy was used
 */
public record InstalledModel(ModelSpec spec, Path dir, Map<String, Path> files, boolean downloaded) {
    /**
     * @param fileName a kept file name
     * @return its path
     * @throws ModelException if the spec does not keep such a file
     */
    public Path file(String fileName) {
        Path p = files.get(fileName);
        if (p == null) {
            throw new ModelException("model " + spec.name() + " has no file " + fileName);
        }
        return p;
    }
}
