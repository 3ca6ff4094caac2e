/**
 * The aggregator's Kafka Streams topology (Processor API): one processor fed by the frames,
 * frame-results and control topics (co-partitioned by job id) that applies the rules of
 * {@link io.argus.aggregator.rules} per (job, op), handles KILL, and writes segments, op results,
 * job status, STOP_OP commands (early terminate) and callbacks (hooks).
 * Entry point: {@link io.argus.aggregator.topology.AggregatorTopology#build}.
 */
package io.argus.aggregator.topology;
