package io.argus.edge.extract;

/**
 * A deletion stopped on an error (storage or Kafka). What was deleted before the error stays
 * deleted ({@link #done()}); the failed request keeps its status, so deleting it again (or the next
 * retention sweep) finishes the job.
 */
public class ExtractionDeleteException extends RuntimeException {

    private final transient DeleteResult done;

    /**
     * @param message what failed
     * @param done    what was deleted before the error
     * @param cause   the underlying error
     */
    public ExtractionDeleteException(String message, DeleteResult done, Throwable cause) {
        super(message, cause);
        this.done = done;
    }

    /** @return what was fully deleted before the error */
    public DeleteResult done() {
        return done;
    }
}
