package io.argus.aggregator.identities;

import java.util.List;

/**
 * The unassigned traces (store key {@code unassigned}).
 *
 * @param keys trace keys {@code <job>/<trace>}, oldest first
 */
public record Unassigned(List<String> keys) {

    /** Copies the list, null as empty. */
    public Unassigned {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
