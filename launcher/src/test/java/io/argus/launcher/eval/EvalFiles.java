package io.argus.launcher.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed evaluation set is, seen from a test's working directory (the module or the root). */
final class EvalFiles {

    private EvalFiles() {
    }

    /** @return {@code eval/annotations.json} of the repository */
    static Path annotations() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("eval").resolve("annotations.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no eval/annotations.json above " + Path.of("").toAbsolutePath());
    }

    /** @return {@code eval/clips} of the repository */
    static Path clips() {
        return annotations().getParent().resolve("clips");
    }
}
