package io.argus.edge.files;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.http.FormParts;
import io.argus.edge.http.Routes;
import io.argus.edge.media.RangeResponder;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.security.Principal;
import io.argus.edge.security.UrlSigner;
import io.argus.edge.submit.AckedProducer;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

/**
 * The file layer of the media API (media-api.html):
 * <ul>
 *   <li>{@code POST /api/v1/files}: multipart {@code video} streamed into the store and probed;
 *       answers 201 with the file record ({@link #json}); 413 past the upload limit, 400 "cannot
 *       open the file" for what is not a video. By default an analysis job runs detection and
 *       face_detect with tracking over it at 5 frames/s ({@link UploadAnalysis}); {@code ops=none}
 *       starts none.
 *   <li>{@code GET /api/v1/files}: every file, newest first; {@code GET /api/v1/file/{file_uuid}}:
 *       one; {@code DELETE /api/v1/file/{file_uuid}}: removes the stored file, then writes the
 *       tombstone.
 *   <li>{@code GET /api/v1/file/{file_uuid}/video}: the whole file with HTTP ranges
 *       ({@link RangeResponder}), streamed from the store; with {@code start_frame} and
 *       {@code end_frame}, a zero-loss cut ({@link FilesBackend#cut}): MPEG-TS, packets copied from
 *       the keyframe at or before {@code start_frame} to {@code end_frame}, streamed while copied,
 *       what was cut told in {@code X-Argus-Cut-Start-Frame}, {@code X-Argus-Cut-End-Frame},
 *       {@code X-Argus-Cut-Frames} and {@code X-Argus-Keyframe-Aligned: true}.
 *   <li>{@code GET /api/v1/file/{file_uuid}/video/bbox}: the video with the analysis job's boxes,
 *       rendered once and served with ranges ({@link BboxVideos}).
 *   <li>{@code GET /api/v1/file/{file_uuid}/thumbnail?frame=N[&x&y&w&h]}: the exact zero-based frame
 *       as JPEG, optionally cropped ({@link MediaQuery#crop}).
 *   <li>{@code GET /api/v1/file/{file_uuid}/clip}: frames {@code start_frame..end_frame}
 *       (inclusive) or the frames of {@code start_time..end_time} re-encoded as MPEG-TS (H.264 +
 *       AAC), written to the client while they are encoded; {@code mode=debug} draws "CLIP" and the
 *       frame number; {@code audio=off} drops the audio.
 * </ul>
 * Files live in the compacted topic {@code argus.files} (key file_uuid); {@link FileView} is the
 * in-memory view read from it. A {@code file_uuid} that is not 32 hex digits answers 400, an
 * unknown one 404 "file not found". A frame past the video's end answers 404 with the number of
 * frames it has (the spec's 500 there is a bug we do not copy). {@code /video}, {@code /thumbnail}
 * and {@code /clip} answer {@value FileMediaRoutes#CACHE} (the spec's caching) and an {@code ETag} tied to the file
 * (and to the query), and {@code If-None-Match} with it answers 304. That is on an open edge; with
 * credentials a shared cache must not hand one principal's file to another, so a request with an
 * API key or a JWT answers {@code private, max-age=86400}, and a signed URL {@code public} only up
 * to its expiry ({@link #cacheControl}; RFC 9111 section 5.2.2).
 *
 * <p>Access (media-api.html "Scope: file-level"; {@link FileAccess}): an upload is owned by the
 * request's {@link Principal} (recorded in {@code FileInfo.owner}); the list shows, and every
 * {@code /api/v1/file/{file_uuid}…} route answers, only the files the principal may read; any other
 * file answers 404 "file not found" exactly like an unknown one. Delete and grants need the owner or
 * an admin (403 "forbidden" for a principal that may only read the file).
 * <ul>
 *   <li>{@code POST /api/v1/file/{file_uuid}/grants} {@code {"principal": "bob"}}: bob may read the
 *       file; {@code DELETE /api/v1/file/{file_uuid}/grants/{principal}} revokes. Both answer 200
 *       {@code {file_uuid, owner, grants}}. Grants are kept in the file's record
 *       ({@code FileInfo.grants}), rewritten on the compacted {@code argus.files}, so they survive
 *       restarts and reach every edge; two edges changing one file's grants at the same moment
 *       can lose one change (the last record wins).</li>
 *   <li>{@code POST /api/v1/file/{file_uuid}/signed-url} {@code {"path": "thumbnail?frame=3",
 *       "ttl_s": 600}} (or the same as query parameters): 200 {@code {url, expires, expires_at}},
 *       {@code url} a path-and-query signed with {@link UrlSigner} that any client may GET until
 *       {@code expires} (seconds since the epoch). Anyone who may read the file may sign; a signed
 *       URL keeps working until it expires even if the grant that allowed it is revoked.</li>
 * </ul>
 */
