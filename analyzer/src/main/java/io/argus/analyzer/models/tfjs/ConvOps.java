package io.argus.analyzer.models.tfjs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph;
import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of convolutions and batch normalisation. Conv2D: HWIO weights → OIHW;
 * DepthwiseConv2dNative: HWCM → (C·M, 1, H, W) with {@code group = C} (output channel c·M+m,
 * TensorFlow's order); SAME padding becomes explicit pads with the extra pixel at the end
 * (TensorFlow {@code GetWindowedOutputSize}: total {@code max((ceil(in/s)−1)·s + (k−1)·d + 1 − in, 0)},
 * {@code before = total/2}). Every Conv gets a (zero) bias and its output stays NCHW, so a following
 * per-channel scale or shift can be folded into it ({@link #foldable}). FusedBatchNorm and
 * FusedBatchNormV3 ({@code scale = γ/√(σ²+ε)}, {@code bias = β − μ·scale}) are folded into the
 * producing Conv when possible, otherwise become Mul then Add. The fused forms
 * {@code _FusedConv2D} and {@code FusedDepthwiseConv2dNative} are the same Conv with the bias
 * folded in and an activation after it ({@link #fused}). Only NHWC data is accepted.
 */
final class ConvOps {

    private ConvOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Conv2D", (n, c) -> c.put(n, conv(n, c, false, c.outName(n))));
        byOp.put("DepthwiseConv2dNative", (n, c) -> c.put(n, conv(n, c, true, c.outName(n))));
        byOp.put("_FusedConv2D", (n, c) -> fused(n, c, false));
        byOp.put("FusedDepthwiseConv2dNative", (n, c) -> fused(n, c, true));
        byOp.put("FusedBatchNorm", ConvOps::batchNorm);
        byOp.put("FusedBatchNormV3", ConvOps::batchNorm);
        return byOp;
    }

    /**
     * @param n the node reading {@code d} and {@code c}
     * @param dynInput which input of n is {@code d}
     * @param d a tensor
     * @param c a constant operand
     * @return true when d is a Conv output read only by n and c is per channel (size 1, or
     *     {@code [.., C]} with all other dims 1) without widening d's shape: then c can be folded
     *     into the Conv's weights and bias
     */
    static boolean foldable(TfjsGraph.Node n, Conversion cv, int dynInput, Dyn d, Nd c) {
        return d.conv() != null
                && cv.consumers(n.inputs().get(dynInput)) == 1
                && perChannel(c, d.conv().outC())
                && Arrays.equals(Nd.broadcast(d.shape(), c.shape()), d.shape());
    }

    private static boolean perChannel(Nd c, int outC) {
        if (c.size() == 1) {
            return true;
        }
        int[] s = c.shape();
        return s.length >= 1 && s[s.length - 1] == outC && c.size() == outC;
    }

    /**
     * Grappler's fused convolutions as TF.js writes them ({@code _FusedConv2D},
     * {@code FusedDepthwiseConv2dNative}; tfjs-converter {@code operations/executors/convolution_executor.ts}):
     * inputs {@code x, filter, args…} ({@code num_args} of them), attribute {@code fused_ops} a list
     * of {@code BiasAdd} then at most one activation. The bias ({@code args[0]}) is added to the
     * Conv's own bias; the activation follows as its ONNX op (Relu, Relu6 → Clip(0, 6), Elu,
     * Sigmoid, Tanh, LeakyRelu with {@code leakyrelu_alpha}, default 0.2). Without an activation
     * the output keeps its Conv parameters, so a following per-channel Mul/Add can still fold.
     *
     * @throws ConversionException for other fused ops (FusedBatchNorm, Prelu) or argument counts
     */
    private static void fused(TfjsGraph.Node n, Conversion cv, boolean depthwise) {
        List<String> ops = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode list = n.attr().path("fused_ops").path("list").path("s");
        for (com.fasterxml.jackson.databind.JsonNode e : list) {
            ops.add(new String(java.util.Base64.getDecoder().decode(e.asText()), java.nio.charset.StandardCharsets.UTF_8));
        }
        int numArgs = (int) n.intAttr("num_args", n.inputs().size() - 2);
        if (ops.isEmpty() || !ops.get(0).equals("BiasAdd") || ops.size() > 2 || numArgs != 1) {
            throw new ConversionException(n.name(), n.op(), "fused_ops " + ops + " with " + numArgs
                    + " args not supported (BiasAdd and at most one activation)");
        }
        String activation = ops.size() == 2 ? ops.get(1) : null;
        if (activation != null && !List.of("Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu").contains(activation)) {
            throw new ConversionException(n.name(), n.op(), "fused activation " + activation + " not supported");
        }
        OnnxGraph g = cv.graph();
        Dyn conv = conv(n, cv, depthwise, activation == null ? cv.outName(n) : g.fresh(n.name() + "/conv"));
        float[] bias = cv.constIn(n, 2).asFloats();
        if (bias.length != conv.conv().outC() && bias.length != 1) {
            throw new ConversionException(n.name(), n.op(), "bias has " + bias.length + " values for "
                    + conv.conv().outC() + " channels");
        }
        conv.conv().shift(bias, 1);
        if (activation == null) {
            cv.put(n, conv);
            return;
        }
        List<String> in = new java.util.ArrayList<>(List.of(conv.name()));
        String onnxOp = activation;
        Attribute[] attrs = new Attribute[0];
        if (activation.equals("Relu6")) {
            onnxOp = "Clip";
            in.add(g.floats(g.fresh("clip_min"), new float[] {0f}));
            in.add(g.floats(g.fresh("clip_max"), new float[] {6f}));
        } else if (activation.equals("LeakyRelu")) {
            attrs = new Attribute[] {Attribute.of("alpha", (float) n.floatAttr("leakyrelu_alpha", 0.2))};
        }
        String out = g.node(onnxOp, cv.outName(n), in, attrs);
        cv.put(n, new Dyn(out, conv.shape(), true, null));
    }

    /**
     * Emits one Conv (zero bias) reading input 0 with the filter of input 1.
     *
     * @param outName ONNX output name
     * @return its output, stored NCHW, carrying its mutable weights and bias
     */
    private static Dyn conv(TfjsGraph.Node n, Conversion cv, boolean depthwise, String outName) {
        if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
            throw new ConversionException(n.name(), n.op(), "data_format must be NHWC");
        }
        if (!(cv.in(n, 0) instanceof Dyn x0)) {
            throw new ConversionException(n.name(), n.op(), "constant input image");
        }
        Dyn x = cv.nchw(x0, n);
        Nd w = cv.constIn(n, 1);
        int kh = w.shape()[0];
        int kw = w.shape()[1];
        int ci = w.shape()[2];
        int m = w.shape()[3];
        int[] strides = n.intsAttr("strides");
        int[] dil = n.intsAttr("dilations");
        int sh = strides == null ? 1 : strides[1];
        int sw = strides == null ? 1 : strides[2];
        int dh = dil == null ? 1 : dil[1];
        int dw = dil == null ? 1 : dil[2];
        String padding = n.stringAttr("padding", "VALID");
        int[] s = x.shape();
        long[] pads = new long[4];
        int oh = outSize(n, padding, s[1], kh, sh, dh, pads, 0);
        int ow = outSize(n, padding, s[2], kw, sw, dw, pads, 1);
        int outC;
        float[] wt;
        long[] wdims;
        float[] src = w.asFloats();
        if (depthwise) {
            if (ci != s[3]) {
                throw new ConversionException(n.name(), n.op(), "filter has " + ci + " channels, input " + s[3]);
            }
            outC = ci * m;
            wt = new float[src.length];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < ci; c++) {
                        for (int k = 0; k < m; k++) {
                            wt[((c * m + k) * kh + y) * kw + xx] = src[((y * kw + xx) * ci + c) * m + k];
                        }
                    }
                }
            }
            wdims = new long[] {outC, 1, kh, kw};
        } else {
            if (ci != s[3]) {
                throw new ConversionException(n.name(), n.op(), "filter has " + ci + " input channels, input " + s[3]);
            }
            outC = m;
            wt = new float[src.length];
            for (int y = 0; y < kh; y++) {
                for (int xx = 0; xx < kw; xx++) {
                    for (int c = 0; c < ci; c++) {
                        for (int o = 0; o < m; o++) {
                            wt[((o * ci + c) * kh + y) * kw + xx] = src[((y * kw + xx) * ci + c) * m + o];
                        }
                    }
                }
            }
            wdims = new long[] {m, ci, kh, kw};
        }
        float[] bias = new float[outC];
        OnnxGraph g = cv.graph();
        String wn = g.floats(n.name() + "/W", wt, wdims);
        String bn = g.floats(n.name() + "/B", bias, outC);
        String out = g.node("Conv", outName, List.of(x.name(), wn, bn),
                Attribute.ints("kernel_shape", kh, kw), Attribute.ints("strides", sh, sw),
                Attribute.ints("dilations", dh, dw), Attribute.ints("pads", pads),
                Attribute.of("group", (long) (depthwise ? ci : 1)));
        return new Dyn(out, new int[] {s[0], oh, ow, outC}, true, new ConvParams(wt, bias, outC));
    }

    /** Output size of one spatial dim; writes ONNX pads [begin_h, begin_w, end_h, end_w]. */
    static int outSize(TfjsGraph.Node n, String padding, int in, int k, int s, int d, long[] pads, int axis) {
        int eff = (k - 1) * d + 1;
        if (padding.equals("VALID")) {
            return (in - eff) / s + 1;
        }
        if (!padding.equals("SAME")) {
            throw new ConversionException(n.name(), n.op(), "padding " + padding + " not supported");
        }
        int out = (in + s - 1) / s;
        int total = Math.max((out - 1) * s + eff - in, 0);
        pads[axis] = total / 2;
        pads[axis + 2] = total - total / 2;
        return out;
    }

    private static void batchNorm(TfjsGraph.Node n, Conversion cv) {
        if (!(cv.in(n, 0) instanceof Dyn d)) {
            throw new ConversionException(n.name(), n.op(), "constant input");
        }
        if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
            throw new ConversionException(n.name(), n.op(), "data_format must be NHWC");
        }
        float[] gamma = cv.constIn(n, 1).asFloats();
        float[] beta = cv.constIn(n, 2).asFloats();
        float[] mean = cv.constIn(n, 3).asFloats();
        float[] var = cv.constIn(n, 4).asFloats();
        double eps = n.floatAttr("epsilon", 1e-3);
        int c = gamma.length;
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + eps));
            shift[i] = (float) (beta[i] - mean[i] * scale[i]);
        }
        Nd sc = Nd.floats(scale, c);
        if (foldable(n, cv, 0, d, sc)) {
            d.conv().scale(scale);
            d.conv().shift(shift, 1);
            cv.count("foldedIntoConv");
            cv.alias(n, 0, d);
            return;
        }
        String mul = cv.graph().node("Mul", cv.graph().fresh(n.name() + "/scale"),
                List.of(d.name(), cv.constantFor(d, sc)));
        String out = cv.graph().node("Add", cv.outName(n), List.of(mul, cv.constantFor(d, Nd.floats(shift, c))));
        cv.put(n, new Dyn(out, d.shape(), d.nchw(), null));
    }
}
