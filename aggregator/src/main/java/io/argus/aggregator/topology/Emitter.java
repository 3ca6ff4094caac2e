package io.argus.aggregator.topology;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.VframeEvent;

/** Where the aggregation writes its output, in the order it calls these methods. */
interface Emitter {

    /** @param segment a segment that just closed (segments topic) */
    void segment(Segment segment);

    /** @param result an op's final result (op-results topic) */
    void opResult(OpResult result);

    /** @param status the job's status after a change (job-status topic) */
    void status(JobStatus status);

    /** @param control a command for ingest (control topic): STOP_OP when an op's terminate rule is reached */
    void control(JobControl control);

    /** @param call a callback for api-edge to deliver (hooks topic) */
    void hook(HookCall call);

    /** @param event a frame-cutting event: BEGIN, CUT or END (vframes topic) */
    void vframe(VframeEvent event);
}
