package io.argus.edge.faces;

import static io.argus.edge.http.Replies.send;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.files.FileMediaRoutes;
import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.Identity;
import io.javalin.http.Context;

/**
 * Face traces of a file (media-api.html, "trace"): the traces of the file's analysis job, found by
 * the aggregator's face tracer ({@code face_embed} faces followed across frames), read from
 * {@link FaceView}.
 * <ul>
 *   <li>{@code GET /api/v1/file/{file_uuid}/traces}: every trace of at least
 *       {@value #MIN_FACES} faces, with its frames and identity;</li>
 *   <li>{@code GET …/trace/{trace_id}/representative-face}: the spec's two-stage choice
 *       ({@link RepresentativeFaces}) with its fields: {@code frame_number},
 *       {@code timestamp_secs} ({@code frame_number / fps}), {@code bbox}, {@code confidence},
 *       {@code quality_score}, {@code blur_score};</li>
 *   <li>{@code GET …/trace/{trace_id}/thumbnail}: that face, 320×320 JPEG ({@link FaceCrops}), with
 *       the media routes' caching ({@code max-age=86400});</li>
 * </ul>
 * Frame numbers are the file's ({@code round(offset_ms × fps / 1000)}, zero-based). A file the
 * caller may not read answers 404 like an unknown one; an unknown trace, or one without a stored
 * face, 404 {@code "trace not found"} / {@code "no suitable face"}.
 */
public final class TraceRoutes implements Routes {

    /**
     * Faces a trace needs to be listed: a trace of one face is a face the tracker saw once (a
     * detection it never confirmed, or a person on screen for one analysed frame).
     */
    static final int MIN_FACES = 2;

    private final Function<Context, Optional<FileInfo>> find;
    private final FaceView faces;
    private final IdentityView identities;
    private final RepresentativeFaces representatives;
    private final FaceCrops crops;
    private final TraceVideos videos;

    /**
     * @param find       the file of a request (its {@code file_uuid}), or empty once 400 or 404 is answered
     * @param faces      the faces of the traces
     * @param identities the identities
     * @param crops      crops from the frame store
     * @param backend    blur measure
     * @param videos     the trace videos, or null when this edge renders none
     */
    TraceRoutes(Function<Context, Optional<FileInfo>> find, FaceView faces, IdentityView identities, FaceCrops crops,
                FaceBackend backend, TraceVideos videos) {
        this.find = find;
        this.faces = faces;
        this.identities = identities;
        this.crops = crops;
        this.representatives = new RepresentativeFaces(crops, backend);
        this.videos = videos;
    }

    @Override
    public void register(ApiRoutes api) {
        api.get("/api/v1/file/{file_uuid}/traces", this::traces, op -> op.summary("The face traces of a file").tag("media")
                .pathParam("file_uuid", "32 hex digits")
                .response(200, "{success, file_uuid, traces: [{trace_id, face_count, first_frame, last_frame, "
                        + "first_seen_secs, last_seen_secs, identity_uuid, identity_name, thumbnail_url}]}")
                .response(404, "file not found"));
        api.get("/api/v1/file/{file_uuid}/trace/{trace_id}/representative-face", this::representative, op -> op
                .summary("The best face of a trace").tag("media").pathParam("file_uuid", "32 hex digits")
                .pathParam("trace_id", "the trace")
                .description("media-api.html: area x confidence -> top 10, then the least blurry by FFmpeg blurdetect.")
                .response(200, "{success, file_uuid, trace_id, face_count, representative: {frame_number, "
                        + "timestamp_secs, bbox, confidence, quality_score, blur_score}}")
                .response(404, "file or trace not found, or no suitable face"));
        api.get("/api/v1/file/{file_uuid}/trace/{trace_id}/thumbnail", this::thumbnail, op -> op
                .summary("The best face of a trace, 320x320 JPEG").tag("media").pathParam("file_uuid", "32 hex digits")
                .pathParam("trace_id", "the trace").response(200, "JPEG", "image/jpeg")
                .response(404, "file or trace not found, or no suitable face"));
        if (videos != null) {
            videos.register(api, this::traceFaces);
        }
    }

    /** @return a file's frame number at an offset: {@code round(offset_ms × fps / 1000)} */
    static long frameNumber(FileInfo file, long offsetMs) {
        return file.getFps() > 0 ? Math.round(offsetMs * file.getFps() / 1000.0) : 0;
    }

    /** @return seconds of a frame number: {@code frame / fps} (the spec's derivation) */
    static double seconds(FileInfo file, long frame) {
        return file.getFps() > 0 ? Math.round(frame / file.getFps() * 100) / 100.0 : 0;
    }

