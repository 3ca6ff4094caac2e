package io.argus.edge.extract;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * An in-memory {@link ExtractionSink} recording every call and, like Kafka would, feeding statuses
 * and tombstones into an {@link IndexFixture}'s global stores. {@code failing} makes it throw.
 */
public final class DriverSink implements ExtractionSink {

    public final List<ExtractionStatus> statuses = new CopyOnWriteArrayList<>();
    public final List<ExtractionRequest> requests = new CopyOnWriteArrayList<>();
    public final List<String> itemTombstones = new CopyOnWriteArrayList<>();
    public final List<String> statusTombstones = new CopyOnWriteArrayList<>();
    public volatile boolean failing;
    /** Whether submitted statuses reach the store (false: Kafka is "slow", only the overlay shows them). */
    public volatile boolean deliverStatuses = true;
    public volatile boolean closed;
    private final IndexFixture index;

    public DriverSink(IndexFixture index) {
        this.index = index;
    }

    @Override
    public void submit(ExtractionStatus waiting, ExtractionRequest request) {
        check();
        statuses.add(waiting);
        requests.add(request);
        if (deliverStatuses) {
            index.put(waiting);
        }
    }

    @Override
    public void deleteItems(List<String> itemKeys) {
        check();
        itemTombstones.addAll(itemKeys);
        itemKeys.forEach(index::tombstoneItem);
    }

    @Override
    public void deleteStatus(String requestId) {
        check();
        statusTombstones.add(requestId);
        index.tombstoneStatus(requestId);
    }

    private void check() {
        if (failing) {
            throw new ExtractionSinkException("broker down", new IllegalStateException("broker down"));
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
