package io.argus.aggregator.state;

/**
 * Keys of the aggregator's stores. Every key starts with the job id and a NUL separator, so a
 * prefix scan on {@link #job(String)} finds everything a job keeps; numbers are zero-padded so the
 * stores' byte order is numeric order.
 *
 * <pre>
 *   ops       jobId \0 op                       -> OpState
 *   pending   jobId \0 op \0 seq(19 digits)     -> ResultData
 *   cuts      jobId \0 op \0 index(10) \0 cut(10) -> CutData
 *   segments  jobId \0 op \0 index(10)          -> SegmentData
 *   results   jobId \0 op                       -> OpResult (Avro; jobs with params.hookURL)
 * </pre>
 */
public final class StoreKeys {

    /** Separator between key parts. */
    public static final char SEP = '\u0000';

    private StoreKeys() {
    }

    /**
     * @param jobId job id
     * @return prefix of every key the job owns
     */
    public static String job(String jobId) {
        return jobId + SEP;
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @return key of the op's state and of its stored result; also the prefix (with {@link #SEP}) of
     *         its other keys
     */
    public static String op(String jobId, String op) {
        return jobId + SEP + op;
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @return prefix of the op's pending results, cuts or segments
     */
    public static String opPrefix(String jobId, String op) {
        return op(jobId, op) + SEP;
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @param seq   frame sequence number, &gt;= 0
     * @return key of a pending result
     */
    public static String pending(String jobId, String op, long seq) {
        return opPrefix(jobId, op) + String.format("%019d", seq);
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @param index segment index
     * @return key of a closed segment; with {@link #SEP}, the prefix of the segment's cuts
     */
    public static String segment(String jobId, String op, int index) {
        return opPrefix(jobId, op) + String.format("%010d", index);
    }

    /**
     * @param jobId job id
     * @param op    op name
     * @param index segment index
     * @param cut   0-based frame position in the segment
     * @return key of one frame (cut) of a segment
     */
    public static String cut(String jobId, String op, int index, int cut) {
        return segment(jobId, op, index) + SEP + String.format("%010d", cut);
    }
}
