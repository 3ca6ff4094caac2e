package io.argus.schemas.registry;

/** A schema registry refused a request or could not be reached. */
public class SchemaRegistryException extends RuntimeException {
    /** @param message what failed, with the subject or id involved */
    public SchemaRegistryException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying I/O or protocol error
     */
    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
