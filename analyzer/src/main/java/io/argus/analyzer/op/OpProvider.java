package io.argus.analyzer.op;

import java.util.List;
import java.util.function.Supplier;

import io.argus.schemas.ops.OpParam;

/**
 * Names an op, lists its labels and params, and creates per-thread instances of it.
 *
 * <p>Params: besides the keys every op has ({@code labels}, {@code terminate},
 * {@code ignore_empty_labels}, read by the pipeline), a job's {@code ops[].params} may hold only
 * the params the op declares ({@link #params()}); the edge refuses any other key, and any value
 * outside its declared type or range, with 400 "invalid parameters" before the job starts. An op
 * that takes free-form params declares so with {@link #acceptsOtherParams()}.
 */
public interface OpProvider {

    /** @return the op name used in {@code ops[].op} */
    String name();

    /** @return the labels the op can produce */
    List<String> labels();

    /**
     * @return the op-specific params it reads from {@code ops[].params} (via
     *         {@link OpContext#params()}), with types and ranges; none by default
     */
    default List<OpParam> params() {
        return List.of();
    }

    /**
     * @return true when the op takes params it does not declare (the edge then lets any other key
     *         through, unchecked); false by default: an undeclared key is refused
     */
    default boolean acceptsOtherParams() {
        return false;
    }

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
    static OpProvider of(String name, List<String> labels, Supplier<Op> factory) {
        return of(name, labels, List.of(), factory);
    }

    /**
     * @param name    the op name
     * @param labels  the labels it can produce
     * @param params  the params it reads from {@code ops[].params}
     * @param factory makes one instance per analyzer thread
     * @return a provider of an op that needs no model or configuration
     */
    static OpProvider of(String name, List<String> labels, List<OpParam> params, Supplier<Op> factory) {
        List<String> fixed = List.copyOf(labels);
        List<OpParam> declared = List.copyOf(params);
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
            public List<OpParam> params() {
                return declared;
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
