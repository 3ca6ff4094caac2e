package io.argus.edge.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * What a deletion removed (DELETE /frame/{id}, DELETE /frame?video=, retention sweeps).
 *
 * @param requests ids of the requests deleted, in the order deleted
 * @param items    index entries tombstoned
 * @param files    stored files deleted (as counted by {@link ExtractionStorage#deletePrefix})
 */
public record DeleteResult(List<String> requests, long items, long files) {

    /** Nothing deleted. */
    public static final DeleteResult NONE = new DeleteResult(List.of(), 0, 0);

    /** Copies the request list. */
    public DeleteResult {
        requests = List.copyOf(requests);
    }

    /**
     * @param other another result
     * @return both together
     */
    public DeleteResult plus(DeleteResult other) {
        List<String> ids = new ArrayList<>(requests);
        ids.addAll(other.requests);
        return new DeleteResult(ids, items + other.items, files + other.files);
    }
}
