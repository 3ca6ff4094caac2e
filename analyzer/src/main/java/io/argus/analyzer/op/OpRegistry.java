package io.argus.analyzer.op;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.argus.analyzer.ops.PersonHogOp;

/** The ops an analyzer can run, by name. */
public final class OpRegistry {

    private final Map<String, OpProvider> providers = new TreeMap<>();

    /**
     * @param providers the ops
     * @throws IllegalArgumentException when two share a name
     */
    public OpRegistry(Collection<OpProvider> providers) {
        for (OpProvider p : providers) {
            if (this.providers.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("duplicate op " + p.name());
            }
        }
    }

    /** @return the built-in ops: {@code person} (OpenCV HOG people detector) */
    public static OpRegistry builtin() {
        return new OpRegistry(java.util.List.of(new PersonHogOp.Provider()));
    }

    /**
     * @param name op name
     * @return the op, or empty when unknown
     */
    public Optional<OpProvider> get(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** @return op names, sorted */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }

    /** @return the providers, sorted by name */
    public Collection<OpProvider> all() {
        return providers.values();
    }
}
