package io.argus.analyzer.models.tfjs;

import java.util.HashMap;
import java.util.Map;

import io.argus.analyzer.models.tfjs.Value.Const;

/**
 * Converters of the graph's plumbing: Const (the weights), Identity, StopGradient and Snapshot
 * (aliases), Cast (constants of any type; tensors to float32 only) and Placeholder (refused: the
 * conversion starts at {@link TfjsToOnnx.Spec#inputNode()}).
 */
final class GraphOps {

    private GraphOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Const", (n, c) -> c.alias(n, 0, new Const(c.tf().constant(n))));
        OpConverter identity = (n, c) -> c.alias(n, 0, c.in(n, 0));
        byOp.put("Identity", identity);
        byOp.put("StopGradient", identity);
        byOp.put("Snapshot", identity);
        byOp.put("Placeholder", (n, c) -> {
            throw new ConversionException(n.name(), n.op(),
                    "placeholder reached; set Spec.inputNode to it or to a node after it");
        });
        byOp.put("Cast", GraphOps::cast);
        return byOp;
    }

    private static void cast(TfjsGraph.Node n, Conversion cv) {
        int dst = (int) n.attr().path("DstT").path("type").asLong(1);
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            cv.put(n, new Const(c.v().cast(dst == 1)));
        } else if (dst == 1) {
            cv.alias(n, 0, v);
        } else {
            throw new ConversionException(n.name(), n.op(), "only casts to float32 of tensors are supported");
        }
    }
}
