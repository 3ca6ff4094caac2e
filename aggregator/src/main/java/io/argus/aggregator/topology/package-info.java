/**
 * The aggregator's Kafka Streams topology (Processor API): one processor fed by the frames and
 * frame-results topics (co-partitioned by job id) that applies the rules of
 * {@link io.argus.aggregator.rules} per (job, op) and writes segments, op results and job status.
 * Entry point: {@link io.argus.aggregator.topology.AggregatorTopology#build}.
 */
package io.argus.aggregator.topology;
