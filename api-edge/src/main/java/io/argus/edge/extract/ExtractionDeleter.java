package io.argus.edge.extract;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.avro.ExtractionStatus;

/**
 * Deletes extraction requests completely, one after the other. For each request, in this order:
 * <ol>
 *   <li>its stored files: {@link ExtractionStorage#deletePrefix} of {@code extractions/<request_id>};</li>
 *   <li>its index entries: one tombstone per key found by a prefix scan of
 *       {@code <kind>/<pattern>/<video_id>/<request_id>/} ({@link ExtractionSink#deleteItems});</li>
 *   <li>its status: a tombstone on argus.extraction-status ({@link ExtractionSink#deleteStatus});</li>
 *   <li>{@link ExtractionCatalog#noteDeleted}, hiding it on this instance at once.</li>
 * </ol>
 * The status goes last, so a deletion interrupted by an error leaves a request that can still be
 * found and deleted again; files go first, so no index entry survives its deletion pointing at
 * nothing. A request still being sampled (WAITING/DOING) is deleted the same way, but files and
 * items written after the deletion (and the status ingest writes next) are not: such a request
 * reappears and is deleted by a later DELETE or by retention.
 *
 * <p>Thread-safe (as its sink, storage and catalogue are).
 */
public final class ExtractionDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionDeleter.class);

    private final ExtractionCatalog catalog;
    private final ExtractionSink sink;
    private final ExtractionStorage storage;

    /**
     * @param catalog where the requests' item keys are found
     * @param sink    where tombstones go
     * @param storage where the files are deleted
     */
    public ExtractionDeleter(ExtractionCatalog catalog, ExtractionSink sink, ExtractionStorage storage) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * @param requests statuses of the requests to delete
     * @return what was deleted
     * @throws ExtractionDeleteException when the storage or the sink fails; carries what was deleted
     */
    public DeleteResult delete(List<ExtractionStatus> requests) {
        DeleteResult done = DeleteResult.NONE;
        for (ExtractionStatus s : requests) {
            done = done.plus(deleteOne(s, done));
        }
        return done;
    }

    private DeleteResult deleteOne(ExtractionStatus status, DeleteResult before) {
        String id = status.getRequestId();
        int files;
        try {
            files = storage.deletePrefix(ExtractionIds.storePrefix(id));
        } catch (IOException | RuntimeException e) {
            throw new ExtractionDeleteException("cannot delete the stored files of " + id + ": " + e.getMessage(),
                    before, e);
        }
        List<String> keys = catalog.itemKeys(status);
        try {
            sink.deleteItems(keys);
            sink.deleteStatus(id);
        } catch (RuntimeException e) {
            throw new ExtractionDeleteException("cannot delete the index entries of " + id + ": " + e.getMessage(),
                    before, e);
        }
        catalog.noteDeleted(id);
        LOG.info("Deleted extraction {} ({} {} of video {}): {} index entries, {} files", id,
                ExtractionIds.kind(status.getKind()), status.getPattern(), status.getVideoId(), keys.size(), files);
        return new DeleteResult(List.of(id), keys.size(), files);
    }
}
