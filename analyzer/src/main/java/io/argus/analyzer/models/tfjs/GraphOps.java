package io.argus.analyzer.models.tfjs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Const;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of the graph's plumbing: Const (the weights), Identity, StopGradient and Snapshot
 * (aliases), Cast (constants to float or integer; tensors to any of float, integer, bool) and Placeholder (refused: the
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

    /**
     * TensorFlow Cast ({@code DstT}): constants are converted in Java; a tensor already of the
     * target ONNX type is aliased; any other tensor gets an ONNX Cast (float → integer truncates
     * toward zero in both frameworks, bool → float gives 0/1).
     */
    private static void cast(TfjsGraph.Node n, Conversion cv) {
        int dst = Conversion.onnxType(n.attr().path("DstT"), OnnxGraph.FLOAT);
        Value v = cv.in(n, 0);
        if (v instanceof Const c) {
            if (dst == OnnxGraph.BOOL) {
                throw new ConversionException(n.name(), n.op(), "casts of constants to bool are not supported");
            }
            cv.put(n, new Const(c.v().cast(dst == OnnxGraph.FLOAT)));
            return;
        }
        Dyn d = (Dyn) v;
        if (d.type() == dst) {
            cv.alias(n, 0, v);
            return;
        }
        String out = cv.graph().node("Cast", cv.outName(n), List.of(d.name()), Attribute.of("to", (long) dst));
        cv.put(n, new Dyn(out, d.shape(), d.nchw(), null, dst));
    }
}