    private void traces(Context ctx) {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return;
        }
        FileInfo file = f.get();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("success", true);
        out.put("file_uuid", file.getFileUuid());
        ArrayNode list = out.putArray("traces");
        if (file.getJobId() != null) {
            for (Map.Entry<Long, List<FaceView.Face>> t : faces.traces(file.getJobId()).entrySet()) {
                if (t.getValue().size() >= MIN_FACES) {
                    list.add(trace(file, t.getKey(), t.getValue()));
                }
            }
        }
        send(ctx, 200, out);
    }

    ObjectNode trace(FileInfo file, long traceId, List<FaceView.Face> fs) {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("trace_id", traceId);
        o.put("face_count", fs.size());
        long first = frameNumber(file, fs.get(0).offsetMs());
        long last = frameNumber(file, fs.get(fs.size() - 1).offsetMs());
        o.put("first_frame", first);
        o.put("last_frame", last);
        o.put("first_seen_secs", seconds(file, first));
        o.put("last_seen_secs", seconds(file, last));
        Optional<Identity> id = identities.ofTrace(file.getJobId(), traceId);
        o.put("identity_uuid", id.map(Identity::getIdentityUuid).orElse(null));
        o.put("identity_name", id.map(Identity::getName).orElse(null));
        o.put("thumbnail_url", "/api/v1/file/" + file.getFileUuid() + "/trace/" + traceId + "/thumbnail");
        return o;
    }

    /** The trace of a request: its file (access checked) and faces; empty once 400 or 404 is answered. */
    Optional<TraceFaces> traceFaces(Context ctx) {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        long traceId;
        try {
            traceId = Long.parseLong(ctx.pathParam("trace_id"));
        } catch (NumberFormatException e) {
            send(ctx, 400, ApiJson.error("invalid parameters").put("detail", "trace_id must be an integer, was '"
                    + ctx.pathParam("trace_id") + "'"));
            return Optional.empty();
        }
        List<FaceView.Face> fs = f.get().getJobId() == null ? List.of() : faces.trace(f.get().getJobId(), traceId);
        if (fs.isEmpty()) {
            send(ctx, 404, ApiJson.error("trace not found").put("detail", "no trace " + traceId + " in file "
                    + f.get().getFileUuid()));
            return Optional.empty();
        }
        return Optional.of(new TraceFaces(f.get(), traceId, fs));
    }

    /**
     * A trace of a file.
     *
     * @param file    the file
     * @param traceId the trace
     * @param faces   its faces by seq
     */
    record TraceFaces(FileInfo file, long traceId, List<FaceView.Face> faces) {
    }

    /** @return the representative face; empty once 404 is answered */
    private Optional<RepresentativeFaces.Choice> choose(Context ctx, TraceFaces t) throws IOException {
        Optional<RepresentativeFaces.Choice> c = representatives.of(t.file().getJobId(), t.traceId(), t.faces());
        if (c.isEmpty()) {
            send(ctx, 404, ApiJson.error("no suitable face").put("detail", "no face of trace " + t.traceId()
                    + " has a stored frame"));
        }
        return c;
    }

    private void representative(Context ctx) throws IOException {
        Optional<TraceFaces> t = traceFaces(ctx);
        if (t.isEmpty()) {
            return;
        }
        Optional<RepresentativeFaces.Choice> c = choose(ctx, t.get());
        if (c.isEmpty()) {
            return;
        }
        FileInfo file = t.get().file();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("success", true);
        out.put("file_uuid", file.getFileUuid());
        out.put("trace_id", t.get().traceId());
        out.put("face_count", t.get().faces().size());
        out.set("representative", faceJson(file, c.get()));
        send(ctx, 200, out);
    }

    /**
     * @param file a file
     * @param c    a representative face of one of its traces
     * @return the spec's {@code representative} object
     */
    static ObjectNode faceJson(FileInfo file, RepresentativeFaces.Choice c) {
        FaceView.Face face = c.face();
        ObjectNode r = ApiJson.MAPPER.createObjectNode();
        long frame = frameNumber(file, face.offsetMs());
        r.put("frame_number", frame);
        r.put("timestamp_secs", seconds(file, frame));
        r.putObject("bbox").put("x", face.left()).put("y", face.top()).put("width", face.right() - face.left())
                .put("height", face.bottom() - face.top());
        r.put("confidence", Math.round(face.score() * 1000) / 1000.0);
        r.put("quality_score", Math.round(c.quality()));
        if (Double.isFinite(c.blur())) {
            r.put("blur_score", Math.round(c.blur() * 100) / 100.0);
        } else {
            r.putNull("blur_score"); // a flat crop: FFmpeg's blurdetect gives NaN
        }
        return r;
    }

    /**
     * @param t a trace
     * @return its representative face, or empty
     * @throws IOException when the frame store fails
     */
    Optional<RepresentativeFaces.Choice> representative(TraceFaces t) throws IOException {
        return representatives.of(t.file().getJobId(), t.traceId(), t.faces());
    }

    private void thumbnail(Context ctx) throws IOException {
        Optional<TraceFaces> t = traceFaces(ctx);
        if (t.isEmpty()) {
            return;
        }
        Optional<RepresentativeFaces.Choice> c = choose(ctx, t.get());
        if (c.isEmpty()) {
            return;
        }
        Optional<BufferedImage> frame = crops.frame(c.get().face());
        if (frame.isEmpty()) {
            send(ctx, 404, ApiJson.error("no suitable face").put("detail", "the frame of the face is no longer stored"));
            return;
        }
        ctx.header("Cache-Control", FileMediaRoutes.cacheControl(ctx));
        ctx.contentType("image/jpeg");
        ctx.result(FaceCrops.jpeg(FaceCrops.thumbnail(frame.get(), c.get().face())));
    }
}
