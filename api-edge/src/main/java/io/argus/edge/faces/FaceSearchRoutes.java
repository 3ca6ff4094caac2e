package io.argus.edge.faces;

import static io.argus.edge.http.Replies.send;
import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.apache.lucene.search.Query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.files.FileAccess;
import io.argus.edge.files.FileView;
import io.argus.edge.http.FormParts;
import io.argus.edge.http.Replies;
import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.security.Principal;
import io.argus.schemas.avro.FileInfo;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

/**
 * Search by face (traffic-api.md "/face-detect" and "/search-face") over the {@link FaceIndex} this
 * edge keeps from {@code argus.faces}:
 * <ul>
 *   <li>{@code POST /face-detect}, multipart {@code image} (JPEG, PNG, BMP or GIF, at most
 *       {@value #MAX_IMAGE_BYTES} bytes): the photo's largest face (or each face with
 *       {@code ?all=true}) is found and embedded as {@code face_embed} does, then one JSON object
 *       per matching trace, as NDJSON, most similar first: the spec's {@code time} (ms, the matching
 *       face's offset) and {@code similar_face} (a permanent URL of that face's crop), plus
 *       {@code score} (cosine + 1, in [0, 2]), {@code cosine}, {@code file_uuid} (null for a job that
 *       is not a file), {@code job}, {@code trace_id}, {@code seq}, and {@code query_face} (which face
 *       of the photo, 0 = largest). Optional scope {@code ?file_uuid=} or {@code ?job=}. A photo
 *       without a face: 400 {@code "no face"}; not an image: 400 {@code "invalid parameters"}.</li>
 *   <li>{@code POST /search-face} {@code {"face_vector": [...]}} (optional {@code "model"}, default
 *       {@value #DEFAULT_MODEL}): {@code {"results": [{"pic", "time", "score"}]}} with {@code time}
 *       as {@code mm:ss} (the spec's example) and {@code score} = cosine + 1 (the spec's
 *       Elasticsearch {@code cosineSimilarity + 1.0}); a vector of the wrong dimension, empty, or
 *       not numbers: 400.</li>
 *   <li>{@code GET /v1/faces/{job}/{trace}/{seq}.jpg}: a face's crop from its stored frame.</li>
 * </ul>
 * A match is the best face of each trace whose exact cosine with the query is at least
 * {@value #MIN_COSINE}; at most {@value #LIMIT} traces. Results respect file-level access: a caller
 * that is not an admin searches only the faces of the files it may read.
 */
public final class FaceSearchRoutes implements Routes {

    /**
     * Least exact cosine of a match: FaceRes's same-person threshold at a false-accept rate of 1% on
     * the face verification set (BENCHMARKS "Face embeddings": 0.658), rounded.
     */
    static final double MIN_COSINE = 0.65;
    /** Most traces answered. */
    static final int LIMIT = 50;
    /** Faces fetched from the index per query before grouping by trace. */
    static final int CANDIDATES = 500;
    /** Largest photo accepted, bytes. */
    static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;
    /** The model of {@code face_embed} and of a {@code /search-face} query without one. */
    static final String DEFAULT_MODEL = "faceres";

    private final FaceIndex index;
    private final FaceBackend backend;
    private final FaceCrops crops;
    private final FileView files;

    FaceSearchRoutes(FaceIndex index, FaceBackend backend, FaceCrops crops, FileView files) {
        this.index = index;
        this.backend = backend;
        this.crops = crops;
        this.files = files;
    }

    @Override
    public Map<String, Long> bodyLimits() {
        return Map.of("/face-detect", MAX_IMAGE_BYTES + 64 * 1024);
    }

