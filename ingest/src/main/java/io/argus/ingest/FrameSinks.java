package io.argus.ingest;

/** Opens the {@link FrameSink} of one run of a job. */
@FunctionalInterface
public interface FrameSinks {

    /**
     * @param jobId the job
     * @return a sink for this run of the job; opening it ends any earlier run of the same job
     *         (whose events not yet flushed are dropped)
     * @throws FrameSinkException when the sink cannot be opened (the cluster is unreachable)
     */
    FrameSink open(String jobId);
}
