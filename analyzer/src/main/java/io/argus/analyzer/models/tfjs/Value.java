package io.argus.analyzer.models.tfjs;

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
     * An ONNX tensor with its TensorFlow (NHWC) shape.
     *
     * @param name ONNX value name
     * @param shape TensorFlow shape
     * @param nchw true when stored transposed to NCHW (a 4-D convolution output)
     * @param conv the weights and bias of the Conv that produced it, or null: a following
     *     per-channel scale or shift may be folded into them
     */
    record Dyn(String name, int[] shape, boolean nchw, ConvParams conv) implements Value {
    }
}
