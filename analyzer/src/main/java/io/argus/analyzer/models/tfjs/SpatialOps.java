package io.argus.analyzer.models.tfjs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.argus.analyzer.models.onnx.OnnxGraph.Attribute;
import io.argus.analyzer.models.tfjs.Value.Dyn;

/**
 * Converters of spatial ops on images: padding, pooling and resizing.
 *
 * <ul>
 *   <li>Pad and PadV2 ({@code tensorflow/core/ops/array_ops.cc}: constant {@code paddings} of
 *       shape {@code [rank, 2]}, before/after per dim; PadV2's scalar {@code constant_values},
 *       Pad's 0) → ONNX Pad, mode {@code constant}, pads {@code [x1_begin, …, x1_end, …]} and the
 *       value as inputs (opset ≥ 11). A 4-D tensor stored NCHW stays NCHW (its pads are
 *       reordered).</li>
 *   <li>MaxPool ({@code nn_ops.cc}: NHWC, {@code ksize} and {@code strides} {@code [1, h, w, 1]},
 *       SAME or VALID) → ONNX MaxPool on NCHW with explicit pads computed as for Conv2D
 *       ({@link ConvOps#outSize}); padded cells never win the max in either framework.</li>
 *   <li>ResizeBilinear (images NHWC, constant {@code size = [h, w]}) → ONNX Resize, mode
 *       {@code linear}, with {@code sizes}. TensorFlow's source coordinate
 *       ({@code tensorflow/core/kernels/image/resize_bilinear_op.cc} with the scalers of
 *       {@code image_resizer_state.h}) maps onto ONNX's {@code coordinate_transformation_mode}
 *       ({@code onnx/docs/Operators.md}, Resize): {@code align_corners} →
 *       {@code align_corners} ({@code x·(in−1)/(out−1)}); {@code half_pixel_centers} →
 *       {@code half_pixel} ({@code (x+0.5)·in/out − 0.5}, TensorFlow clamping the lower
 *       neighbour at 0 as ONNX Runtime does); neither (the legacy default) → {@code asymmetric}
 *       ({@code x·in/out}). Both set is refused, as TensorFlow does.</li>
 * </ul>
 *
 * Only NHWC data is accepted; outputs of MaxPool and Resize stay NCHW.
 */
final class SpatialOps {

    private SpatialOps() {
    }

    /** @return this family's converters by TensorFlow op name */
    static Map<String, OpConverter> converters() {
        Map<String, OpConverter> byOp = new HashMap<>();
        byOp.put("Pad", (n, c) -> pad(n, c, 0f));
        byOp.put("PadV2", (n, c) -> pad(n, c, (float) c.constIn(n, 2).get(0)));
        byOp.put("MaxPool", SpatialOps::maxPool);
        byOp.put("ResizeBilinear", SpatialOps::resizeBilinear);
        return byOp;
    }

    private static void pad(TfjsGraph.Node n, Conversion cv, float value) {
        Dyn d = cv.dyn(cv.in(n, 0));
        int[] p = cv.constIn(n, 1).asInts();
        int[] s = d.shape();
        if (p.length != 2 * s.length) {
            throw new ConversionException(n.name(), n.op(), "paddings has " + p.length + " values for rank " + s.length);
        }
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (p[2 * i] < 0 || p[2 * i + 1] < 0) {
                throw new ConversionException(n.name(), n.op(), "negative padding " + Arrays.toString(p));
            }
            out[i] = s[i] + p[2 * i] + p[2 * i + 1];
        }
        // Storage order of the TensorFlow dims: NHWC dims (0, 3, 1, 2) for a tensor stored NCHW.
        int[] order = d.nchw() ? new int[] {0, 3, 1, 2} : java.util.stream.IntStream.range(0, s.length).toArray();
        long[] pads = new long[2 * s.length];
        for (int j = 0; j < s.length; j++) {
            pads[j] = p[2 * order[j]];
            pads[s.length + j] = p[2 * order[j] + 1];
        }
        String v = cv.graph().floats(cv.graph().fresh("pad_value"), new float[] {value});
        String o = cv.graph().node("Pad", cv.outName(n), List.of(d.name(), cv.longs(pads), v),
                Attribute.of("mode", "constant"));
        cv.put(n, new Dyn(o, out, d.nchw(), null));
    }

    private static void maxPool(TfjsGraph.Node n, Conversion cv) {
        if (!n.stringAttr("data_format", "NHWC").equals("NHWC")) {
            throw new ConversionException(n.name(), n.op(), "data_format must be NHWC");
        }
        if (!(cv.in(n, 0) instanceof Dyn x0)) {
            throw new ConversionException(n.name(), n.op(), "constant input image");
        }
        Dyn x = cv.nchw(x0, n);
        int[] k = n.intsAttr("ksize");
        int[] st = n.intsAttr("strides");
        if (k == null || k.length != 4 || k[0] != 1 || k[3] != 1) {
            throw new ConversionException(n.name(), n.op(), "ksize must be [1, h, w, 1], got " + Arrays.toString(k));
        }
        int sh = st == null ? 1 : st[1];
        int sw = st == null ? 1 : st[2];
        if (st != null && (st[0] != 1 || st[3] != 1)) {
            throw new ConversionException(n.name(), n.op(), "strides must be [1, h, w, 1], got " + Arrays.toString(st));
        }
        String padding = n.stringAttr("padding", "VALID");
        int[] s = x.shape();
        long[] pads = new long[4];
        int oh = ConvOps.outSize(n, padding, s[1], k[1], sh, 1, pads, 0);
        int ow = ConvOps.outSize(n, padding, s[2], k[2], sw, 1, pads, 1);
        String o = cv.graph().node("MaxPool", cv.outName(n), List.of(x.name()),
                Attribute.ints("kernel_shape", k[1], k[2]), Attribute.ints("strides", sh, sw),
                Attribute.ints("pads", pads));
        cv.put(n, new Dyn(o, new int[] {s[0], oh, ow, s[3]}, true, null));
    }

    private static void resizeBilinear(TfjsGraph.Node n, Conversion cv) {
        if (!(cv.in(n, 0) instanceof Dyn x0)) {
            throw new ConversionException(n.name(), n.op(), "constant input image");
        }
        Dyn x = cv.nchw(x0, n);
        int[] size = cv.constIn(n, 1).asInts();
        if (size.length != 2 || size[0] <= 0 || size[1] <= 0) {
            throw new ConversionException(n.name(), n.op(), "size must be two positive values, got "
                    + Arrays.toString(size));
        }
        String mode = coordinateMode(n);
        int[] s = x.shape();
        String o = cv.graph().node("Resize", cv.outName(n),
                List.of(x.name(), "", "", cv.longs(s[0], s[3], size[0], size[1])),
                Attribute.of("mode", "linear"), Attribute.of("coordinate_transformation_mode", mode));
        cv.put(n, new Dyn(o, new int[] {s[0], size[0], size[1], s[3]}, true, null));
    }

    /**
     * @return ONNX Resize's {@code coordinate_transformation_mode} equal to the node's TensorFlow
     *     {@code align_corners}/{@code half_pixel_centers} attributes
     * @throws ConversionException when both are set
     */
    static String coordinateMode(TfjsGraph.Node n) {
        boolean alignCorners = n.attr().path("align_corners").path("b").asBoolean(false);
        boolean halfPixel = n.attr().path("half_pixel_centers").path("b").asBoolean(false);
        if (alignCorners && halfPixel) {
            throw new ConversionException(n.name(), n.op(), "align_corners and half_pixel_centers both set");
        }
        return alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
    }
}
