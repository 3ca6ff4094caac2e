package io.argus.extractor.sampling;

/**
 * How a live source (RTMP, RTSP) is read.
 *
 * @param silenceTimeoutMs how long the source may give no frame (dropped publisher, stalled
 *                         network, failed reconnects) before the job fails with 499 "timeout"
 *                         ({@code params.live.timeout}); also bounds the first connection
 * @param readTimeoutMs    socket read timeout handed to FFmpeg ({@code rw_timeout} for RTMP,
 *                         {@code timeout} for RTSP, both in µs there): a read stalled this long
 *                         counts as a dropped connection and is retried
 * @param initialBackoffMs wait before the first reconnect attempt
 * @param maxBackoffMs     cap of the doubling wait between attempts
 * @param phaseMs          mode 0: where the sampling grid sits on the wall clock, ms in
 *                         [0, interval): after the first frame, the frames kept are those whose
 *                         wall-clock time in ms is {@code phase} modulo the interval ({@link LiveSampler});
 *                         {@link #NO_PHASE} for a grid from the first frame. Ingest gives the live
 *                         jobs it runs phases spread over the interval ({@code io.argus.ingest.LivePhases})
 */
public record LiveOptions(long silenceTimeoutMs, long readTimeoutMs, long initialBackoffMs, long maxBackoffMs,
                          long phaseMs) {

    /** {@link #phaseMs()} of a grid anchored at the first frame. */
    public static final long NO_PHASE = -1;

    /** Default {@code params.live.timeout}: 30 s. */
    public static final long DEFAULT_SILENCE_TIMEOUT_MS = 30_000;

    /**
     * @throws IllegalArgumentException for non-positive times, a cap below the initial backoff or a
     *     phase below {@link #NO_PHASE}
     */
    public LiveOptions {
        if (silenceTimeoutMs <= 0 || readTimeoutMs <= 0 || initialBackoffMs <= 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("live options must be positive, max backoff >= initial backoff");
        }
        if (phaseMs < NO_PHASE) {
            throw new IllegalArgumentException("live sampling phase must be >= 0 ms, or NO_PHASE");
        }
    }

    /**
     * Defaults: 1 s read timeout (a stall is noticed, and a kill honoured, within about a second),
     * reconnects after 100 ms doubling up to 500 ms (a returning stream is read again within
     * about half a second plus the probe).
     *
     * @param silenceTimeoutMs the job's live timeout in ms, or &lt;= 0 for {@link #DEFAULT_SILENCE_TIMEOUT_MS}
     * @return the options
     */
    public static LiveOptions withTimeout(long silenceTimeoutMs) {
        return new LiveOptions(silenceTimeoutMs > 0 ? silenceTimeoutMs : DEFAULT_SILENCE_TIMEOUT_MS, 1000, 100, 500,
                NO_PHASE);
    }

    /**
     * @param phaseMs where the mode 0 grid sits on the wall clock, ms, &gt;= 0 (see the record)
     * @return these options with that phase
     * @throws IllegalArgumentException for a phase below {@link #NO_PHASE}
     */
    public LiveOptions withPhase(long phaseMs) {
        return new LiveOptions(silenceTimeoutMs, readTimeoutMs, initialBackoffMs, maxBackoffMs, phaseMs);
    }
}
