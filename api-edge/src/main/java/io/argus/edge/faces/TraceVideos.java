package io.argus.edge.faces;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.files.FileMediaRoutes;
import io.argus.edge.files.FilesBackend;
import io.argus.edge.files.MediaQuery;
import io.argus.edge.media.ByteSource;
import io.argus.edge.media.RangeResponder;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/file/{file_uuid}/trace/{trace_id}/video} (media-api.html): the file with one
 * face trace drawn (its box on every face's frame, held and interpolated between analysed frames as
 * {@code /video/bbox} does; label {@code face}, the trace id, score), rendered once per trace, face
 * count, {@code mode} and {@code audio} into the store by the files backend and served with HTTP
 * ranges. While it renders: 202 with {@code Retry-After}; a render that failed: 500
 * {@code "cannot render"} (the next request tries again).
 */
final class TraceVideos implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TraceVideos.class);
    /** Seconds a client is asked to wait while the video renders. */
    static final int RETRY_AFTER_S = 2;

    private final FilesBackend backend;
    private final ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-edge-trace-video");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<ByteSource>> renders = new ConcurrentHashMap<>();

    /** @param backend renders and stores the videos */
    TraceVideos(FilesBackend backend) {
        this.backend = backend;
    }

    void register(ApiRoutes api, Function<Context, Optional<TraceRoutes.TraceFaces>> find) {
        api.get("/api/v1/file/{file_uuid}/trace/{trace_id}/video", ctx -> serve(ctx, find), op -> op
                .summary("The video with one face trace drawn").tag("media").pathParam("file_uuid", "32 hex digits")
                .pathParam("trace_id", "the trace").query("mode", "normal or debug").query("audio", "on or off")
                .response(200, "MP4 (H.264), HTTP ranges", "video/mp4").response(206, "a range")
                .response(202, "rendering; Retry-After").response(404, "file or trace not found")
                .response(500, "cannot render"));
    }

    static String key(FileInfo file, long traceId, int faces, boolean debug, boolean audio) {
        return "files/" + file.getFileUuid() + "/trace-" + file.getJobId() + "-" + traceId + "-" + faces
                + (debug ? "-debug" : "") + (audio ? "-audio" : "") + ".mp4";
    }

    private void serve(Context ctx, Function<Context, Optional<TraceRoutes.TraceFaces>> find) throws IOException {
        boolean debug = MediaQuery.debug(ctx);
        boolean audio = MediaQuery.audio(ctx);
        Optional<TraceRoutes.TraceFaces> t = find.apply(ctx);
        if (t.isEmpty()) {
            return;
        }
        FileInfo file = t.get().file();
        String key = key(file, t.get().traceId(), t.get().faces().size(), debug, audio);
        Optional<ByteSource> stored = backend.rendered(file, key);
        CompletableFuture<ByteSource> r = stored.isPresent() ? CompletableFuture.completedFuture(stored.get())
                : renders.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> render(t.get(), debug, audio, k),
                        renderer));
        if (!r.isDone()) {
            ObjectNode out = ApiJson.MAPPER.createObjectNode();
            out.put("file_uuid", file.getFileUuid());
            out.put("trace_id", t.get().traceId());
            out.put("status", "rendering");
            out.put("detail", "the video of the trace is being rendered; ask again in " + RETRY_AFTER_S + " s");
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_S));
            ctx.header("Cache-Control", "no-store");
            send(ctx, 202, out);
            return;
        }
        ByteSource video;
        try {
            video = r.join();
        } catch (CompletionException e) {
            renders.remove(key, r);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            send(ctx, 500, ApiJson.error("cannot render").put("detail", String.valueOf(cause.getMessage())));
            return;
        }
        String etag = "\"" + key.replace('/', '-') + "-" + Long.toHexString(video.length()) + "\"";
        ctx.header("Cache-Control", FileMediaRoutes.cacheControl(ctx));
        RangeResponder.send(ctx, ByteSource.of(video.length(), etag, video.lastModified(), video::open), "video/mp4");
    }

    private ByteSource render(TraceRoutes.TraceFaces t, boolean debug, boolean audio, String key) {
        try {
            long started = System.nanoTime();
            ByteSource out = backend.renderBbox(t.file(), new FilesBackend.Bbox(t.file().getJobId(), tracks(t),
                    List.of(), debug, audio, key));
            LOG.info("File {}: rendered trace {} ({} faces) in {} ms", t.file().getFileUuid(), t.traceId(),
                    t.faces().size(), (System.nanoTime() - started) / 1_000_000);
            return out;
        } catch (IOException e) {
            LOG.warn("File {}: cannot render trace {}: {}", t.file().getFileUuid(), t.traceId(), e.toString());
            throw new CompletionException(e);
        }
    }

    /** @return the trace as tracker records: one per face, the trace confirmed and matched there */
    static List<TrackFrame> tracks(TraceRoutes.TraceFaces t) {
        List<TrackFrame> out = new ArrayList<>(t.faces().size());
        for (FaceView.Face f : t.faces()) {
            TrackBox box = TrackBox.newBuilder().setTrackId(t.traceId()).setLabel("face").setScore(f.score())
                    .setState(TrackPhase.CONFIRMED).setMatched(true).setLeft(f.left()).setTop(f.top())
                    .setRight(f.right()).setBottom(f.bottom()).build();
            out.add(TrackFrame.newBuilder().setJobId(t.file().getJobId()).setVideoId(t.file().getFileUuid())
                    .setOp("face_embed").setSeq(f.seq()).setOffsetMs(f.offsetMs()).setWidth(f.width())
                    .setHeight(f.height()).setUri(f.frameUri()).setEnd(false).setTracks(List.of(box)).build());
        }
        return out;
    }

    @Override
    public void close() {
        renderer.shutdownNow();
    }
}
