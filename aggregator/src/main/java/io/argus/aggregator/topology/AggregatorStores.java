package io.argus.aggregator.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.argus.aggregator.state.CutData;
import io.argus.aggregator.state.JobProgress;
import io.argus.aggregator.state.OpState;
import io.argus.aggregator.state.ResultData;
import io.argus.aggregator.state.SegmentData;
import io.argus.aggregator.state.StoreKeys;
import io.argus.schemas.avro.OpResult;

/** Typed access to the aggregator's six stores (see {@link AggregatorTopology} and {@link StoreKeys}). */
final class AggregatorStores {

    private static final StringSerializer KEYS = (StringSerializer) Serdes.String().serializer();

    private final KeyValueStore<String, JobProgress> jobs;
    private final KeyValueStore<String, OpState> ops;
    private final KeyValueStore<String, ResultData> pending;
    private final KeyValueStore<String, CutData> cuts;
    private final KeyValueStore<String, SegmentData> segments;
    private final KeyValueStore<String, OpResult> results;

    AggregatorStores(ProcessorContext<?, ?> context) {
        this.jobs = context.getStateStore(AggregatorTopology.JOBS_STORE);
        this.ops = context.getStateStore(AggregatorTopology.OPS_STORE);
        this.pending = context.getStateStore(AggregatorTopology.PENDING_STORE);
        this.cuts = context.getStateStore(AggregatorTopology.CUTS_STORE);
        this.segments = context.getStateStore(AggregatorTopology.SEGMENTS_STORE);
        this.results = context.getStateStore(AggregatorTopology.OP_RESULTS_STORE);
    }

    JobProgress job(String jobId) {
        return jobs.get(jobId);
    }

    void putJob(JobProgress job) {
        jobs.put(job.jobId(), job);
    }

    /** @return every job kept */
    List<JobProgress> allJobs() {
        List<JobProgress> all = new ArrayList<>();
        try (KeyValueIterator<String, JobProgress> it = jobs.all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return all;
    }

    OpState op(String jobId, String op) {
        return ops.get(StoreKeys.op(jobId, op));
    }

    void putOp(String jobId, OpState state) {
        ops.put(StoreKeys.op(jobId, state.op()), state);
    }

    /**
     * Buffers a result unless one with the same (job, op, seq) is already buffered.
     *
     * @return true when buffered, false when it was a duplicate
     */
    boolean bufferIfAbsent(String jobId, ResultData result) {
        return pending.putIfAbsent(StoreKeys.pending(jobId, result.op(), result.seq()), result) == null;
    }

    /** @return the buffered result for (job, op, seq), removed from the buffer, or null */
    ResultData takePending(String jobId, String op, long seq) {
        return pending.delete(StoreKeys.pending(jobId, op, seq));
    }

    /** @return every buffered result of the job, by op then seq */
    List<ResultData> pendingOf(String jobId) {
        return values(pending, StoreKeys.job(jobId));
    }

    void putCut(String jobId, String op, int index, int cut, CutData data) {
        cuts.put(StoreKeys.cut(jobId, op, index, cut), data);
    }

    /** @return the cuts of one segment in order, removed from the store */
    List<CutData> takeCuts(String jobId, String op, int index) {
        String prefix = StoreKeys.segment(jobId, op, index) + StoreKeys.SEP;
        List<CutData> found = values(cuts, prefix);
        deletePrefix(cuts, prefix);
        return found;
    }

    void putSegment(String jobId, String op, SegmentData segment) {
        segments.put(StoreKeys.segment(jobId, op, segment.index()), segment);
    }

    /** @return the op's closed segments in index order */
    List<SegmentData> segmentsOf(String jobId, String op) {
        return values(segments, StoreKeys.opPrefix(jobId, op));
    }

    /** Keeps a done op's result until its job is final (jobs with a result callback). */
    void putResult(String jobId, OpResult result) {
        results.put(StoreKeys.op(jobId, result.getOp()), result);
    }

    /**
     * @param jobId job id
     * @param ops   op names, in the order wanted
     * @return the kept results of these ops in that order (ops without one left out), removed
     */
    List<OpResult> takeResults(String jobId, List<String> ops) {
        List<OpResult> found = new ArrayList<>();
        for (String op : ops) {
            OpResult r = results.delete(StoreKeys.op(jobId, op));
            if (r != null) {
                found.add(r);
            }
        }
        return found;
    }

    /** Deletes everything an op keeps: its state, buffered results, cuts and segments. */
    void forgetOp(String jobId, String op) {
        ops.delete(StoreKeys.op(jobId, op));
        String prefix = StoreKeys.opPrefix(jobId, op);
        deletePrefix(pending, prefix);
        deletePrefix(cuts, prefix);
        deletePrefix(segments, prefix);
    }

    /** Deletes everything the job's ops keep, leaving its {@link JobProgress} and kept results. */
    void forgetOps(String jobId) {
        String prefix = StoreKeys.job(jobId);
        deletePrefix(ops, prefix);
        deletePrefix(pending, prefix);
        deletePrefix(cuts, prefix);
        deletePrefix(segments, prefix);
    }

    /** Deletes everything the job keeps. */
    void forgetJob(String jobId) {
        forgetOps(jobId);
        deletePrefix(results, StoreKeys.job(jobId));
        jobs.delete(jobId);
    }

    private static <V> List<V> values(KeyValueStore<String, V> store, String prefix) {
        List<V> found = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }

    private static <V> void deletePrefix(KeyValueStore<String, V> store, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                keys.add(kv.key);
            }
        }
        keys.forEach(store::delete);
    }
}
