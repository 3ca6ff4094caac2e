package io.argus.analyzer.op;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.argus.analyzer.ops.detect.OnnxOpConfig;
import io.argus.analyzer.ops.remote.RemoteOpProvider;

/**
 * Kinds of ops that can be defined in the ops configuration file ({@link OpsConfig}): a map from
 * the {@code kind} value to a factory that builds an {@link OpProvider} from the op's JSON object.
 * A new kind is one more entry here.
 */
public final class OpKinds {

    /**
     * Builds a provider from one entry of {@code ops[]}.
     */
    @FunctionalInterface
    public interface Factory {
        /**
         * @param name the op's {@code name}
         * @param node the whole JSON object of the op
         * @param baseDir directory of the configuration file; relative paths resolve against it
         * @return the provider
         * @throws IllegalArgumentException when the entry is invalid (the caller adds the op name
         *     and the file to the message)
         */
        OpProvider create(String name, JsonNode node, Path baseDir);
    }

    private static final Map<String, Factory> KINDS = new TreeMap<>(Map.of(
            "onnx", OnnxOpConfig::provider,
            RemoteOpProvider.KIND, (name, node, baseDir) -> RemoteOpProvider.fromConfig(node)));

    private OpKinds() {
    }

    /**
     * @param kind a {@code kind} value
     * @return its factory, or null when unknown
     */
    public static synchronized Factory get(String kind) {
        return KINDS.get(kind);
    }

    /**
     * Adds or replaces a kind at run time (e.g. from a plug-in).
     *
     * @param kind the {@code kind} value
     * @param factory its factory
     */
    public static synchronized void register(String kind, Factory factory) {
        KINDS.put(kind, factory);
    }

    /** @return the known kinds, sorted */
    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.TreeSet<>(KINDS.keySet()));
    }
}
