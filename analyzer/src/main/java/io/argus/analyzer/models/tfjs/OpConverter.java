package io.argus.analyzer.models.tfjs;

/**
 * Converts one TensorFlow node: reads its inputs from the conversion, evaluates it when they are
 * constant, otherwise emits ONNX nodes, and stores its outputs ({@link Conversion#put}). One per
 * TensorFlow op name, found through {@link OpConverters}.
 */
@FunctionalInterface
interface OpConverter {

    /**
     * @param n the node; its inputs are already converted
     * @param c the conversion in progress
     * @throws ConversionException when the node cannot be converted (the caller wraps any other
     *     runtime exception into one naming the node)
     */
    void convert(TfjsGraph.Node n, Conversion c);
}
