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
}
