package io.argus.edge.extract;

import java.io.IOException;

/**
 * Deletion of stored extraction files (frames, {@code .flo} files, visualisations). The launcher
 * wires it to the frame store, e.g. {@code frameStore::deletePrefix}; the edge never lists or scans
 * the storage.
 */
@FunctionalInterface
public interface ExtractionStorage {

    /**
     * Deletes every object whose key starts with {@code prefix + "/"}.
     *
     * @param prefix {@code extractions/<request_id>} ({@link ExtractionIds#storePrefix})
     * @return number of objects deleted (0 when there were none)
     * @throws IOException when deletion fails
     */
    int deletePrefix(String prefix) throws IOException;
}
