package io.argus.aggregator.topology;

import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

/** Where the aggregation writes its output, in the order it calls these methods. */
interface Emitter {

    /** @param segment a segment that just closed (segments topic) */
    void segment(Segment segment);

    /** @param result an op's final result (op-results topic) */
    void opResult(OpResult result);

    /** @param status the job's status after a change (job-status topic) */
    void status(JobStatus status);
}
