package io.argus.edge.jobs;

import java.io.IOException;

/** Deletion of stored frames by key prefix: the frame store's {@code deletePrefix}. */
@FunctionalInterface
public interface FrameDeletion {

    /**
     * Deletes every object whose key starts with {@code prefix + "/"}.
     *
     * @param prefix a job id: the job's own frames are {@code <job_id>/<seq>.jpg}
     * @return number of objects deleted (0 when there were none)
     * @throws IOException when deletion fails
     */
    int deletePrefix(String prefix) throws IOException;
}
