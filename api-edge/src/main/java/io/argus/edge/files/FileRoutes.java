package io.argus.edge.files;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

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
 *       open the file" for what is not a video.
 *   <li>{@code GET /api/v1/files}: every file, newest first; {@code GET /api/v1/file/{file_uuid}}:
 *       one; {@code DELETE /api/v1/file/{file_uuid}}: removes the stored file, then writes the
 *       tombstone.
 *   <li>{@code GET /api/v1/file/{file_uuid}/video}: the whole file with HTTP ranges
 *       ({@link RangeResponder}), streamed from the store.
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
 * and {@code /clip} answer {@value #CACHE} (the spec's caching) and an {@code ETag} tied to the file
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
    /** Cache-Control of the media endpoints (media-api.html, "Cache"). */
    static final String CACHE = "public, max-age=86400";
    /** The upload path. */
    static final String FILES = "/api/v1/files";

    /** Default seconds between the frames an upload's analysis job analyses. */
    static final double DEFAULT_ANALYSIS_INTERVAL_S = 1.0;
    /** Most grants one file may have. */
    static final int MAX_GRANTS = 1000;

    private final FilesBackend backend;
    private final FileView view;
    private final Topics topics;
    private final AckedProducer producer;
    private final BiFunction<String, String, JobRequest> submit;
    private final JobView jobs;
    private final UrlSigner signer;

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
        this(backend, view, topics, kafka, submit, jobs, UrlSigner.random());
    }

    /**
     * @param backend store, thumbnails and clips
     * @param view    the file view (started by the caller, which also closes it)
     * @param topics  topic registry ({@link Topics#files()})
     * @param kafka   connection settings to write file records
     * @param submit  validates and submits a job: (video id, request JSON) → request; throws
     *                {@link ApiException} for a bad one
     * @param jobs    the job view (status of a file's analysis)
     * @param signer  signs the URLs of {@code POST /api/v1/file/{file_uuid}/signed-url}; the edge's
     *                {@link io.argus.edge.security.EdgeAuth} must check them with the same secret
     */
    public FileRoutes(FilesBackend backend, FileView view, Topics topics, KafkaSettings kafka,
                      BiFunction<String, String, JobRequest> submit, JobView jobs, UrlSigner signer) {
        this.signer = java.util.Objects.requireNonNull(signer, "signer");
        this.backend = backend;
        this.view = view;
        this.topics = topics;
        this.producer = new AckedProducer(kafka, "argus-api-edge-files", java.time.Duration.ofSeconds(30));
        this.submit = submit;
        this.jobs = jobs;
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
                        + "an analysis job over the file, e.g. detection,face_detect); interval (optional: seconds "
                        + "between analysed frames, default 1; 0 for every frame). Streamed into the store and probed.")
                .body("the form", true, "multipart/form-data")
                .response(201, "the file: file_uuid, name, size_bytes, duration_ms, fps, frame_count, width, height, "
                        + "video_codec, has_audio, audio_codec, created_at")
                .response(400, "invalid parameters, or cannot open the file")
                .response(413, "file too large"));
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
                .description("For <video> and <img> tags. Body {\"path\": \"video\" | \"thumbnail?frame=3\" | "
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
        api.get(file + "/video", this::video, op -> op.summary("The whole file, with HTTP ranges").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .description("media-api.html GET /api/v1/file/:file_uuid/video. Range, If-Range, If-None-Match, HEAD.")
                .response(200, "the file (Content-Type from its extension)", "video/mp4")
                .response(206, "one range", "video/mp4").response(304, "not modified")
                .response(400, "malformed file_uuid").response(404, "file not found")
                .response(416, "range not satisfiable")
                .response(501, "start_frame/end_frame cuts are not implemented (use /clip)"));
        api.get(file + "/thumbnail", this::thumbnail, op -> op.summary("One exact frame as JPEG").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .query("frame", "zero-based frame number (required)")
                .query("x", "crop left edge, pixels (with y, w, h)").query("y", "crop top edge, pixels")
                .query("w", "crop width, pixels").query("h", "crop height, pixels")
                .response(200, "the frame", "image/jpeg").response(304, "not modified")
                .response(400, "invalid parameters").response(404, "file not found, or frame past the end"));
        api.get(file + "/clip", this::clip, op -> op.summary("A frame-exact clip as MPEG-TS").tag("media")
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
        UploadedFile video = FormParts.file(ctx, "video", "a file field 'video'");
        List<String> ops = ops(ctx.formParam("ops"));
        double interval = interval(ctx.formParam("interval"));
        FileInfo info;
        try (InputStream in = video.content()) {
            info = backend.upload(in, video.filename());
        } catch (FilesBackend.UploadRefused e) {
            send(ctx, e.status(), ApiJson.error(e.getMessage()));
            return;
        }
        info = FileInfo.newBuilder(info).setOwner(Principal.of(ctx).name()).build();
        if (!ops.isEmpty()) {
            try {
                JobRequest job = submit.apply("file-" + info.getFileUuid(), jobBody(backend.jobSource(info), ops,
                        interval));
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
        ctx.header("Location", "/api/v1/file/" + info.getFileUuid());
        send(ctx, 201, json(info));
    }

    /** @return the op names of the {@code ops} field (none when absent) */
    static List<String> ops(String field) {
        List<String> out = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return out;
        }
        for (String op : field.split(",")) {
            String o = op.strip();
            if (!o.matches("[A-Za-z0-9_\\-]{1,64}")) {
                throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                        "ops must be comma-separated op names, was '" + field + "'");
            }
            out.add(o);
        }
        return out;
    }

    /** @return the {@code interval} field, seconds ≥ 0 (default {@value #DEFAULT_ANALYSIS_INTERVAL_S}) */
    static double interval(String field) {
        if (field == null || field.isBlank()) {
            return DEFAULT_ANALYSIS_INTERVAL_S;
        }
        try {
            double s = Double.parseDouble(field.strip());
            if (!Double.isFinite(s) || s < 0 || s > 86_400) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                    "interval must be seconds from 0 to 86400, was '" + field + "'");
        }
    }

    /** @return the job request of an upload's analysis: every {@code interval} s (0: every frame) */
    static String jobBody(String uri, List<String> ops, double interval) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("data").put("uri", uri);
        ObjectNode vframe = body.putObject("params").put("async", true).putObject("vframe");
        vframe.put("mode", 0).put("interval", interval);
        ArrayNode list = body.putArray("ops");
        ops.forEach(o -> list.addObject().put("op", o));
        return body.toString();
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
        backend.delete(f.get());
        producer.write(topics.files(), uuid, null);
        view.remove(uuid);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("file_uuid", uuid);
        out.put("deleted", true);
        send(ctx, 200, out);
    }

    /** @return the file of the path's {@code file_uuid}; else answers 400 or 404 and returns empty */
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

    // --- media ----------------------------------------------------------------------------------

    private void video(Context ctx) throws IOException {
        Optional<FileInfo> f = find(ctx);
        if (f.isEmpty()) {
            return;
        }
        if (ctx.queryParam("start_frame") != null || ctx.queryParam("end_frame") != null) {
            send(ctx, 501, ApiJson.error("not implemented").put("detail",
                    "start_frame/end_frame cuts of /video are not implemented; /clip cuts frame-exact"));
            return;
        }
        ctx.header("Cache-Control", cacheControl(ctx));
        RangeResponder.send(ctx, backend.open(f.get()), contentType(f.get().getUri()));
    }

    private void thumbnail(Context ctx) throws IOException {
        Optional<FileInfo> f = find(ctx);
        if (f.isEmpty()) {
            return;
        }
        try {
            long frame = MediaQuery.frame(ctx, f.get());
            FilesBackend.Crop crop = MediaQuery.crop(ctx, f.get());
            String etag = "\"" + f.get().getFileUuid() + "-f" + frame
                    + (crop == null ? "" : "-" + crop.x() + "." + crop.y() + "." + crop.w() + "." + crop.h()) + "\"";
            if (cached(ctx, etag)) {
                return;
            }
            byte[] jpeg = backend.thumbnail(f.get(), frame, crop);
            ctx.status(200);
            ctx.contentType("image/jpeg");
            ctx.result(jpeg);
        } catch (FilesBackend.NoSuchFrame e) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", e.getMessage()));
        }
    }

    private void clip(Context ctx) throws IOException {
        Optional<FileInfo> f = find(ctx);
        if (f.isEmpty()) {
            return;
        }
        FilesBackend.Clip clip;
        try {
            boolean debug = MediaQuery.debug(ctx);
            boolean audio = MediaQuery.audio(ctx);
            long[] range = MediaQuery.clipRange(ctx, f.get());
            clip = new FilesBackend.Clip(range[0], range[1], audio && f.get().getHasAudio(), debug);
        } catch (FilesBackend.NoSuchFrame e) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", e.getMessage()));
            return;
        }
        String etag = "\"" + f.get().getFileUuid() + "-c" + clip.startFrame() + "-" + clip.endFrame()
                + (clip.audio() ? "a" : "") + (clip.debug() ? "d" : "") + "\"";
        if (cached(ctx, etag)) {
            return;
        }
        ctx.status(200);
        ctx.contentType("video/mp2t");
        ctx.header("X-Argus-Frames", clip.startFrame() + "-" + clip.endFrame());
        if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
            return;
        }
        OutputStream out = ctx.res().getOutputStream();
        try {
            backend.clip(f.get(), clip, out);
            out.flush();
        } catch (FilesBackend.NoSuchFrame | IOException e) {
            // the headers are gone (a client that left looks the same): all that can be done is to
            // cut the connection, so that the client does not take the clip for complete
            LOG.warn("Clip {} {}..{} cut short: {}", f.get().getFileUuid(), clip.startFrame(), clip.endFrame(),
                    e.getMessage());
            org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().abort(e);
        }
    }

    /**
     * @param ctx a media request
     * @return {@value #CACHE} on an open edge; {@code private, max-age=86400} for an API key or a JWT
     *         (shared caches must not serve it to others); for a signed URL, {@code public} with a
     *         {@code max-age} no longer than the time left before it expires, seconds
     */
    static String cacheControl(Context ctx) {
        Principal who = Principal.of(ctx);
        return switch (who.source()) {
            case OPEN -> CACHE;
            case SIGNED_URL -> {
                long left;
                try {
                    left = Long.parseLong(ctx.queryParam(UrlSigner.EXPIRES)) - System.currentTimeMillis() / 1000;
                } catch (NumberFormatException e) {
                    left = 0;
                }
                yield "public, max-age=" + Math.max(0, Math.min(86_400, left));
            }
            default -> "private, max-age=86400";
        };
    }

    /** Sets the caching headers; answers 304 and returns true when {@code If-None-Match} names the tag. */
    private static boolean cached(Context ctx, String etag) {
        ctx.header("Cache-Control", cacheControl(ctx));
        ctx.header("ETag", etag);
        String none = ctx.header("If-None-Match");
        if (none != null && (none.strip().equals("*") || java.util.Arrays.stream(none.split(","))
                .map(String::strip).map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(etag::equals))) {
            ctx.status(304);
            return true;
        }
        return false;
    }

    /**
     * @param uri a stored file's URI
     * @return the media type of its extension (media-api.html: "Content-Type based on file extension")
     */
    static String contentType(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        String ext = u.substring(u.lastIndexOf('.') + 1);
        return switch (ext) {
            case "mp4", "m4v" -> "video/mp4";
            case "mov" -> "video/quicktime";
            case "avi" -> "video/x-msvideo";
            case "mkv" -> "video/x-matroska";
            case "webm" -> "video/webm";
            case "ts" -> "video/mp2t";
            case "mpg", "mpeg" -> "video/mpeg";
            default -> "application/octet-stream";
        };
    }

    /** Closes the producer. */
    @Override
    public void close() {
        producer.close();
    }
}
