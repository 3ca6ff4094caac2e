/**
 * What the aggregator keeps in its RocksDB stores, as small explicit objects written as JSON
 * ({@link io.argus.aggregator.state.JsonSerde}):
 * <ul>
 *   <li>{@link io.argus.aggregator.state.JobProgress}, keyed by job id: the job's request facts,
 *       progress, per-op tallies and final state; the source of the job-status records;</li>
 *   <li>{@link io.argus.aggregator.state.OpState}, keyed by {@link io.argus.aggregator.state.StoreKeys#op}:
 *       one op's rules, next sequence number, open segment and terminate counts;</li>
 *   <li>{@link io.argus.aggregator.state.ResultData}: results waiting for a missing sequence number
 *       or for the job's BEGIN marker;</li>
 *   <li>{@link io.argus.aggregator.state.CutData} and {@link io.argus.aggregator.state.SegmentData}:
 *       frames of the open segment and closed segments, stored one per key so the op state stays
 *       small however long a segment grows.</li>
 * </ul>
 * The finished ops' results of jobs with a result callback ({@code params.hookURL}) are kept as
 * Avro {@code OpResult} records under {@link io.argus.aggregator.state.StoreKeys#op} until the job
 * is final.
 */
package io.argus.aggregator.state;
