package io.argus.schemas.topics;

import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.argus.schemas.avro.FaceEvent;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.Identity;
import io.argus.schemas.avro.IdentityInput;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.JobControl;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.PlateEvent;
import io.argus.schemas.avro.Segment;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackSummary;
import io.argus.schemas.avro.TrafficCount;
import io.argus.schemas.avro.VframeEvent;
import io.argus.schemas.registry.SchemaRegistry;
import io.argus.schemas.serde.ConfluentAvroSerde;

/**
 * The typed registry of Argus topics: the only place a topic name or serde is spelled.
 * Job topics are keyed by job id, so a job's records stay ordered in one partition; extraction
 * topics by request id, except the compacted index argus.extracted (one key per stored item).
 * argus.analyzer-frames is the one job topic whose records are spread: each FRAME event is also
 * written there, keyed by job id but on partition {@link FramePartitions#of} (job, seq), so that
 * several analyzer instances share the frames of one job.
 *
 * <pre>
 *   jobs          JobRequest   api-edge  -> ingest
 *   frames        FrameEvent   ingest    -> aggregator, ingest read-back (BEGIN/FRAME/END, the job's log)
 *   analyzer-frames FrameEvent ingest   -> analyzer (FRAME only, spread by (job, seq); same transaction)
 *   frame-results FrameResult  analyzer  -> aggregator, subscribers
 *   segments      Segment      aggregator-> api-edge (hooks), subscribers
 *   op-results    OpResult     aggregator-> api-edge
 *   vframes       VframeEvent  aggregator-> subscribers (BEGIN, CUT per kept frame, END)
 *   tracks        TrackFrame   aggregator-> subscribers, recount (jobs with params.tracking: tracks per frame)
 *   track-summaries TrackSummary aggregator -> subscribers (each finished track)
 *   counts        TrafficCount aggregator-> subscribers, traffic API (count events, per-frame, per-interval, totals)
 *   job-status    JobStatus    api-edge (WAITING), aggregator -> api-edge (compacted)
 *   control       JobControl   api-edge (KILL), aggregator (STOP_OP) -> ingest, aggregator
 *   hooks         HookCall     aggregator -> api-edge (hook delivery)
 *   hooks-dlq     HookCall     api-edge: calls that gave up after their retries
 *   extractions   ExtractionRequest  api-edge (POST /frame, /flow) -> ingest
 *   flow-pairs    FlowPair           ingest -> flow workers
 *   extracted     ExtractedItem      ingest (frames), flow workers (flows) -> api-edge index (compacted)
 *   extraction-status ExtractionStatus  api-edge (WAITING), ingest -> api-edge (compacted)
 *   files         FileInfo     api-edge (media API uploads, deletes) -> api-edge file view (compacted, key file_uuid)
 *   plates        PlateEvent   aggregator (a vehicle track's voted plate) -> plate search (compacted, key job/track)
 *   identity-log  IdentityInput aggregator (face traces: ended, and live ones while on screen), api-edge (identity commands) -> identity stage (1 partition)
 *   identities    Identity     identity stage -> api-edge (compacted, key identity uuid)
 *   faces         FaceEvent    aggregator (a face of a face trace, with its embedding) -> face search (compacted, key job/trace/seq)
 * </pre>
 */
public final class Topics {

    /** Default prefix of every topic name. */
    public static final String DEFAULT_PREFIX = "argus.";

    private final Topic<String, JobRequest> jobs;
    private final Topic<String, FrameEvent> frames;
    private final Topic<String, FrameEvent> analyzerFrames;
    private final Topic<String, FrameResult> frameResults;
    private final Topic<String, Segment> segments;
    private final Topic<String, OpResult> opResults;
    private final Topic<String, VframeEvent> vframes;
    private final Topic<String, TrackFrame> tracks;
    private final Topic<String, TrackSummary> trackSummaries;
    private final Topic<String, TrafficCount> counts;
    private final Topic<String, JobStatus> jobStatus;
    private final Topic<String, JobControl> control;
    private final Topic<String, HookCall> hooks;
    private final Topic<String, HookCall> hooksDlq;
    private final Topic<String, ExtractionRequest> extractions;
    private final Topic<String, FlowPair> flowPairs;
    private final Topic<String, ExtractedItem> extracted;
    private final Topic<String, ExtractionStatus> extractionStatus;
    private final Topic<String, FileInfo> files;
    private final Topic<String, PlateEvent> plates;
    private final Topic<String, FaceEvent> faces;
    private final Topic<String, IdentityInput> identityLog;
    private final Topic<String, Identity> identities;

