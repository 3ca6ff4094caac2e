package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.List;

import io.argus.analyzer.op.OpPlugin;
import io.argus.analyzer.op.OpProvider;

/** Built-in plug-in of op {@code motion} ({@link MotionOp}), which needs no model. */
public final class MotionPlugin implements OpPlugin {

    /**
     * @param modelsDir models directory (unused)
     * @return {@code motion}
     */
    @Override
    public List<OpProvider> providers(Path modelsDir) {
        return List.of(MotionOp.provider());
    }
}
