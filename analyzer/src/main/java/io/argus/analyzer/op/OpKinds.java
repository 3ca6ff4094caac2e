package io.argus.analyzer.op;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kinds of ops that can be defined in the ops configuration file ({@link OpsConfig}): a map from
 * the {@code kind} value to a factory that builds an {@link OpProvider} from the op's JSON object.
 * The kinds are those of the {@link OpPlugin}s on the class path ({@link OpPlugin#kinds()}, read
 * once, on first use), plus any {@link #register registered} at run time; analyzer's own plug-ins
 * give {@code onnx} (an object detector in an ONNX file) and {@code remote} (an HTTP inference
 * service). A new kind is one more plug-in, or one more entry of a plug-in's {@code kinds()}.
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

    /** Guarded by the class lock; null until first use. */
    private static Map<String, Factory> kinds;

    private OpKinds() {
    }

    /**
     * @param kind a {@code kind} value
     * @return its factory, or null when unknown
     * @throws IllegalStateException when two plug-ins define the same kind
     */
    public static synchronized Factory get(String kind) {
        return kinds().get(kind);
    }

    /**
     * Adds or replaces a kind at run time (e.g. from a plug-in).
     *
     * @param kind the {@code kind} value
     * @param factory its factory
     * @throws IllegalStateException when two plug-ins define the same kind
     */
    public static synchronized void register(String kind, Factory factory) {
        kinds().put(kind, factory);
    }

    /**
     * @return the known kinds, sorted
     * @throws IllegalStateException when two plug-ins define the same kind
     */
    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(kinds().keySet()));
    }

    private static Map<String, Factory> kinds() {
        if (kinds == null) {
            Map<String, Factory> found = new TreeMap<>();
            for (OpPlugin plugin : OpPlugin.installed()) {
                plugin.kinds().forEach((kind, factory) -> {
                    if (found.putIfAbsent(kind, factory) != null) {
                        throw new IllegalStateException("op kind '" + kind + "' is defined twice, the second time by "
                                + plugin.getClass().getName());
                    }
                });
            }
            kinds = found;
        }
        return kinds;
    }
}
