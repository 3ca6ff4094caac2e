package io.argus.schemas.control;

import java.util.Set;

/**
 * What a stage learns about jobs from the control topic: kills from the HTTP edge and ops stopped
 * by their terminate rule (from the aggregator). Implementations are thread-safe.
 */
public interface JobControls {

    /** No job is ever killed or stopped (benchmarks, tools). */
    JobControls NONE = new JobControls() {
        @Override
        public boolean killed(String jobId) {
            return false;
        }

        @Override
        public Set<String> stoppedOps(String jobId) {
            return Set.of();
        }
    };

    /**
     * @param jobId job id
     * @return true once a KILL for the job was seen
     */
    boolean killed(String jobId);

    /**
     * @param jobId job id
     * @return ops of the job that need no more frames (STOP_OP seen), possibly empty
     */
    Set<String> stoppedOps(String jobId);
}
