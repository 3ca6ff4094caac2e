package io.argus.edge.request;

import java.util.ArrayList;
import java.util.List;

import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpSpec;

/**
 * The first status of every job: WAITING, written by the edge to the job-status topic before the
 * job request itself (DESIGN.md, Jobs: WAITING -> DOING -> FINISHED | FAILED | CANCELLED).
 */
public final class WaitingStatus {

    private WaitingStatus() {
    }

    /**
     * @param request a validated job request
     * @return its WAITING status: same job id, video id, {@code request_json} and
     *         {@code created_at} (= {@code updated_at}, ms since the epoch), the op names in
     *         request order, no progress yet ({@code frames_expected} = -1, unknown)
     */
    public static JobStatus of(JobRequest request) {
        List<String> ops = new ArrayList<>();
        for (OpSpec op : request.getOps()) {
            ops.add(op.getOp());
        }
        return JobStatus.newBuilder()
                .setJobId(request.getJobId())
                .setVideoId(request.getVideoId())
                .setStatus(JobState.WAITING)
                .setError(null)
                .setRequestJson(request.getRequestJson())
                .setCreatedAt(request.getCreatedAt())
                .setUpdatedAt(request.getCreatedAt())
                .setOps(ops)
                .setOpsDone(new ArrayList<>())
                .setFramesSampled(0)
                .setFramesAnalyzed(0)
                .setFramesExpected(-1)
                .build();
    }
}
