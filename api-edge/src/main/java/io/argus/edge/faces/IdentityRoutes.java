package io.argus.edge.faces;

import static io.argus.edge.http.Replies.send;
import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.files.FileAccess;
import io.argus.edge.files.FileView;
import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.security.Principal;
import io.argus.edge.submit.AckedProducer;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.Identity;
import io.argus.schemas.avro.IdentityAction;
import io.argus.schemas.avro.IdentityCommand;
import io.argus.schemas.avro.IdentityInput;
import io.argus.schemas.avro.IdentityTrace;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Identities: people, each a group of face traces (the aggregator's identity stage clusters them,
 * README "Faces"), read from {@link IdentityView}; and the users' changes, written as commands to
 * {@code argus.identity-log} and applied by that stage in log order.
 * <ul>
 *   <li>{@code GET /api/v1/file/{file_uuid}/identities}: the identities seen in a file, with their
 *       traces there, and the file's unassigned traces;</li>
 *   <li>{@code GET /api/v1/file/{file_uuid}/identities/{a}/co-occur-with/{b}} (media-api.html): the
 *       first analysed frame where both appear, how many analysed frames show both, and each one's
 *       representative face there; 404 when either is not in the file or they never co-occur;</li>
 *   <li>{@code GET /api/v1/identities}, {@code GET /api/v1/identities/{uuid}}: across files;</li>
 *   <li>{@code PATCH /api/v1/identities/{uuid}} {@code {"name": "…"}} (null clears it);</li>
 *   <li>{@code POST /api/v1/identities/{uuid}/merge} {@code {"identities": ["uuid", …]}}: their
 *       traces join this one, they are removed;</li>
 *   <li>{@code POST /api/v1/identities/{uuid}/split} {@code {"traces": [{"file_uuid", "trace_id"}]}}:
 *       those traces leave for a new identity (201);</li>
 *   <li>{@code POST /api/v1/identities/{uuid}/not-this-person}, same body: those traces leave and
 *       never join this identity again (they join another, or stay unassigned).</li>
 * </ul>
 * Access: a trace is visible to an admin, else when its job's file is readable
 * ({@link FileAccess#canRead}); an identity is visible when one of its traces is, and a caller
 * sees only its visible traces (and their faces in {@code face_count}). An identity that is not
 * visible answers 404, like an unknown one; a command may name only visible identities and
 * traces. A command answers once the identity stage has applied it (read-your-writes, up to
 * {@value #APPLY_WAIT_S} s; past that 202 with the {@code request_id}).
 */
public final class IdentityRoutes implements Routes {

    /** Longest wait for a command to be applied before answering 202, seconds. */
    static final int APPLY_WAIT_S = 10;
    /** Longest identity name, characters. */
    static final int MAX_NAME = 200;
    /** Most identities or traces one command names. */
    static final int MAX_ITEMS = 1000;

    private final Function<Context, Optional<FileInfo>> find;
    private final FileView files;
    private final FaceView faces;
    private final IdentityView identities;
    private final TraceRoutes traces;
    private final Topics topics;
    private final AckedProducer producer;

    IdentityRoutes(Function<Context, Optional<FileInfo>> find, FileView files, FaceView faces, IdentityView identities,
                   TraceRoutes traces, Topics topics, AckedProducer producer) {
        this.find = find;
        this.files = files;
        this.faces = faces;
        this.identities = identities;
        this.traces = traces;
        this.topics = topics;
        this.producer = producer;
    }

    @Override
    public void register(ApiRoutes api) {
        api.get("/api/v1/file/{file_uuid}/identities", this::ofFile, op -> op.summary("The identities seen in a file")
                .tag("media").pathParam("file_uuid", "32 hex digits")
                .response(200, "{success, file_uuid, identities: [{identity_uuid, name, trace_ids, face_count, "
                        + "first_frame, thumbnail_url}], unassigned_traces}")
                .response(404, "file not found"));
        api.get("/api/v1/file/{file_uuid}/identities/{a}/co-occur-with/{b}", this::coOccur, op -> op
                .summary("Where two identities first appear together").tag("media")
                .pathParam("file_uuid", "32 hex digits").pathParam("a", "identity uuid").pathParam("b", "identity uuid")
                .response(200, "{success, file_uuid, identity_a, identity_b, first_cooccurrence: {frame_number, "
                        + "timestamp_secs, total_cooccurrence_frames, representative_face_a, representative_face_b}}")
                .response(404, "file or identity not found, or they never co-occur"));
        api.get("/api/v1/identities", this::list, op -> op.summary("Identities across files").tag("media")
                .response(200, "{identities: [{identity_uuid, name, face_count, traces: [{file_uuid, job, trace_id, "
                        + "face_count, thumbnail_url}]}]}"));
        api.get("/api/v1/identities/{uuid}", this::get, op -> op.summary("An identity").tag("media")
                .pathParam("uuid", "identity uuid").response(200, "the identity").response(404, "identity not found"));
        api.add(HandlerType.PATCH, "/api/v1/identities/{uuid}", this::rename, op -> op.summary("Name an identity")
                .tag("media").pathParam("uuid", "identity uuid").body("{\"name\": \"...\"} (null clears)", true,
                        "application/json")
                .response(200, "the identity").response(202, "accepted, not applied yet")
                .response(400, "invalid parameters").response(404, "identity not found"));
        api.post("/api/v1/identities/{uuid}/merge", this::merge, op -> op.summary("Merge identities into this one")
                .tag("media").pathParam("uuid", "identity uuid")
                .body("{\"identities\": [\"uuid\", ...]}", true, "application/json")
                .response(200, "the identity").response(202, "accepted, not applied yet")
                .response(400, "invalid parameters").response(404, "identity not found"));
        api.post("/api/v1/identities/{uuid}/split", ctx -> moveTraces(ctx, IdentityAction.SPLIT), op -> op
                .summary("Move traces out of an identity into a new one").tag("media").pathParam("uuid", "identity uuid")
                .body("{\"traces\": [{\"file_uuid\": \"...\", \"trace_id\": 1}]}", true, "application/json")
                .response(201, "the new identity").response(202, "accepted, not applied yet")
                .response(400, "invalid parameters").response(404, "identity or trace not found"));
        api.post("/api/v1/identities/{uuid}/not-this-person", ctx -> moveTraces(ctx, IdentityAction.REJECT), op -> op
                .summary("Traces that are not this person").tag("media").pathParam("uuid", "identity uuid")
                .body("{\"traces\": [{\"file_uuid\": \"...\", \"trace_id\": 1}]}", true, "application/json")
                .response(200, "the identity after (or {identity_uuid, removed: true})")
                .response(202, "accepted, not applied yet").response(400, "invalid parameters")
                .response(404, "identity or trace not found"));
    }

    // --- access ---------------------------------------------------------------------------------

    private boolean visible(Principal who, String jobId) {
        if (who.admin()) {
            return true;
        }
        return files != null && files.ofJob(jobId).filter(f -> FileAccess.canRead(who, f)).isPresent();
    }

    private List<IdentityTrace> visibleTraces(Principal who, Identity id) {
        return id.getTraces().stream().filter(t -> visible(who, t.getJobId())).toList();
    }

    /** @return the identity when the caller may see it; else answers 404 */
    private Optional<Identity> identity(Context ctx, String uuid) {
        Optional<Identity> id = identities.get(uuid).filter(i -> !visibleTraces(Principal.of(ctx), i).isEmpty());
        if (id.isEmpty()) {
            send(ctx, 404, ApiJson.error("identity not found").put("detail", "no identity " + uuid));
        }
        return id;
    }

    private ObjectNode json(Principal who, Identity id) {
        return json(id, visibleTraces(who, id));
    }

    /** @return the identity with these (visible) traces */
    private ObjectNode json(Identity id, List<IdentityTrace> visible) {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("identity_uuid", id.getIdentityUuid());
        o.put("name", id.getName());
        ArrayNode list = o.putArray("traces");
        int facesSeen = 0;
        for (IdentityTrace t : visible) {
            ObjectNode j = list.addObject();
            String file = files == null ? null : files.ofJob(t.getJobId()).map(FileInfo::getFileUuid).orElse(null);
            j.put("file_uuid", file);
            j.put("job", t.getJobId());
            j.put("trace_id", t.getTraceId());
            j.put("face_count", t.getFaceCount());
            j.put("thumbnail_url", file == null ? null : "/api/v1/file/" + file + "/trace/" + t.getTraceId() + "/thumbnail");
            facesSeen += t.getFaceCount();
        }
        o.put("face_count", facesSeen);
        o.put("updated_ms", id.getUpdatedMs());
        return o;
    }

    // --- reads ----------------------------------------------------------------------------------

    private void list(Context ctx) {
        Principal who = Principal.of(ctx);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("identities");
        identities.all().stream()
                .sorted(java.util.Comparator.comparingInt((Identity i) -> -i.getFaceCount())
                        .thenComparing(Identity::getIdentityUuid))
                .forEach(i -> {
                    List<IdentityTrace> visible = visibleTraces(who, i);
                    if (!visible.isEmpty()) {
                        list.add(json(i, visible));
                    }
                });
        send(ctx, 200, out);
    }

    private void get(Context ctx) {
        identity(ctx, ctx.pathParam("uuid")).ifPresent(i -> send(ctx, 200, json(Principal.of(ctx), i)));
    }

    /**
     * @param file a file
     * @param all  its job's traces ({@link FaceView#traces})
     * @param id   an identity
     * @return trace id to faces, of the identity's traces in the file's job
     */
    private static NavigableMap<Long, List<FaceView.Face>> inFile(FileInfo file, Map<Long, List<FaceView.Face>> all,
                                                                 Identity id) {
        NavigableMap<Long, List<FaceView.Face>> out = new TreeMap<>();
        for (IdentityTrace t : id.getTraces()) {
            List<FaceView.Face> fs = all.get(t.getTraceId());
            if (t.getJobId().equals(file.getJobId()) && fs != null && !fs.isEmpty()) {
                out.put(t.getTraceId(), fs);
            }
        }
        return out;
    }

    private void ofFile(Context ctx) {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return;
        }
        FileInfo file = f.get();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("success", true);
        out.put("file_uuid", file.getFileUuid());
        ArrayNode list = out.putArray("identities");
        TreeSet<Long> assigned = new TreeSet<>();
        NavigableMap<Long, List<FaceView.Face>> jobTraces = file.getJobId() == null ? new TreeMap<>()
                : faces.traces(file.getJobId());
        if (file.getJobId() != null) {
            List<ObjectNode> found = new ArrayList<>();
            for (Identity id : identities.all()) {
                NavigableMap<Long, List<FaceView.Face>> mine = inFile(file, jobTraces, id);
                if (mine.isEmpty()) {
                    continue;
                }
                assigned.addAll(mine.keySet());
                ObjectNode o = ApiJson.MAPPER.createObjectNode();
                o.put("identity_uuid", id.getIdentityUuid());
                o.put("name", id.getName());
                ArrayNode ids = o.putArray("trace_ids");
                mine.keySet().forEach(ids::add);
                o.put("face_count", mine.values().stream().mapToInt(List::size).sum());
                long first = mine.values().stream().mapToLong(fs -> fs.get(0).offsetMs()).min().orElse(0);
                o.put("first_frame", TraceRoutes.frameNumber(file, first));
                long biggest = mine.entrySet().stream().max(java.util.Comparator.comparingInt(
                        (Map.Entry<Long, List<FaceView.Face>> e) -> e.getValue().size())).orElseThrow().getKey();
                o.put("thumbnail_url", "/api/v1/file/" + file.getFileUuid() + "/trace/" + biggest + "/thumbnail");
                found.add(o);
            }
            found.sort(java.util.Comparator.comparingLong((ObjectNode o) -> o.get("first_frame").asLong())
                    .thenComparing(o -> o.get("identity_uuid").asText()));
            found.forEach(list::add);
        }
        ArrayNode unassigned = out.putArray("unassigned_traces");
        if (file.getJobId() != null) {
            jobTraces.forEach((trace, fs) -> {
                if (fs.size() >= TraceRoutes.MIN_FACES && !assigned.contains(trace)) {
                    unassigned.add(trace);
                }
            });
        }
        send(ctx, 200, out);
    }

    private void coOccur(Context ctx) throws IOException {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return;
        }
        FileInfo file = f.get();
        Identity[] pair = new Identity[2];
        NavigableMap<Long, List<FaceView.Face>>[] traced = new NavigableMap[2];
        String[] uuids = {ctx.pathParam("a"), ctx.pathParam("b")};
        NavigableMap<Long, List<FaceView.Face>> jobTraces = file.getJobId() == null ? new TreeMap<>()
                : faces.traces(file.getJobId());
        for (int i = 0; i < 2; i++) {
            Optional<Identity> id = identities.get(uuids[i]);
            traced[i] = id.isEmpty() ? new TreeMap<>() : inFile(file, jobTraces, id.get());
            if (traced[i].isEmpty()) {
                send(ctx, 404, ApiJson.error("identity not found").put("detail", "identity " + uuids[i]
                        + " does not appear in file " + file.getFileUuid()));
                return;
            }
            pair[i] = id.get();
        }
        // analysed frames (seq) where each appears, and by which trace
        NavigableMap<Long, Long> a = seqs(traced[0]);
        NavigableMap<Long, Long> b = seqs(traced[1]);
        long firstSeq = -1;
        int total = 0;
        for (Long seq : a.keySet()) {
            if (b.containsKey(seq)) {
                total++;
                if (firstSeq < 0) {
                    firstSeq = seq;
                }
            }
        }
        if (firstSeq < 0) {
            send(ctx, 404, ApiJson.error("never co-occur").put("detail", "the two identities never appear together in file "
                    + file.getFileUuid()));
            return;
        }
        long traceA = a.get(firstSeq);
        long traceB = b.get(firstSeq);
        long seqOfFirst = firstSeq;
        FaceView.Face firstFace = traced[0].get(traceA).stream().filter(x -> x.seq() == seqOfFirst).findFirst()
                .orElseThrow();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("success", true);
        out.put("file_uuid", file.getFileUuid());
        out.putObject("identity_a").put("identity_uuid", pair[0].getIdentityUuid()).put("name", pair[0].getName())
                .put("trace_id", traceA);
        out.putObject("identity_b").put("identity_uuid", pair[1].getIdentityUuid()).put("name", pair[1].getName())
                .put("trace_id", traceB);
        ObjectNode first = out.putObject("first_cooccurrence");
        long frame = TraceRoutes.frameNumber(file, firstFace.offsetMs());
        first.put("frame_number", frame);
        first.put("timestamp_secs", TraceRoutes.seconds(file, frame));
        first.put("total_cooccurrence_frames", total);
        first.set("representative_face_a", representative(file, traceA, traced[0].get(traceA)));
        first.set("representative_face_b", representative(file, traceB, traced[1].get(traceB)));
        send(ctx, 200, out);
    }

    /** seq → trace of an identity's faces (the lowest trace id when two of its traces share a frame). */
    private static NavigableMap<Long, Long> seqs(NavigableMap<Long, List<FaceView.Face>> traced) {
        NavigableMap<Long, Long> out = new TreeMap<>();
        traced.forEach((trace, fs) -> fs.forEach(x -> out.putIfAbsent(x.seq(), trace)));
        return out;
    }

    private ObjectNode representative(FileInfo file, long traceId, List<FaceView.Face> fs) throws IOException {
        ObjectNode r = ApiJson.MAPPER.createObjectNode();
        Optional<RepresentativeFaces.Choice> c = traces.representative(new TraceRoutes.TraceFaces(file, traceId, fs));
        if (c.isPresent()) {
            ObjectNode j = TraceRoutes.faceJson(file, c.get());
            r.put("frame_number", j.get("frame_number").asLong());
            r.set("bbox", j.get("bbox"));
            r.put("confidence", j.get("confidence").asDouble());
        }
        r.put("thumbnail_url", "/api/v1/file/" + file.getFileUuid() + "/trace/" + traceId + "/thumbnail");
        return r;
    }

    // --- commands -------------------------------------------------------------------------------

    private static JsonNode body(Context ctx) {
        try {
            JsonNode b = ApiJson.MAPPER.readTree(ctx.body());
            if (b == null || !b.isObject()) {
                throw badRequest(INVALID_PARAMETERS, "the body must be a JSON object");
            }
            return b;
        } catch (IOException e) {
            throw badRequest(INVALID_PARAMETERS, "the body must be JSON");
        }
    }

    private String submit(IdentityCommand.Builder command) {
        String request = UUID.randomUUID().toString();
        producer.write(topics.identityLog(), Topics.IDENTITY_LOG_KEY,
                IdentityInput.newBuilder().setCommand(command.setRequestId(request).build()).build());
        return request;
    }

    private boolean await(Predicate<IdentityView> applied) {
        try {
            return identities.await(applied, Duration.ofSeconds(APPLY_WAIT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void accepted(Context ctx, String request) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("request_id", request);
        out.put("status", "accepted");
        out.put("detail", "the change is queued and not applied yet; read the identity again shortly");
        send(ctx, 202, out);
    }

    private void rename(Context ctx) {
        String uuid = ctx.pathParam("uuid");
        JsonNode b = body(ctx);
        JsonNode n = b.get("name");
        if (n == null || !(n.isTextual() || n.isNull())) {
            throw badRequest(INVALID_PARAMETERS, "name must be a string or null");
        }
        String name = n.isNull() ? null : n.asText().strip();
        if (name != null && (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl))) {
            throw badRequest(INVALID_PARAMETERS, "name must have 1 to " + MAX_NAME + " characters, none of them control characters");
        }
        if (identity(ctx, uuid).isEmpty()) {
            return;
        }
        String request = submit(IdentityCommand.newBuilder().setAction(IdentityAction.NAME).setIdentity(uuid).setName(name));
        answer(ctx, request, uuid, 200);
    }

    private void answer(Context ctx, String request, String uuid, int status) {
        if (await(v -> v.get(uuid).map(i -> request.equals(i.getLastRequest())).orElse(false))) {
            send(ctx, status, json(Principal.of(ctx), identities.get(uuid).orElseThrow()));
        } else {
            accepted(ctx, request);
        }
    }

    private void merge(Context ctx) {
        String uuid = ctx.pathParam("uuid");
        JsonNode list = body(ctx).get("identities");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_ITEMS) {
            throw badRequest(INVALID_PARAMETERS, "identities must be a list of 1 to " + MAX_ITEMS + " identity uuids");
        }
        List<String> others = new ArrayList<>();
        for (JsonNode o : list) {
            if (!o.isTextual() || o.asText().equals(uuid)) {
                throw badRequest(INVALID_PARAMETERS, "identities must be uuids of other identities");
            }
            others.add(o.asText());
        }
        if (identity(ctx, uuid).isEmpty()) {
            return;
        }
        for (String o : others) {
            if (identity(ctx, o).isEmpty()) {
                return;
            }
        }
        String request = submit(IdentityCommand.newBuilder().setAction(IdentityAction.MERGE).setIdentity(uuid)
                .setOthers(others));
        answer(ctx, request, uuid, 200);
    }

    private void moveTraces(Context ctx, IdentityAction action) {
        String uuid = ctx.pathParam("uuid");
        JsonNode list = body(ctx).get("traces");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_ITEMS) {
            throw badRequest(INVALID_PARAMETERS, "traces must be a list of 1 to " + MAX_ITEMS
                    + " objects {\"file_uuid\": \"...\", \"trace_id\": 1}");
        }
        Optional<Identity> id = identity(ctx, uuid);
        if (id.isEmpty()) {
            return;
        }
        Principal who = Principal.of(ctx);
        List<String> keys = new ArrayList<>();
        for (JsonNode t : list) {
            if (!t.isObject() || !t.path("file_uuid").isTextual() || !t.path("trace_id").canConvertToLong()) {
                throw badRequest(INVALID_PARAMETERS, "each trace must be {\"file_uuid\": \"...\", \"trace_id\": 1}");
            }
            Optional<FileInfo> file = files == null ? Optional.empty() : files.get(t.get("file_uuid").asText())
                    .filter(f -> FileAccess.canRead(who, f));
            long traceId = t.get("trace_id").asLong();
            boolean member = file.isPresent() && file.get().getJobId() != null && id.get().getTraces().stream()
                    .anyMatch(x -> x.getJobId().equals(file.get().getJobId()) && x.getTraceId() == traceId);
            if (!member) {
                send(ctx, 404, ApiJson.error("trace not found").put("detail", "trace " + traceId + " of file "
                        + t.get("file_uuid").asText() + " is not in identity " + uuid));
                return;
            }
            keys.add(file.get().getJobId() + "/" + traceId);
        }
        if (action == IdentityAction.SPLIT) {
            String created = UUID.randomUUID().toString();
            String request = submit(IdentityCommand.newBuilder().setAction(action).setIdentity(uuid).setTraces(keys)
                    .setNewIdentity(created));
            // both records of the split, the new identity and the one left, before answering: a
            // read of either after the answer must show the split
            if (await(v -> v.get(created).map(i -> request.equals(i.getLastRequest())).orElse(false)
                    && v.get(uuid).map(i -> request.equals(i.getLastRequest())).orElse(true))) {
                send(ctx, 201, json(who, identities.get(created).orElseThrow()));
            } else {
                accepted(ctx, request);
            }
            return;
        }
        String request = submit(IdentityCommand.newBuilder().setAction(action).setIdentity(uuid).setTraces(keys));
        boolean applied = await(v -> v.get(uuid).map(i -> request.equals(i.getLastRequest())).orElse(true));
        if (!applied) {
            accepted(ctx, request);
        } else if (identities.get(uuid).isPresent()) {
            send(ctx, 200, json(who, identities.get(uuid).get()));
        } else {
            send(ctx, 200, ApiJson.MAPPER.createObjectNode().put("identity_uuid", uuid).put("removed", true));
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