    /**
     * @param registry schema registry used by every value serde
     * @param prefix   prefix of every topic name, e.g. {@code argus.}
     */
    public Topics(SchemaRegistry registry, String prefix) {
        Map<String, String> deleteAfterWeek = Map.of("cleanup.policy", "delete", "retention.ms", "604800000");
        Map<String, String> large = Map.of("cleanup.policy", "delete", "retention.ms", "604800000",
                "max.message.bytes", "16777216", "compression.type", "zstd");
        this.jobs = topic(prefix + "jobs", registry, JobRequest.class, deleteAfterWeek);
        this.frames = topic(prefix + "frames", registry, FrameEvent.class, deleteAfterWeek);
        this.analyzerFrames = topic(prefix + "analyzer-frames", registry, FrameEvent.class, deleteAfterWeek);
        this.frameResults = topic(prefix + "frame-results", registry, FrameResult.class, deleteAfterWeek);
        this.segments = topic(prefix + "segments", registry, Segment.class, large);
        this.opResults = topic(prefix + "op-results", registry, OpResult.class, large);
        this.vframes = topic(prefix + "vframes", registry, VframeEvent.class, large);
        this.tracks = topic(prefix + "tracks", registry, TrackFrame.class, large);
        this.trackSummaries = topic(prefix + "track-summaries", registry, TrackSummary.class, large);
        this.counts = topic(prefix + "counts", registry, TrafficCount.class, deleteAfterWeek);
        this.jobStatus = topic(prefix + "job-status", registry, JobStatus.class, Map.of("cleanup.policy", "compact"));
        this.control = topic(prefix + "control", registry, JobControl.class, deleteAfterWeek);
        this.hooks = topic(prefix + "hooks", registry, HookCall.class, large);
        this.hooksDlq = topic(prefix + "hooks-dlq", registry, HookCall.class, Map.of("cleanup.policy", "delete",
                "retention.ms", "2592000000", "max.message.bytes", "16777216", "compression.type", "zstd"));
        this.extractions = topic(prefix + "extractions", registry, ExtractionRequest.class, deleteAfterWeek);
        this.flowPairs = topic(prefix + "flow-pairs", registry, FlowPair.class, deleteAfterWeek);
        this.extracted = topic(prefix + "extracted", registry, ExtractedItem.class, Map.of("cleanup.policy", "compact"));
        this.extractionStatus = topic(prefix + "extraction-status", registry, ExtractionStatus.class,
                Map.of("cleanup.policy", "compact"));
        this.files = topic(prefix + "files", registry, FileInfo.class, Map.of("cleanup.policy", "compact"));
        this.plates = topic(prefix + "plates", registry, PlateEvent.class, Map.of("cleanup.policy", "compact"));
        this.faces = topic(prefix + "faces", registry, FaceEvent.class, Map.of("cleanup.policy", "compact",
                "max.message.bytes", "16777216", "compression.type", "zstd"));
        this.identityLog = topic(prefix + "identity-log", registry, IdentityInput.class, Map.of("cleanup.policy", "delete",
                "retention.ms", "-1", "max.message.bytes", "16777216", "compression.type", "zstd"));
        this.identities = topic(prefix + "identities", registry, Identity.class, Map.of("cleanup.policy", "compact",
                "max.message.bytes", "16777216"));
    }

    private static <V extends SpecificRecord> Topic<String, V> topic(String name, SchemaRegistry registry,
                                                                    Class<V> type, Map<String, String> configs) {
        Serde<V> serde = new ConfluentAvroSerde<>(registry, type);
        return new Topic<>(name, Serdes.String(), serde, configs);
    }

    /** @return job requests, written by api-edge */
    public Topic<String, JobRequest> jobs() {
        return jobs;
    }

    /**
     * @return frame events with BEGIN/END markers, written by ingest: a job's ordered log (one
     *         partition per job), read by the aggregator and by ingest when a job resumes
     */
    public Topic<String, FrameEvent> frames() {
        return frames;
    }

