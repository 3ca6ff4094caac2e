package io.argus.analyzer.models;

/**
 * A model could not be installed or located: network/HTTP failure, checksum mismatch, an unsafe or
 * malformed tarball, or a model that is missing from the models directory. The message is meant for
 * the operator and, when something is missing, says which command to run.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The command that installs the default models; quoted in "not installed" messages. */
    public static final String INSTALL_COMMAND = "./argus models install";

    /** @param message operator-facing description */
    public ModelException(String message) {
        super(message);
    }

    /**
     * @param message operator-facing description
     * @param cause underlying I/O or HTTP error
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param name model name, e.g. {@code faces}
     * @return the standard "not installed" error, telling the operator what to run
     */
    public static ModelException notInstalled(String name) {
        return new ModelException("model " + name + " is not installed; run: " + INSTALL_COMMAND);
    }
}
