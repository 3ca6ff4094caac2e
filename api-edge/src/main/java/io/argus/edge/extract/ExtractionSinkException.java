package io.argus.edge.extract;

/** Extraction records could not be written (e.g. Kafka unreachable or refusing the write). */
public class ExtractionSinkException extends RuntimeException {

    /**
     * @param message what failed, with the request id
     * @param cause   the underlying error
     */
    public ExtractionSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
