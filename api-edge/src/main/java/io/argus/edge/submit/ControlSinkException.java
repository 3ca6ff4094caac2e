package io.argus.edge.submit;

/** A job control command could not be recorded (e.g. Kafka unreachable or refusing the write). */
public class ControlSinkException extends RuntimeException {

    /**
     * @param message what failed, with the job id
     * @param cause   the underlying error, or null
     */
    public ControlSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
