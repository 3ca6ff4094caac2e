package io.argus.analyzer.models;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file computed from a model's installed files when the model is installed (e.g. the ONNX
 * conversion of a TF.js graph), kept in the model directory and recorded in its manifest under
 * {@code derived: {<file>: {bytes, sha256, producer}}}. An installation whose derived file is
 * missing, altered (size or SHA-256) or made by another producer version is incomplete.
 */
public interface Derivation {

    /** @return the derived file's name inside the model directory */
    String file();

    /** @return what makes it, with its version (a new version re-derives the file) */
    String producer();

    /**
     * Writes the derived file.
     *
     * @param modelDir directory holding the model's kept files
     * @param out file to write (in {@code modelDir})
     * @throws IOException when reading the inputs or writing the output fails
     * @throws ModelException when the model cannot be converted
     */
    void derive(Path modelDir, Path out) throws IOException;
}
