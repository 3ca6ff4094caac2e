package io.argus.edge.submit;

/** A job could not be recorded (e.g. Kafka unreachable or refusing the write). */
public class JobSinkException extends RuntimeException {

    /**
     * @param message what failed, with the job id
     * @param cause   the underlying error
     */
    public JobSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
