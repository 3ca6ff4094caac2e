package io.argus.aggregator.identities;

import java.util.ArrayList;
import java.util.List;

/**
 * One face trace as the identity stage keeps it (store key {@code trace/<job>/<trace>}).
 *
 * @param key        {@code <job>/<trace>}
 * @param jobId      the job
 * @param traceId    the trace, unique within the job
 * @param faceCount  faces of the trace, at least 1
 * @param feature    the trace's smoothed embedding, unit length
 * @param identity   the identity it belongs to, or null (unassigned)
 * @param similarity cosine with the identity's centroid when it joined (1 for a founding trace), 0
 *                   when unassigned
 * @param rejected   identities a user said it is not ("not this person"): it never joins them again
 * @param firstMs    offset of its first face, ms
 * @param lastMs     offset of its last face, ms
 */
public record TraceState(String key, String jobId, long traceId, int faceCount, float[] feature, String identity,
                         float similarity, List<String> rejected, long firstMs, long lastMs) {

    /** Copies the rejected list, null as empty. */
    public TraceState {
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
    }

    /**
     * @param other another trace
     * @return whether both are in one job and seen at the same time: two faces on screen together are
     *         two people (so such traces never share an identity by themselves)
     */
    public boolean overlaps(TraceState other) {
        return jobId.equals(other.jobId) && !key.equals(other.key) && firstMs <= other.lastMs && other.firstMs <= lastMs;
    }

    /**
     * @param identityUuid the identity joined, or null
     * @param cosine       the similarity at joining
     * @return this trace in that identity
     */
    public TraceState assigned(String identityUuid, float cosine) {
        return new TraceState(key, jobId, traceId, faceCount, feature, identityUuid, cosine, rejected, firstMs, lastMs);
    }

    /**
     * @param identityUuid an identity the trace is not
     * @return this trace, unassigned, never to join that identity
     */
    public TraceState rejecting(String identityUuid) {
        List<String> r = new ArrayList<>(rejected);
        if (!r.contains(identityUuid)) {
            r.add(identityUuid);
        }
        return new TraceState(key, jobId, traceId, faceCount, feature, null, 0, r, firstMs, lastMs);
    }
}
