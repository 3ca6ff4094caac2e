package io.argus.analyzer.ops.detect;

import java.util.Map;

import io.argus.analyzer.op.OpKinds;
import io.argus.analyzer.op.OpPlugin;

/** Built-in plug-in of configured ops of kind {@code onnx}: object detectors in ONNX files ({@link OnnxOpConfig}). */
public final class OnnxKindPlugin implements OpPlugin {

    /** The {@code kind} of ONNX detector ops in the ops config file. */
    public static final String KIND = "onnx";

    /** @return kind {@value #KIND}, built by {@link OnnxOpConfig#provider} */
    @Override
    public Map<String, OpKinds.Factory> kinds() {
        return Map.of(KIND, OnnxOpConfig::provider);
    }
}
