package io.argus.analyzer.models.tfjs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TensorFlow ops {@link TfjsToOnnx} can convert, by op name, each with its converter; one
 * class per family: {@link GraphOps} (Const, Identity, Cast, …), {@link ElementwiseOps},
 * {@link ConvOps}, {@link ShapeOps}, {@link JoinOps}, {@link SliceOps}, {@link SpatialOps}, {@link ReduceOps} and
 * {@link IndexOps}. A new
 * op is one more entry in its family's {@code converters()}.
 */
final class OpConverters {

    private static final Map<String, OpConverter> BY_OP = build();

    private OpConverters() {
    }

    private static Map<String, OpConverter> build() {
        Map<String, OpConverter> all = new HashMap<>();
        for (Map<String, OpConverter> family : List.of(GraphOps.converters(), ElementwiseOps.converters(),
                ConvOps.converters(), ShapeOps.converters(), JoinOps.converters(), SliceOps.converters(),
                SpatialOps.converters(), ReduceOps.converters(), IndexOps.converters())) {
            family.forEach((op, converter) -> {
                if (all.putIfAbsent(op, converter) != null) {
                    throw new IllegalStateException("TensorFlow op " + op + " has two converters");
                }
            });
        }
        return Map.copyOf(all);
    }

    /**
     * @param op a TensorFlow op name (e.g. {@code Conv2D})
     * @return its converter, or null when the op is not supported
     */
    static OpConverter get(String op) {
        return BY_OP.get(op);
    }
}
