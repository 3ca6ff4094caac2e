package io.argus.edge.hooks;

import java.util.concurrent.CompletableFuture;

import io.argus.schemas.avro.HookCall;

/**
 * Where hook calls that gave up go (the hooks dead-letter topic). {@link KafkaDeadLetterSink} is
 * the Kafka implementation; tests may substitute their own.
 */
@FunctionalInterface
public interface DeadLetterSink extends AutoCloseable {

    /**
     * Records a call that gave up, asynchronously.
     *
     * @param failed the call with {@code attempts} and {@code last_error} set
     * @return completes once the call is durably recorded, exceptionally when it could not be
     */
    CompletableFuture<Void> send(HookCall failed);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
