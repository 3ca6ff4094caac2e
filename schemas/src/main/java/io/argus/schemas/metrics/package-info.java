/**
 * Metrics shared by every stage (Micrometer): the names Argus publishes ({@link
 * io.argus.schemas.metrics.ArgusMeters}), the JVM and process binders, and the counter of records a
 * stage drops ({@link io.argus.schemas.metrics.DroppedRecords}). Each stage is handed the process's
 * {@link io.micrometer.core.instrument.MeterRegistry}; the edge serves it as Prometheus text at
 * {@code GET /metrics}, and a process without the edge on {@code --metrics-port}.
 */
package io.argus.schemas.metrics;