    @Override
    public void register(ApiRoutes api) {
        api.post("/face-detect", this::faceDetect, op -> op.summary("Find a person by a photo of their face").tag("traffic")
                .description("traffic-api.md /face-detect. The photo's largest face (all with all=true) against the "
                        + "indexed faces: the best face of each trace at cosine >= " + MIN_COSINE + ", most similar first.")
                .body("multipart form with a file field 'image'", true, "multipart/form-data")
                .query("all", "true: search with every face of the photo").query("file_uuid", "only this file")
                .query("job", "only this job")
                .response(200, "one JSON object per match (NDJSON): time (ms), similar_face (URL), score (cosine+1), "
                        + "cosine, file_uuid, job, trace_id, seq, query_face", "application/x-ndjson")
                .response(400, "not an image, or no face in it").response(404, "file or job not found"));
        api.post("/search-face", this::searchFace, op -> op.summary("Face search by embedding").tag("traffic")
                .description("traffic-api.md /search-face.")
                .body("{\"face_vector\": [..], \"model\": \"faceres\"}", true, "application/json")
                .response(200, "{results: [{pic (URL), time (mm:ss), score (cosine+1)}]}")
                .response(400, "invalid parameters"));
        api.get("/v1/faces/{job}/{trace}/{seq}.jpg", this::crop, op -> op.summary("A face, cut from its frame")
                .tag("traffic").pathParam("job", "job id").pathParam("trace", "trace id").pathParam("seq", "frame seq")
                .response(200, "JPEG", "image/jpeg").response(404, "no such face, or its frame is gone"));
    }

    private boolean visible(Principal who, String jobId) {
        return who.admin() || (files != null && files.ofJob(jobId).filter(f -> FileAccess.canRead(who, f)).isPresent());
    }

    /** @return the search filter for the caller and scope, null for everything; empty once 404 is answered */
    private Optional<Optional<Query>> scope(Context ctx) {
        Principal who = Principal.of(ctx);
        String fileUuid = ctx.queryParam("file_uuid");
        String job = ctx.queryParam("job");
        if (fileUuid != null && !fileUuid.isBlank()) {
            Optional<FileInfo> f = files == null ? Optional.empty()
                    : files.get(fileUuid.strip()).filter(x -> FileAccess.canRead(who, x) && x.getJobId() != null);
            if (f.isEmpty()) {
                send(ctx, 404, ApiJson.error("file not found").put("detail", "no analysed file " + fileUuid));
                return Optional.empty();
            }
            return Optional.of(Optional.of(FaceIndex.jobsFilter(List.of(f.get().getJobId()))));
        }
        if (job != null && !job.isBlank()) {
            if (!visible(who, job.strip())) {
                send(ctx, 404, ApiJson.error("job not found").put("detail", "no job " + job));
                return Optional.empty();
            }
            return Optional.of(Optional.of(FaceIndex.jobsFilter(List.of(job.strip()))));
        }
        if (who.admin()) {
            return Optional.of(Optional.empty());
        }
        Set<String> jobs = files == null ? Set.of() : files.all().stream()
                .filter(f -> f.getJobId() != null && FileAccess.canRead(who, f)).map(FileInfo::getJobId)
                .collect(Collectors.toSet());
        return Optional.of(Optional.of(FaceIndex.jobsFilter(jobs)));
    }

    /** @return the best match of each trace, most similar first, at most {@value #LIMIT} */
    private List<FaceIndex.Match> search(String model, float[] vector, Optional<Query> filter) throws IOException {
        Map<String, FaceIndex.Match> best = new LinkedHashMap<>();
        for (FaceIndex.Match m : index.search(model, vector, CANDIDATES, MIN_COSINE, filter.orElse(null))) {
            best.putIfAbsent(m.face().jobId() + "/" + m.face().traceId(), m);
        }
        return best.values().stream().limit(LIMIT).toList();
    }

