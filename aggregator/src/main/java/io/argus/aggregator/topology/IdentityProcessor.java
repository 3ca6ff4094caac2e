package io.argus.aggregator.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.aggregator.identities.IdentityClustering;
import io.argus.aggregator.identities.IdentityState;
import io.argus.aggregator.identities.TraceState;
import io.argus.aggregator.identities.Unassigned;
import io.argus.schemas.avro.FaceTrace;
import io.argus.schemas.avro.Identity;
import io.argus.schemas.avro.IdentityCommand;
import io.argus.schemas.avro.IdentityInput;
import io.argus.schemas.avro.IdentityTrace;
import io.argus.schemas.metrics.DroppedRecords;

/**
 * The identity stage of the aggregator topology: reads {@code argus.identity-log} (face traces from
 * {@link FaceTraceProcessor}: ended ones, and live ones again while they grow; users' commands from
 * api-edge; one key, so one partition and one
 * order), places traces with {@link IdentityClustering} and applies the commands, and writes each
 * identity changed to {@code argus.identities} (key uuid; a tombstone for one merged away or left
 * without traces). Its state (identities, traces, the unassigned list) is in three RocksDB stores with
 * changelogs, written with the outputs in exactly-once transactions. A command on an unknown identity
 * changes nothing and is counted as dropped ({@code identity_command_unknown}).
 */
final class IdentityProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProcessor.class);
    private static final String UNASSIGNED = "unassigned";

    private final DroppedRecords drops;
    private ProcessorContext<String, SpecificRecord> context;
    private IdentityClustering clustering;

    /** @param drops counts the records dropped */
    IdentityProcessor(DroppedRecords drops) {
        this.drops = drops;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, IdentityState> identities = context.getStateStore(AggregatorTopology.IDENTITIES_STORE);
        KeyValueStore<String, TraceState> traces = context.getStateStore(AggregatorTopology.IDENTITY_TRACES_STORE);
        KeyValueStore<String, Unassigned> unassigned = context.getStateStore(AggregatorTopology.IDENTITY_UNASSIGNED_STORE);
        this.clustering = new IdentityClustering(new IdentityClustering.Store() {
            @Override
            public TraceState trace(String key) {
                return traces.get(key);
            }

            @Override
            public void put(TraceState trace) {
                traces.put(trace.key(), trace);
            }

            @Override
            public void deleteTrace(String key) {
                traces.delete(key);
            }

            @Override
            public IdentityState identity(String uuid) {
                return identities.get(uuid);
            }

            @Override
            public void put(IdentityState identity) {
                identities.put(identity.uuid(), identity);
            }

            @Override
            public void deleteIdentity(String uuid) {
                identities.delete(uuid);
            }

            @Override
            public List<IdentityState> identities() {
                List<IdentityState> out = new ArrayList<>();
                try (KeyValueIterator<String, IdentityState> it = identities.all()) {
                    it.forEachRemaining(kv -> out.add(kv.value));
                }
                return out;
            }

            @Override
            public List<String> unassigned() {
                Unassigned u = unassigned.get(UNASSIGNED);
                return u == null ? List.of() : u.keys();
            }

            @Override
            public void unassigned(List<String> keys) {
                unassigned.put(UNASSIGNED, new Unassigned(keys));
            }
        });
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (!(record.value() instanceof IdentityInput input)) {
            return;
        }
        long now = record.timestamp();
        if (input.getTrace() != null) {
            FaceTrace t = input.getTrace();
            float[] feature = new float[t.getFeature().size()];
            for (int i = 0; i < feature.length; i++) {
                feature[i] = t.getFeature().get(i);
            }
            clustering.addTrace(new TraceState(t.getJobId() + "/" + t.getTraceId(), t.getJobId(), t.getTraceId(),
                    Math.max(1, t.getFaceCount()), feature, null, 0, List.of(), t.getFirstSeenMs(), t.getLastSeenMs()),
                    t.getModel(), now);
        } else if (input.getCommand() != null) {
            IdentityCommand c = input.getCommand();
            boolean applied = switch (c.getAction()) {
                case NAME -> clustering.name(c.getIdentity(), c.getName(), c.getRequestId(), now);
                case MERGE -> clustering.merge(c.getIdentity(), c.getOthers(), c.getRequestId(), now);
                case SPLIT -> clustering.split(c.getIdentity(), c.getTraces(), c.getNewIdentity(), c.getRequestId(), now);
                case REJECT -> clustering.reject(c.getIdentity(), c.getTraces(), c.getRequestId(), now);
                case FORGET -> clustering.forget(c.getTraces(), c.getRequestId(), now);
            };
            if (!applied) {
                LOG.info("Identity command {} {} on {} changed nothing", c.getRequestId(), c.getAction(), c.getIdentity());
                drops.count("identity_command_unknown");
            }
        }
        for (Map.Entry<String, IdentityState> e : clustering.drainChanges().entrySet()) {
            context.forward(new Record<>(e.getKey(), e.getValue() == null ? null : (SpecificRecord) toRecord(e.getValue()),
                    record.timestamp()), AggregatorTopology.IDENTITIES_SINK);
        }
    }

    private Identity toRecord(IdentityState s) {
        List<IdentityTrace> traces = new ArrayList<>(s.traces().size());
        for (String key : s.traces()) {
            TraceState t = clustering.traceOf(key);
            if (t != null) {
                traces.add(IdentityTrace.newBuilder().setJobId(t.jobId()).setTraceId(t.traceId())
                        .setFaceCount(t.faceCount()).setSimilarity(t.similarity()).build());
            }
        }
        return Identity.newBuilder().setIdentityUuid(s.uuid()).setName(s.name()).setTraces(traces)
                .setFaceCount(s.faceCount()).setModel(s.model() == null ? FaceTraceProcessor.MODEL : s.model())
                .setUpdatedMs(s.updatedMs()).setLastRequest(s.lastRequest()).build();
    }
}
