package io.argus.edge.view;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;

/**
 * A job that reached a terminal state (FINISHED, FAILED or CANCELLED), with its op results.
 * For FINISHED, {@code results} has an entry for every op named in {@code status.ops}.
 *
 * @param status  the terminal status
 * @param results op name -> final result, in the job's op order (possibly partial for FAILED and
 *                CANCELLED)
 */
public record JobOutcome(JobStatus status, Map<String, OpResult> results) {

    /** Copies {@code results}, keeping its order, so the outcome is immutable. */
    public JobOutcome {
        results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    /** @return the terminal state */
    public JobState state() {
        return status.getStatus();
    }
}