    /**
     * @return the FRAME events again, written by ingest in the same transaction as on
     *         {@link #frames()}, keyed by job id on partition {@link FramePartitions#of}: the
     *         analyzer consumer group's input, so that analyzer instances share one job's frames
     */
    public Topic<String, FrameEvent> analyzerFrames() {
        return analyzerFrames;
    }

    /** @return per-frame op results, written by analyzer; a public interface */
    public Topic<String, FrameResult> frameResults() {
        return frameResults;
    }

    /** @return segments as they close, written by aggregator */
    public Topic<String, Segment> segments() {
        return segments;
    }

    /** @return final op results, written by aggregator */
    public Topic<String, OpResult> opResults() {
        return opResults;
    }

    /**
     * @return frame-cutting events (spec Argus-Vframe: BEGIN, one CUT per kept frame, END), written by
     *         the aggregator; kept like the segments topic
     */
    public Topic<String, VframeEvent> vframes() {
        return vframes;
    }

    /**
     * @return the tracks of jobs with {@code params.tracking}, one record per processed frame and an
     *         end record, written by the aggregator; kept like the segments topic so that counts can be
     *         recomputed for other lines
     */
    public Topic<String, TrackFrame> tracks() {
        return tracks;
    }

    /** @return finished tracks (first/last seen, path, class votes), written by the aggregator */
    public Topic<String, TrackSummary> trackSummaries() {
        return trackSummaries;
    }

    /** @return count events, per-frame counts, per-interval counts and totals, written by the aggregator */
    public Topic<String, TrafficCount> counts() {
        return counts;
    }

    /** @return job status changes, compacted */
    public Topic<String, JobStatus> jobStatus() {
        return jobStatus;
    }

    /** @return job control commands (KILL, STOP_OP), read by ingest and the aggregator */
    public Topic<String, JobControl> control() {
        return control;
    }

    /** @return callbacks to deliver, written by the aggregator, delivered by api-edge */
    public Topic<String, HookCall> hooks() {
        return hooks;
    }

    /** @return callbacks that gave up after their retries (dead letters), kept 30 days */
    public Topic<String, HookCall> hooksDlq() {
        return hooksDlq;
    }

    /** @return frame and flow extraction requests, written by api-edge */
    public Topic<String, ExtractionRequest> extractions() {
        return extractions;
    }

    /** @return frame pairs for the flow workers, written by ingest */
    public Topic<String, FlowPair> flowPairs() {
        return flowPairs;
    }

    /** @return the index of stored frames and flows (compacted; null values delete) */
    public Topic<String, ExtractedItem> extracted() {
        return extracted;
    }

    /** @return extraction request states (compacted) */
    public Topic<String, ExtractionStatus> extractionStatus() {
        return extractionStatus;
    }

    /**
     * @return the files of the media API (compacted, key file_uuid; a null value deletes): the
     *         source of truth of the edge's file view
     */
    public Topic<String, FileInfo> files() {
        return files;
    }

    /**
     * @return one licence plate per vehicle track (op {@code plate} tracked), compacted, key
     *         {@code <job_id>/<track_id>}: the source the plate search index is rebuilt from
     */
    public Topic<String, PlateEvent> plates() {
        return plates;
    }

    /**
     * @return the faces of face traces with their embeddings, written by the aggregator's face
     *         tracer: the face search index and the identities are rebuilt from it
     */
    public Topic<String, FaceEvent> faces() {
        return faces;
    }

    /**
     * @return the identity stage's input, one ordered log of face traces (ended, and live ones while on screen) and identity commands;
     *         kept (retention -1): the identities are rebuilt from it. Every record has one key
     *         ({@link #IDENTITY_LOG_KEY}), so all are in one partition, in one order
     */
    public Topic<String, IdentityInput> identityLog() {
        return identityLog;
    }

    /** @return identities (people) with their traces, written by the identity stage */
    public Topic<String, Identity> identities() {
        return identities;
    }

    /** Key of every {@link #identityLog()} record: one key, one partition, one order. */
    public static final String IDENTITY_LOG_KEY = "identities";

    /** @return every topic, for creation */
    public List<Topic<String, ?>> all() {
        return List.of(jobs, frames, analyzerFrames, frameResults, segments, opResults, vframes, tracks, trackSummaries,
                counts, jobStatus, control, hooks, hooksDlq,
                extractions, flowPairs, extracted, extractionStatus, files, plates, faces, identityLog, identities);
    }
}