    private void faceDetect(Context ctx) throws IOException {
        boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
        UploadedFile image = FormParts.file(ctx, "image", "a file field 'image' (a photo)");
        if (image.size() > MAX_IMAGE_BYTES) {
            throw badRequest(INVALID_PARAMETERS, "the image has " + image.size() + " bytes, more than " + MAX_IMAGE_BYTES);
        }
        BufferedImage photo;
        try (InputStream in = image.content()) {
            photo = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            photo = null;
        }
        if (photo == null || photo.getWidth() < 8 || photo.getHeight() < 8) {
            throw badRequest(INVALID_PARAMETERS, "the image cannot be read (JPEG, PNG, BMP or GIF, at least 8x8 px)");
        }
        Optional<Optional<Query>> filter = scope(ctx);
        if (filter.isEmpty()) {
            return;
        }
        List<FaceBackend.PhotoFace> found;
        try {
            found = backend.faces(photo);
        } catch (IllegalStateException e) {
            send(ctx, 503, ApiJson.error("service unavailable").put("detail", e.getMessage()));
            return;
        }
        if (found.isEmpty()) {
            send(ctx, 400, ApiJson.error("no face").put("detail", "no face was found in the photo"));
            return;
        }
        List<FaceBackend.PhotoFace> queries = all ? found : found.subList(0, 1);
        String base = Replies.baseUrl(ctx);
        ctx.status(200);
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        for (int q = 0; q < queries.size(); q++) {
            FaceBackend.PhotoFace face = queries.get(q);
            for (FaceIndex.Match m : search(face.model(), face.embedding(), filter.get())) {
                ObjectNode o = ApiJson.MAPPER.createObjectNode();
                o.put("time", m.face().offsetMs());
                o.put("similar_face", url(base, m.face()));
                o.put("score", Math.round((m.cosine() + 1) * 10000) / 10000.0);
                o.put("cosine", Math.round(m.cosine() * 10000) / 10000.0);
                o.put("file_uuid", files == null ? null
                        : files.ofJob(m.face().jobId()).map(FileInfo::getFileUuid).orElse(null));
                o.put("job", m.face().jobId());
                o.put("trace_id", m.face().traceId());
                o.put("seq", m.face().seq());
                o.put("query_face", q);
                out.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private void searchFace(Context ctx) throws IOException {
        JsonNode body;
        try {
            body = ApiJson.MAPPER.readTree(ctx.body());
        } catch (IOException e) {
            throw badRequest(INVALID_PARAMETERS, "the body must be JSON: {\"face_vector\": [...]}");
        }
        JsonNode v = body == null ? null : body.get("face_vector");
        if (v == null || !v.isArray() || v.isEmpty() || v.size() > 8192) {
            throw badRequest(INVALID_PARAMETERS, "face_vector must be a list of 1 to 8192 numbers");
        }
        float[] vector = new float[v.size()];
        for (int i = 0; i < vector.length; i++) {
            if (!v.get(i).isNumber() || !Double.isFinite(v.get(i).asDouble())) {
                throw badRequest(INVALID_PARAMETERS, "face_vector must hold finite numbers only (item " + i + ")");
            }
            vector[i] = (float) v.get(i).asDouble();
        }
        String model = body.path("model").isTextual() ? body.get("model").asText() : DEFAULT_MODEL;
        Optional<Optional<Query>> filter = scope(ctx);
        if (filter.isEmpty()) {
            return;
        }
        List<FaceIndex.Match> found;
        try {
            found = search(model, vector, filter.get());
        } catch (IllegalArgumentException e) {
            throw badRequest(INVALID_PARAMETERS, e.getMessage());
        }
        String base = Replies.baseUrl(ctx);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (FaceIndex.Match m : found) {
            long ms = m.face().offsetMs();
            results.addObject().put("pic", url(base, m.face()))
                    .put("time", String.format("%02d:%02d", ms / 60_000, ms / 1000 % 60))
                    .put("score", Math.round((m.cosine() + 1) * 10000) / 10000.0);
        }
        send(ctx, 200, out);
    }

    static String url(String base, FaceIndex.Face f) {
        return base + "/v1/faces/" + URLEncoder.encode(f.jobId(), StandardCharsets.UTF_8).replace("+", "%20") + "/"
                + f.traceId() + "/" + f.seq() + ".jpg";
    }

    private void crop(Context ctx) throws IOException {
        String job = ctx.pathParam("job");
        long trace;
        long seq;
        try {
            trace = Long.parseLong(ctx.pathParam("trace"));
            seq = Long.parseLong(ctx.pathParam("seq"));
        } catch (NumberFormatException e) {
            send(ctx, 404, ApiJson.error("face not found").put("detail", "no such face"));
            return;
        }
        Optional<FaceIndex.Face> face = Optional.empty();
        if (visible(Principal.of(ctx), job)) {
            face = index.trace(job, trace).stream().filter(f -> f.seq() == seq).findFirst();
        }
        if (face.isEmpty()) {
            send(ctx, 404, ApiJson.error("face not found").put("detail", "no face " + job + "/" + trace + "/" + seq));
            return;
        }
        FaceIndex.Face f = face.get();
        FaceView.Face v = new FaceView.Face(f.traceId(), f.seq(), f.offsetMs(), f.box()[0], f.box()[1], f.box()[2],
                f.box()[3], f.score(), f.blur(), f.frameUri(), f.width(), f.height());
        Optional<BufferedImage> frame = crops.frame(v);
        if (frame.isEmpty()) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", "the frame of the face is no longer stored"));
            return;
        }
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.contentType("image/jpeg");
        ctx.result(FaceCrops.jpeg(FaceCrops.thumbnail(frame.get(), v)));
    }
}
