package io.argus.analyzer.ops.remote;

import java.util.Map;

import io.argus.analyzer.op.OpKinds;
import io.argus.analyzer.op.OpPlugin;

/** Built-in plug-in of configured ops of kind {@code remote}: HTTP inference services ({@link RemoteOpProvider}). */
public final class RemoteKindPlugin implements OpPlugin {

    /** @return kind {@value RemoteOpProvider#KIND}, built by {@link RemoteOpProvider#fromConfig} */
    @Override
    public Map<String, OpKinds.Factory> kinds() {
        return Map.of(RemoteOpProvider.KIND, (name, node, baseDir) -> RemoteOpProvider.fromConfig(node));
    }
}
