package io.argus.analyzer.models.tfjs;

import io.argus.analyzer.models.ModelException;

/**
 * A TF.js graph could not be converted to ONNX; the message names the node and its op, e.g.
 * {@code cannot convert node 'Postprocessor/Foo' (op Erf): unsupported op}.
 */
public class ConversionException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final String node;
    private final String op;

    /**
     * @param node TF node name
     * @param op TF op type
     * @param reason what is wrong
     */
    public ConversionException(String node, String op, String reason) {
        super("cannot convert node '" + node + "' (op " + op + "): " + reason);
        this.node = node;
        this.op = op;
    }

    /** @return the TF node name */
    public String node() {
        return node;
    }

    /** @return the TF op type */
    public String op() {
        return op;
    }
}
