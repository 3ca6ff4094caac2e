package io.argus.aggregator.identities;

import java.util.List;

/**
 * One identity as the identity stage keeps it (store key {@code identity/<uuid>}).
 *
 * @param uuid      the identity's uuid (derived from its founding trace, so a replay gives the same)
 * @param name      the name a user gave, or null
 * @param model     the embedding model of its traces
 * @param traces    member trace keys {@code <job>/<trace>}, in order of joining
 * @param centroid  mean of the members' features weighted by their face counts, unit length
 * @param faceCount faces of all members
 * @param updatedMs record time of the last input that changed it, ms since the epoch
 * @param lastRequest request id of the last command that changed it, or null
 */
public record IdentityState(String uuid, String name, String model, List<String> traces, float[] centroid,
                            int faceCount, long updatedMs, String lastRequest) {

    /** Copies the trace list. */
    public IdentityState {
        traces = traces == null ? List.of() : List.copyOf(traces);
    }
}
