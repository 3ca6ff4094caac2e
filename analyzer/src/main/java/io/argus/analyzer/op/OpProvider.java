package io.argus.analyzer.op;

import java.util.List;

/** Names an op, lists its labels and creates per-thread instances of it. */
public interface OpProvider {

    /** @return the op name used in {@code ops[].op} */
    String name();

    /** @return the labels the op can produce */
    List<String> labels();

    /**
     * @return a new instance for one thread
     * @throws IllegalStateException when the op cannot be loaded (e.g. a missing model)
     */
    Op create();

    /**
     * @param name    the op name
     * @param labels  the labels it can produce
     * @param factory makes one instance per analyzer thread
     * @return a provider of an op that needs no model or configuration
     */
    static OpProvider of(String name, List<String> labels, java.util.function.Supplier<Op> factory) {
        List<String> fixed = List.copyOf(labels);
        return new OpProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> labels() {
                return fixed;
            }

            @Override
            public Op create() {
                return factory.get();
            }

            @Override
            public String toString() {
                return "op " + name;
            }
        };
    }
}