public final class FileRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(FileRoutes.class);
    /** The upload path. */
    static final String FILES = "/api/v1/files";

    /** Most grants one file may have. */
    static final int MAX_GRANTS = 1000;

    private final FilesBackend backend;
    private final FileView view;
    private final Topics topics;
    private final AckedProducer producer;
    private final BiFunction<String, String, JobRequest> submit;
    private final JobView jobs;
    private final UrlSigner signer;
    private final Predicate<String> runnable;
    private final BboxVideos bbox;
    private final FileMediaRoutes media;
    private volatile io.argus.edge.jobs.JobDeleter jobDeleter;

    /**
     * @param backend store, thumbnails and clips
     * @param view    the file view (started by the caller, which also closes it)
     * @param topics  topic registry ({@link Topics#files()})
     * @param kafka   connection settings to write file records
     * @param submit  validates and submits a job: (video id, request JSON) → request; throws
     *                {@link ApiException} for a bad one
     * @param jobs    the job view (status of a file's analysis)
     */
    public FileRoutes(FilesBackend backend, FileView view, Topics topics, KafkaSettings kafka,
                      BiFunction<String, String, JobRequest> submit, JobView jobs) {
        this(backend, view, topics, kafka, submit, jobs, UrlSigner.random(), op -> true);
    }

    /**
     * @param backend  store, thumbnails, clips, cuts and renders
     * @param view     the file view (started by the caller, which also closes it)
     * @param topics   topic registry ({@link Topics#files()}, tracks, frame results)
     * @param kafka    connection settings to write file records and read a job's records
     * @param submit   validates and submits a job: (video id, request JSON) → request; throws
     *                 {@link ApiException} for a bad one
     * @param jobs     the job view (status of a file's analysis)
     * @param signer   signs the URLs of {@code POST /api/v1/file/{file_uuid}/signed-url}; the edge's
     *                 {@link io.argus.edge.security.EdgeAuth} must check them with the same secret
     * @param runnable whether an op can run here (its model is installed): the default analysis
     *                 ({@link UploadAnalysis}) leaves out those that cannot
     */
    public FileRoutes(FilesBackend backend, FileView view, Topics topics, KafkaSettings kafka,
                      BiFunction<String, String, JobRequest> submit, JobView jobs, UrlSigner signer,
                      Predicate<String> runnable) {
        this.signer = java.util.Objects.requireNonNull(signer, "signer");
        this.backend = backend;
        this.view = view;
        this.topics = topics;
        this.producer = new AckedProducer(kafka, "argus-api-edge-files", java.time.Duration.ofSeconds(30));
        this.submit = submit;
        this.jobs = jobs;
        this.runnable = runnable;
        this.bbox = new BboxVideos(backend, view, jobs, topics, kafka);
        this.media = new FileMediaRoutes(backend, bbox, this::find);
    }

    /**
     * Makes {@code DELETE} of a file delete its analysis job too (its stored frames, what the
     * deleter's erasers keep of it: faces, traces, plates; and its status; a job still running
     * answers 409 and nothing is deleted).
     *
     * @param deleter the edge's job deleter
     */
    public void deleteJobsWith(io.argus.edge.jobs.JobDeleter deleter) {
        this.jobDeleter = deleter;
    }


    /** @return the upload path, with the backend's upload limit plus 1 MiB for the form's framing */
    @Override
    public Map<String, Long> bodyLimits() {
        return Map.of(FILES, backend.maxUploadBytes() + (1 << 20));
    }

    @Override
    public void register(ApiRoutes api) {
        String file = "/api/v1/file/{file_uuid}";
        api.post(FILES, this::upload, op -> op.summary("Upload a video file").tag("media")
                .description("media-api.html files. Multipart: video (file); ops (optional: comma-separated ops of "
                        + "the analysis job over the file; absent or empty: the default analysis, detection and "
                        + "face_embed (face_detect where the embedding model is missing; those this deployment can run) with tracking; none: no job); interval "
                        + "(optional: seconds between analysed frames, default 0.2, i.e. 5 frames/s; 0 for every "
                        + "frame). A job running detection (else face_detect) tracks it (params.tracking), which "
                        + "gives /video/bbox its track ids and in-between boxes. Streamed into the store and probed. "
                        + "Or register a video by URI (application/json): {\"uri\": an http(s) URL or a local path, "
                        + "\"ops\", \"interval\"}: copied into the store as an upload is, under the rules of a job's "
                        + "data.uri (the URL allow-list, every redirect checked; local files inside the file roots; "
                        + "no live streams).")
                .body("the form, or the registration", true, "multipart/form-data", "application/json")
                .response(201, "the file: file_uuid, name, size_bytes, duration_ms, fps, frame_count, width, height, "
                        + "video_codec, has_audio, audio_codec, created_at")
                .response(400, "invalid parameters, or cannot open the file, or a live stream's URI")
                .response(413, "file too large")
                .response(424, "cannot find the video: the URI is refused, missing, or answers an error"));
        api.get(FILES, this::list, op -> op.summary("Every file, newest first").tag("media")
                .response(200, "{files: [...], count}"));
        api.get(file, this::get, op -> op.summary("A file's metadata").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .response(200, "the file, with analysis {job, status} when a job was started on upload")
                .response(400, "malformed file_uuid").response(404, "file not found"));
        api.delete(file, this::delete, op -> op.summary("Delete a file").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .description("The file's owner or an admin.")
                .response(200, "{file_uuid, deleted: true}").response(400, "malformed file_uuid")
                .response(403, "the caller may read the file but is neither its owner nor an admin")
                .response(404, "file not found (also a file the caller may not read)"));
        api.post(file + "/grants", this::grant, op -> op.summary("Let a principal read a file").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .description("The file's owner or an admin. Body {\"principal\": \"<name>\"}: an API key's name= or a "
                        + "JWT's sub (1-128 characters of A-Z a-z 0-9 . _ @ : | + -). Kept in the file's record on "
                        + "argus.files.")
                .jsonBody("{\"principal\": \"bob\"}")
                .response(200, "{file_uuid, owner, grants: [...]}")
                .response(400, "malformed file_uuid, body or principal")
                .response(403, "the caller may read the file but is neither its owner nor an admin")
                .response(404, "file not found (also a file the caller may not read)"));
        api.delete(file + "/grants/{principal}", this::revoke, op -> op.summary("Revoke a principal's grant")
                .tag("media").pathParam("file_uuid", "32 hex digits").pathParam("principal", "the granted principal")
                .description("The file's owner or an admin. Revoking a principal without a grant changes nothing.")
                .response(200, "{file_uuid, owner, grants: [...]}")
                .response(400, "malformed file_uuid or principal")
                .response(403, "the caller may read the file but is neither its owner nor an admin")
                .response(404, "file not found (also a file the caller may not read)"));
        api.post(file + "/signed-url", this::signedUrl, op -> op.summary("A URL that reads the file without "
                + "credentials until it expires").tag("media").pathParam("file_uuid", "32 hex digits")
                .description("For <video> and <img> tags. Body {\"path\": \"video\" | \"video/bbox\" | \"thumbnail?frame=3\" | "
                        + "\"clip?start_frame=0&end_frame=9\", \"ttl_s\": 1.." + AccessForms.MAX_TTL_S + " (default "
                        + AccessForms.DEFAULT_TTL_S + ")}, or path and ttl_s as query parameters. The URL adds expires "
                        + "(epoch s) and signature (hex HMAC-SHA256 of GET, path, query and expires) and is valid for "
                        + "that GET only; tampered or expired answers 401.")
                .query("path", "the route and its query, when there is no body")
                .query("ttl_s", "lifetime in seconds, when there is no body")
                .body("{\"path\": \"thumbnail?frame=3\", \"ttl_s\": 600}", false, "application/json")
                .response(200, "{url, expires, expires_at}")
                .response(400, "malformed file_uuid, path or ttl_s")
                .response(404, "file not found (also a file the caller may not read)"));
        api.get(file + "/video", media::video, op -> op.summary("The whole file with HTTP ranges, or a zero-loss cut")
                .tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .description("media-api.html GET /api/v1/file/:file_uuid/video. Without start_frame/end_frame: the "
                        + "stored file; Range, If-Range, If-None-Match, HEAD. With both: a zero-loss cut (-c copy, "
                        + "no re-encoding) as MPEG-TS streamed while copied: it starts at the keyframe at or before "
                        + "start_frame and ends at end_frame (later only for a B-frame stream whose last B-frames "
                        + "need a later reference); headers X-Argus-Cut-Start-Frame, X-Argus-Cut-End-Frame, "
                        + "X-Argus-Cut-Frames, X-Argus-Keyframe-Aligned: true, X-Argus-Video-Codec (the source's), "
                        + "X-Argus-Audio (copied or none). No ranges on cuts; mode=debug is refused (use /clip).")
                .query("start_frame", "first frame of a cut, zero-based (with end_frame)")
                .query("end_frame", "last frame of a cut, inclusive")
                .query("audio", "on or off (cuts)").query("mode", "normal (cuts cannot draw: debug is a 400)")
                .response(200, "the file (Content-Type from its extension), or the cut as video/mp2t", "video/mp4")
                .response(206, "one range", "video/mp4").response(304, "not modified")
                .response(400, "malformed file_uuid, or invalid cut parameters")
                .response(404, "file not found, or a cut frame past the end (with the frame count)")
                .response(416, "range not satisfiable"));
        api.get(file + "/video/bbox", media::videoBbox, op -> op.summary("The video with its stored boxes drawn")
                .tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .description("media-api.html GET /api/v1/file/:file_uuid/video/bbox. Every stored box of the "
                        + "file's analysis job (tracks of the tracked op with class, track id and score; the other "
                        + "ops' detections with class and score) drawn in the 5x7 bitmap font; frames between "
                        + "analysed frames get each track's box interpolated, so boxes do not blink. Rendered once "
                        + "as H.264 MP4 when the job is done, kept in the store and served with ranges (Range, "
                        + "If-Range, If-None-Match, HEAD); 202 with Retry-After while the job runs or the video "
                        + "renders. mode=debug also draws the tracked op's raw detections in grey and a caption "
                        + "with each analysed frame's time and boxes.")
                .query("mode", "normal or debug").query("audio", "on or off")
                .response(200, "H.264 MP4", "video/mp4").response(206, "one range", "video/mp4")
                .response(202, "{file_uuid, job, status: analysing|rendering, detail}; ask again after Retry-After")
                .response(304, "not modified").response(400, "malformed file_uuid, or a bad mode or audio")
                .response(404, "file not found")
                .response(409, "no analysis (uploaded with ops=none), or the analysis failed or was cancelled")
                .response(416, "range not satisfiable").response(500, "cannot render"));
        api.get(file + "/thumbnail", media::thumbnail, op -> op.summary("One exact frame as JPEG").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .query("frame", "zero-based frame number (required)")
                .query("x", "crop left edge, pixels (with y, w, h)").query("y", "crop top edge, pixels")
                .query("w", "crop width, pixels").query("h", "crop height, pixels")
                .response(200, "the frame", "image/jpeg").response(304, "not modified")
                .response(400, "invalid parameters").response(404, "file not found, or frame past the end"));
        api.get(file + "/clip", media::clip, op -> op.summary("A frame-exact clip as MPEG-TS").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .query("start_frame", "first frame, zero-based").query("end_frame", "last frame, inclusive")
                .query("start_time", "start, seconds (without frames)").query("end_time", "end, seconds")
                .query("fps", "frames/s for time to frame (default: the file's)")
                .query("mode", "normal or debug (\"CLIP\" and the frame number drawn)")
                .query("audio", "on or off")
                .response(200, "H.264 + AAC in MPEG-TS, chunked", "video/mp2t").response(304, "not modified")
                .response(400, "invalid parameters").response(404, "file not found, or frame past the end"));
    }

    // --- files ----------------------------------------------------------------------------------

    private void upload(Context ctx) throws IOException {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        FileRegistration byUri = type.startsWith("application/json") ? FileRegistration.parse(ctx.bodyAsBytes()) : null;
        UploadedFile video = byUri != null ? null : FormParts.file(ctx, "video", "a file field 'video'");
        String field = byUri != null ? byUri.ops() : ctx.formParam("ops");
        List<String> ops = UploadAnalysis.ops(field, runnable);
        double interval = UploadAnalysis.interval(byUri != null ? byUri.interval() : ctx.formParam("interval"));
        FileInfo info;
        try {
            if (byUri != null) {
                info = backend.register(byUri.uri());
            } else {
                try (InputStream in = video.content()) {
                    info = backend.upload(in, video.filename());
                }
            }
        } catch (FilesBackend.UploadRefused e) {
            ObjectNode error = ApiJson.error(e.getMessage());
            if (e.detail() != null) {
                error.put("detail", e.detail());
            }
            send(ctx, e.status(), error);
            return;
        }
        info = FileInfo.newBuilder(info).setOwner(Principal.of(ctx).name()).build();
        if (!ops.isEmpty()) {
            try {
                JobRequest job = submit.apply("file-" + info.getFileUuid(),
                        UploadAnalysis.jobBody(backend.jobSource(info), ops, interval));
                info = FileInfo.newBuilder(info).setJobId(job.getJobId()).build();
            } catch (RuntimeException e) { // a bad op, or Kafka: the file is not kept
                backend.delete(info);
                throw e;
            }
        }
        try {
            producer.write(topics.files(), info.getFileUuid(), info);
        } catch (RuntimeException e) {
            LOG.warn("File {}: cannot record it in {}; removing the stored file", info.getFileUuid(),
                    topics.files().name(), e);
            backend.delete(info);
            send(ctx, 503, ApiJson.error("service unavailable").put("detail", "cannot record the file: "
                    + e.getMessage()));
            return;
        }
        view.put(info);
        if (UploadAnalysis.tracked(ops) != null) {
            bbox.renderWhenDone(info);
        }
        ctx.header("Location", "/api/v1/file/" + info.getFileUuid());
        ObjectNode out = json(info);
        if (ops.isEmpty() && (field == null || field.isBlank())) {
            out.putObject("analysis").put("status", "NONE").put("detail", "the default analysis ("
                    + UploadAnalysis.DEFAULT_OPS + ") cannot run here: its models are not installed");
        }
        send(ctx, 201, out);
    }

    private void list(Context ctx) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode files = out.putArray("files");
        Principal who = Principal.of(ctx);
        view.all().stream().filter(f -> FileAccess.canRead(who, f)).forEach(f -> files.add(withAnalysis(f, who)));
        out.put("count", files.size());
        send(ctx, 200, out);
    }

    private void get(Context ctx) {
        find(ctx).ifPresent(f -> send(ctx, 200, withAnalysis(f, Principal.of(ctx))));
    }

    private void delete(Context ctx) throws IOException {
        Optional<FileInfo> f = find(ctx);
        if (f.isEmpty() || !manages(ctx, f.get(), "delete it")) {
            return;
        }
        String uuid = f.get().getFileUuid();
        String job = f.get().getJobId();
        int frames = 0;
        if (job != null && jobDeleter != null) { // the file's analysis goes with it: frames, results' status
            io.argus.edge.jobs.JobDeleter.Outcome outcome;
            try {
                outcome = jobDeleter.delete(job);
            } catch (io.argus.edge.submit.JobSinkException e) { // Kafka: the tombstones, or an eraser's
                send(ctx, 503, ApiJson.error("service unavailable").put("detail", "the file's job could not be "
                        + "deleted, retry: " + e.getMessage()));
                return;
            }
            if (outcome instanceof io.argus.edge.jobs.JobDeleter.NotFound) {
                try { // its status is gone already: what its erasers keep (faces, plates) goes now
                    jobDeleter.erase(job);
                } catch (io.argus.edge.submit.JobSinkException e) {
                    send(ctx, 503, ApiJson.error("service unavailable").put("detail", "what was derived from the "
                            + "file could not be deleted, retry: " + e.getMessage()));
                    return;
                }
            }
            if (outcome instanceof io.argus.edge.jobs.JobDeleter.Running r) {
                ObjectNode out = ApiJson.error("job not ended");
                out.put("detail", "the file's analysis job " + job + " is " + r.status().getStatus()
                        + "; kill it first (POST /v1/jobs/video/" + job + " with op=kill) or wait for it to end");
                out.put("job", job);
                send(ctx, 409, out);
                return;
            }
            if (outcome instanceof io.argus.edge.jobs.JobDeleter.Deleted d) {
                frames = d.frames();
            }
        }
        backend.delete(f.get());
        producer.write(topics.files(), uuid, null);
        view.remove(uuid);
        bbox.forget(uuid);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("file_uuid", uuid);
        out.put("deleted", true);
        if (job != null) {
            out.put("job", job);
            out.put("job_frames_deleted", frames);
        }
        send(ctx, 200, out);
    }

    /** @return the file of the path's {@code file_uuid}; else answers 400 or 404 and returns empty */
    /**
     * @param ctx a request with a {@code file_uuid} path parameter
     * @return the file when the caller may read it; else empty, with 400 (not 32 hex digits) or 404
     *         answered (also for a file the caller may not read)
     */
    public Optional<FileInfo> readable(Context ctx) {
        return find(ctx);
    }

    private Optional<FileInfo> find(Context ctx) {
        String uuid = uuid(ctx);
        // a file the caller may not read is answered exactly like an unknown one
        Optional<FileInfo> f = view.get(uuid).filter(i -> FileAccess.canRead(Principal.of(ctx), i));
        if (f.isEmpty()) {
            send(ctx, 404, ApiJson.error("file not found").put("detail", "no file " + uuid));
        }
        return f;
    }

    /** @return true when the caller may manage the file; else answers 403 */
    private static boolean manages(Context ctx, FileInfo f, String what) {
        if (FileAccess.canManage(Principal.of(ctx), f)) {
            return true;
        }
        send(ctx, 403, ApiJson.error("forbidden").put("detail", "only the file's owner or an admin may " + what));
        return false;
    }

    // --- access ---------------------------------------------------------------------------------

    private void grant(Context ctx) {
        String uuid = uuid(ctx);
        String grantee = AccessForms.grantee(ctx.bodyAsBytes());
        changeGrants(ctx, uuid, grantee, true);
    }

    private void revoke(Context ctx) {
        String uuid = uuid(ctx);
        String grantee = AccessForms.principal(ctx.pathParam("principal"));
        changeGrants(ctx, uuid, grantee, false);
    }

    /** Adds or removes a grant and rewrites the file's record; one change at a time in this edge. */
    private synchronized void changeGrants(Context ctx, String uuid, String grantee, boolean add) {
        Optional<FileInfo> f = find(ctx);
        if (f.isEmpty() || !manages(ctx, f.get(), "change its grants")) {
            return;
        }
        List<String> grants = new ArrayList<>(f.get().getGrants());
        boolean changed = add ? !grants.contains(grantee) && grants.add(grantee) : grants.remove(grantee);
        if (add && changed && grants.size() > MAX_GRANTS) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "a file has at most " + MAX_GRANTS
                    + " grants");
        }
        FileInfo info = f.get();
        if (changed) {
            info = FileInfo.newBuilder(info).setGrants(grants).build();
            producer.write(topics.files(), uuid, info);
            view.put(info);
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("file_uuid", uuid);
        out.put("owner", info.getOwner());
        ArrayNode list = out.putArray("grants");
        info.getGrants().forEach(list::add);
        send(ctx, 200, out);
    }

    private void signedUrl(Context ctx) {
        String uuid = uuid(ctx);
        AccessForms.Signing s = AccessForms.signing(ctx.bodyAsBytes(), ctx::queryParam);
        if (find(ctx).isEmpty()) {
            return;
        }
        long expires = System.currentTimeMillis() / 1000 + s.ttlS();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("url", signer.sign("/api/v1/file/" + uuid + "/" + s.route(), s.query(), expires));
        out.put("expires", expires);
        out.put("expires_at", ApiJson.time(expires * 1000));
        send(ctx, 200, out);
    }

    /** @return the path's {@code file_uuid}, lower case; 400 when it is not 32 hexadecimal digits */
    private static String uuid(Context ctx) {
        String raw = ctx.pathParam("file_uuid");
        String uuid = raw.toLowerCase(Locale.ROOT);
        if (!uuid.matches("[0-9a-f]{32}")) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                    "file_uuid must be 32 hexadecimal digits, was '" + raw + "'");
        }
        return uuid;
    }

    /**
     * @return the file's JSON with {@code analysis: {job, status}} when a job was started on upload,
     *         and its {@code grants} when the caller may manage it
     */
    private ObjectNode withAnalysis(FileInfo f, Principal who) {
        ObjectNode o = json(f);
        if (FileAccess.canManage(who, f)) {
            ArrayNode grants = o.putArray("grants");
            f.getGrants().forEach(grants::add);
        }
        if (f.getJobId() != null) {
            ObjectNode a = o.putObject("analysis");
            a.put("job", f.getJobId());
            a.put("status", jobs.status(f.getJobId()).map(s -> s.getStatus().name()).orElse("UNKNOWN"));
            a.put("results_url", "/v1/jobs/video/" + f.getJobId());
        }
        return o;
    }

    /**
     * @param f a file
     * @return its JSON: file_uuid, name, size_bytes, duration_ms, fps, frame_count, width, height,
     *         video_codec, has_audio, audio_codec, created_at (ISO-8601), the media URLs, and the
     *         owner (the principal that uploaded it) when recorded
     */
    static ObjectNode json(FileInfo f) {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("file_uuid", f.getFileUuid());
        o.put("name", f.getName());
        o.put("size_bytes", f.getSizeBytes());
        o.put("duration_ms", f.getDurationMs());
        o.put("fps", f.getFps());
        o.put("frame_count", f.getFrameCount());
        o.put("width", f.getWidth());
        o.put("height", f.getHeight());
        o.put("video_codec", f.getVideoCodec());
        o.put("has_audio", f.getHasAudio());
        o.put("audio_codec", f.getAudioCodec());
        o.put("created_at", ApiJson.time(f.getCreatedAt()));
        o.put("video_url", "/api/v1/file/" + f.getFileUuid() + "/video");
        if (f.getOwner() != null) {
            o.put("owner", f.getOwner());
        }
        if (f.getJobId() != null) {
            o.put("job", f.getJobId());
        }
        return o;
    }

    /** Closes the producer. */
    @Override
    public void close() {
        bbox.close();
        producer.close();
    }
}
