package io.argus.ingest;

/**
 * Frame events of a job run were not committed: the events sent since the run's last flush are
 * lost, and the run must start again from what the frames topic holds ({@link FrameLog}).
 */
public final class FrameSinkException extends RuntimeException {

    private final boolean fenced;

    /**
     * @param message what failed
     * @param cause   the Kafka error
     * @param fenced  true when a newer run of the same job took over (this run must not retry)
     */
    public FrameSinkException(String message, Throwable cause, boolean fenced) {
        super(message, cause);
        this.fenced = fenced;
    }

    /** @return true when a newer run of the same job (on this or another instance) took over */
    public boolean fenced() {
        return fenced;
    }
}
