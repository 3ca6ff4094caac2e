package io.argus.schemas.metrics;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Counts the records one stage read and did not use ({@value ArgusMeters#RECORDS_DROPPED}, tags
 * {@code stage} and {@code reason}), as Kafka Streams counts its own {@code dropped-records}: every
 * place that drops a record counts it here as well as logging it.
 *
 * <p>Thread-safe.
 */
public final class DroppedRecords {

    private final MeterRegistry registry;
    private final String stage;

    /**
     * @param registry where the counters go
     * @param stage    the stage's name (ingest, analyzer, aggregator, flow, edge)
     */
    public DroppedRecords(MeterRegistry registry, String stage) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    /**
     * Counts of a stage whose metrics go nowhere (tests, tools).
     *
     * @param stage the stage's name
     * @return counters in a registry of their own
     */
    public static DroppedRecords unpublished(String stage) {
        return new DroppedRecords(new SimpleMeterRegistry(), stage);
    }

    /**
     * Counts one dropped record.
     *
     * @param reason a short, fixed reason in snake case (e.g. {@code unknown_op}, {@code after_end});
     *               never a job id or other unbounded value
     */
    public void count(String reason) {
        counter(reason).increment();
    }

    /**
     * @param reason the reason
     * @return the counter of that reason (created at 0 when new)
     */
    public Counter counter(String reason) {
        return Counter.builder(ArgusMeters.RECORDS_DROPPED)
                .description("Records a stage read and did not use")
                .tag("stage", stage)
                .tag("reason", reason)
                .register(registry);
    }
}
