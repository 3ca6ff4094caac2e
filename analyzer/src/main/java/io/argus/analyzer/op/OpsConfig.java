package io.argus.analyzer.op;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Ops defined only in configuration: the JSON file {@code <modelsDir>/}{@value #FILE_NAME}
 * ({@code data/models/ops.json} by default, next to the installed models), read when the
 * registry is built ({@link OpRegistry#builtin(Path)}). Format:
 *
 * <pre>{@code
 * {"ops": [
 *   {"name": "my_detector", "kind": "onnx", "model": "my/model.onnx", "family": "yolo",
 *    "labels": ["a", "b"],                      (or a file name: "labels.txt", one label a line)
 *    "input": {"width": 640, "height": 640, "layout": "nchw", "channels": "rgb",
 *              "scale": 0.00392156862745098, "mean": [0, 0, 0], "std": [1, 1, 1]},
 *    "threshold": 0.5, "nms_iou": 0.5}
 * ]}
 * }</pre>
 *
 * Each entry needs a {@code name} and a {@code kind}; the rest depends on the kind
 * ({@link OpKinds}; the built-in kinds are documented where they are defined: {@code onnx} by
 * {@code OnnxOpConfig}, {@code remote} by {@code RemoteConfig}). Relative paths resolve against
 * the file's directory.
 */
public final class OpsConfig {

    /** File name inside the models directory. */
    public static final String FILE_NAME = "ops.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpsConfig() {
    }

    /**
     * @param modelsDir models directory
     * @return the configured ops, or none when {@code <modelsDir>/ops.json} does not exist
     * @throws IllegalArgumentException see {@link #load(Path)}
     */
    public static List<OpProvider> loadFrom(Path modelsDir) {
        Path file = modelsDir.resolve(FILE_NAME);
        return Files.exists(file) ? load(file) : List.of();
    }

    /**
     * @param file the configuration file
     * @return one provider per entry, in file order
     * @throws IllegalArgumentException naming the file (and the op, when one entry is at fault)
     *     when the file is unreadable or not JSON, an entry has no name or a duplicate one, an
     *     unknown {@code kind}, or kind-specific errors such as a missing model file
     */
    public static List<OpProvider> load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("ops config " + file + " is unreadable: " + e.getMessage(), e);
        }
        JsonNode ops = root == null ? null : root.get("ops");
        if (ops == null || !ops.isArray()) {
            throw new IllegalArgumentException("ops config " + file + " must be an object with an \"ops\" array");
        }
        Path base = file.toAbsolutePath().getParent();
        List<OpProvider> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode op : ops) {
            String name = op.path("name").asText("");
            if (name.isBlank()) {
                throw new IllegalArgumentException("ops config " + file + ": ops[" + i + "] has no name");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("ops config " + file + ": op '" + name + "' is defined twice");
            }
            String kind = op.path("kind").asText("");
            OpKinds.Factory factory = OpKinds.get(kind);
            if (factory == null) {
                throw new IllegalArgumentException("ops config " + file + ": op '" + name + "' has unknown kind '"
                        + kind + "' (known: " + String.join(", ", OpKinds.names()) + ")");
            }
            try {
                out.add(factory.create(name, op, base));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("ops config " + file + ": op '" + name + "': " + e.getMessage(), e);
            }
            i++;
        }
        return out;
    }
}
