package io.argus.analyzer.models.tfjs;

import io.argus.analyzer.models.onnx.OnnxGraph;

/**
 * A converted TensorFlow tensor ({@link TfjsToOnnx}): a constant folded at conversion time or an
 * ONNX tensor of the graph being written. Shapes are TensorFlow's (NHWC for images), whatever the
 * storage layout.
 */
sealed interface Value permits Value.Const, Value.Dyn {

    /** @return the TensorFlow shape (empty for a scalar) */
    int[] shape();

    /**
     * A constant, evaluated in Java.
     *
     * @param v its value
     */
    record Const(Nd v) implements Value {
        @Override
        public int[] shape() {
            return v.shape();
        }
    }

    /**
     * An ONNX tensor with its TensorFlow (NHWC) shape and ONNX element type. TensorFlow's int32 and
     * int64 tensors (indices from TopKV2 and the integer maths on them) are int64 in ONNX; bool
     * tensors (Equal) are bool.
     *
     * @param name ONNX value name
     * @param shape TensorFlow shape
     * @param nchw true when stored transposed to NCHW (a 4-D convolution output)
     * @param conv the weights and bias of the Conv that produced it, or null: a following
     *     per-channel scale or shift may be folded into them
     * @param type ONNX element type: {@link OnnxGraph#FLOAT}, {@link OnnxGraph#INT64} or
     *     {@link OnnxGraph#BOOL}
     */
    record Dyn(String name, int[] shape, boolean nchw, ConvParams conv, int type) implements Value {

        /** A float tensor. */
        Dyn(String name, int[] shape, boolean nchw, ConvParams conv) {
            this(name, shape, nchw, conv, OnnxGraph.FLOAT);
        }

        /** @return true for an int64 tensor */
        boolean isLong() {
            return type == OnnxGraph.INT64;
        }
    }
}
