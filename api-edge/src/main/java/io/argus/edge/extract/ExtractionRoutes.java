package io.argus.edge.extract;

import static io.argus.edge.http.Replies.send;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.Schemas;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionStatus;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The HTTP routes of the frame &amp; flow service ({@code specs/frame-flow-api.md}), registered and
 * described on the edge's Javalin app by {@link io.argus.edge.http.EdgeServer}. {@code X} is
 * {@code frame} or {@code flow} (the kind); answers are JSON; errors {@code {"error": message}}
 * (plus {@code "detail"} sometimes), messages of 400s name the field.
 * <ul>
 *   <li>{@code POST /X}: body of {@link ExtractionRequestParser} -&gt; 200
 *       {@link ExtractionJson#accepted} {@code {"id", "kind", "pattern", "video_id", "seed"}}; the
 *       WAITING status and the request go to the {@link ExtractionSink} (503 "service unavailable"
 *       when it fails).</li>
 *   <li>{@code GET /X?pattern=P[&video=V][&count=N]} (or the same in a JSON body): 200
 *       {@link ExtractionJson#items} {@code {"pattern", "kind", "items": [...]}}, up to N (1–100,
 *       default 10) stored items in key order; 400 for a bad pattern, video or count.</li>
 *   <li>{@code GET /X/history[?video=V][&count=N]}: 200 {@link ExtractionJson#history}
 *       {@code {"kind", "requests": [...]}}, N (1–100, default 20) requests of kind X, newest
 *       first.</li>
 *   <li>{@code GET /X/{id}}: 200 {@link ExtractionJson#requestDetail}; 404
 *       {@code {"error": "extraction not found"}} when unknown or of the other kind.</li>
 *   <li>{@code DELETE /X/{id}}: deletes the request ({@link ExtractionDeleter}) -&gt; 200
 *       {@code {"deleted": {"requests": [id], "items": n, "files": n}}}; 404 when unknown.</li>
 *   <li>{@code DELETE /X?video=V}: deletes every request of kind X and video V (200, possibly
 *       with no request); 400 without {@code video}.</li>
 * </ul>
 * While the index is not queryable (starting, restoring), queries answer 503 "service unavailable".
 * A deletion that fails midway answers 503 with what it had deleted ({@code "deleted"}).
 *
 * <p>Owns its sink ({@link #close()} closes it; {@link io.argus.edge.http.EdgeServer#stop()} calls
 * it), not the catalogue's index nor the storage.
 */
public final class ExtractionRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractionRoutes.class);
    /** 404 message for an unknown request id. */
    public static final String NOT_FOUND = "extraction not found";

    private final ExtractionRequestParser parser;
    private final ExtractionSink sink;
    private final ExtractionCatalog catalog;
    private final ExtractionDeleter deleter;

    /**
     * @param parser  POST body validation
     * @param sink    where requests and tombstones go; closed by {@link #close()}
     * @param catalog the index queries (e.g. {@link ExtractionIndex#catalog()})
     * @param storage stored-file deletion (the frame store)
     */
    public ExtractionRoutes(ExtractionRequestParser parser, ExtractionSink sink, ExtractionCatalog catalog,
                            ExtractionStorage storage) {
        this(parser, sink, catalog, new ExtractionDeleter(catalog, sink, storage));
    }

    /**
     * @param parser  POST body validation
     * @param sink    where requests go; closed by {@link #close()}
     * @param catalog the index queries
     * @param deleter how requests are deleted (with the same catalogue)
     */
    public ExtractionRoutes(ExtractionRequestParser parser, ExtractionSink sink, ExtractionCatalog catalog,
                            ExtractionDeleter deleter) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.deleter = Objects.requireNonNull(deleter, "deleter");
    }

    /** @return the deleter, e.g. for an {@link ExtractionRetention} */
    public ExtractionDeleter deleter() {
        return deleter;
    }

    /** @return the catalogue the routes query */
    public ExtractionCatalog catalog() {
        return catalog;
    }

    /**
     * Registers and describes the routes (history before {@code /{id}}, so "history" is never taken
     * for an id).
     *
     * @param routes the edge's routes, before the app starts
     */
    @Override
    public void register(ApiRoutes routes) {
        for (ExtractionKind kind : ExtractionKind.values()) {
            String x = ExtractionIds.kind(kind);
            String base = "/" + x;
            String video = "only this video's: a video id (video_id is accepted too)";
            String count = " (1-" + ExtractionQueries.MAX_COUNT + ", default ";
            String notReady = "service unavailable: the extraction index is not ready (starting, restoring)";
            routes.post(base, guarded(ctx -> post(ctx, kind)), op -> op.tag(x)
                    .summary("Request a " + x + " extraction")
                    .jsonBody("the request (frame-flow-api.md): video, pattern and its settings")
                    .response(200, "accepted: {\"id\", \"kind\", \"pattern\", \"video_id\", \"seed\"}")
                    .response(400, "invalid request; the message names the field")
                    .response(503, "service unavailable: the request could not be recorded"));
            routes.get(base, guarded(ctx -> items(ctx, kind)), op -> op.tag(x)
                    .summary("Stored " + x + " items of a pattern")
                    .description("The parameters may also come in a JSON body {\"pattern\", \"video\", \"count\"}; "
                            + "the query string wins.")
                    .query("pattern", "required (here or in the body): " + ExtractionPattern.NAMES)
                    .query("video", video)
                    .query("count", Schemas.integer(1, ExtractionQueries.MAX_COUNT), "most items"
                            + count + ExtractionQueries.DEFAULT_ITEMS + ")")
                    .response(200, "{\"pattern\", \"kind\", \"items\": [...]}, in key order")
                    .response(400, "a missing or bad pattern, a bad video or count")
                    .response(503, notReady));
            routes.get(base + "/history", guarded(ctx -> history(ctx, kind)), op -> op.tag(x)
                    .summary("The latest " + x + " requests, newest first")
                    .query("video", video)
                    .query("count", Schemas.integer(1, ExtractionQueries.MAX_COUNT), "most requests"
                            + count + ExtractionQueries.DEFAULT_HISTORY + ")")
                    .response(200, "{\"kind\", \"requests\": [...]}")
                    .response(400, "a bad video or count")
                    .response(503, notReady));
            routes.get(base + "/{id}", guarded(ctx -> one(ctx, kind)), op -> op.tag(x)
                    .summary("One " + x + " request")
                    .pathParam("id", "the request id")
                    .response(200, "the request: status, progress, items")
                    .response(404, NOT_FOUND + " (unknown, or of the other kind)")
                    .response(503, notReady));
            routes.delete(base + "/{id}", guarded(ctx -> deleteOne(ctx, kind)), op -> op.tag(x)
                    .summary("Delete one " + x + " request, its items and files")
                    .pathParam("id", "the request id")
                    .response(200, "{\"deleted\": {\"requests\": [id], \"items\": n, \"files\": n}}")
                    .response(404, NOT_FOUND)
                    .response(503, "the deletion failed midway (\"deleted\" says what was deleted), "
                            + "or the index is not ready"));
            routes.delete(base, guarded(ctx -> deleteByVideo(ctx, kind)), op -> op.tag(x)
                    .summary("Delete every " + x + " request of a video")
                    .query("video", "the video id: required (video_id is accepted too)")
                    .response(200, "{\"deleted\": {\"requests\": [id, ...], \"items\": n, \"files\": n}}, "
                            + "possibly with no request")
                    .response(400, "video is required")
                    .response(503, "the deletion failed midway (\"deleted\" says what was deleted), "
                            + "or the index is not ready"));
        }
    }

    private void post(Context ctx, ExtractionKind kind) {
        ParsedExtraction p = parser.parse(kind, ctx.bodyAsBytes());
        String id = p.request().getRequestId();
        try {
            sink.submit(p.waiting(), p.request());
        } catch (ExtractionSinkException e) {
            LOG.warn("Cannot submit extraction {}: {}", id, e.getMessage());
            throw new ApiException(503, "service unavailable", "the request could not be recorded: " + e.getMessage());
        }
        catalog.noteSubmitted(p.waiting());
        LOG.info("Extraction {} accepted: {} {} of video {}", id, ExtractionIds.kind(kind),
                p.request().getPattern(), p.request().getVideoId());
        send(ctx, 200, ExtractionJson.accepted(p.request()));
    }

    private void items(Context ctx, ExtractionKind kind) {
        ExtractionQueries.Items q = ExtractionQueries.items(ctx::queryParam, ctx.bodyAsBytes());
        List<ExtractedItem> items = catalog.items(kind, q.pattern(), q.video(), q.count());
        send(ctx, 200, ExtractionJson.items(kind, q.pattern(), items));
    }

    private void history(Context ctx, ExtractionKind kind) {
        ExtractionQueries.History q = ExtractionQueries.history(ctx::queryParam, ctx.bodyAsBytes());
        send(ctx, 200, ExtractionJson.history(kind, catalog.history(kind, q.video(), q.count())));
    }

    private void one(Context ctx, ExtractionKind kind) {
        Optional<ExtractionSummary> s = catalog.summary(kind, ctx.pathParam("id"));
        if (s.isEmpty()) {
            send(ctx, 404, ApiJson.error(NOT_FOUND));
            return;
        }
        send(ctx, 200, ExtractionJson.requestDetail(s.get()));
    }

    private void deleteOne(Context ctx, ExtractionKind kind) {
        Optional<ExtractionStatus> s = catalog.status(ctx.pathParam("id")).filter(st -> st.getKind() == kind);
        if (s.isEmpty()) {
            send(ctx, 404, ApiJson.error(NOT_FOUND));
            return;
        }
        delete(ctx, List.of(s.get()));
    }

    private void deleteByVideo(Context ctx, ExtractionKind kind) {
        String video = ExtractionQueries.video(ctx::queryParam);
        if (video == null) {
            throw new ApiException(400, "video is required: DELETE /" + ExtractionIds.kind(kind)
                    + "?video=<video_id>, or DELETE /" + ExtractionIds.kind(kind) + "/<id> for one request", null);
        }
        delete(ctx, catalog.requests(kind, video));
    }

    private void delete(Context ctx, List<ExtractionStatus> requests) {
        try {
            send(ctx, 200, ExtractionJson.deleted(deleter.delete(requests)));
        } catch (ExtractionDeleteException e) {
            LOG.warn("Deletion failed: {}", e.getMessage());
            ObjectNode out = ApiJson.error("service unavailable");
            out.put("detail", e.getMessage());
            out.set("deleted", ExtractionJson.deleted(e.done()).get("deleted"));
            send(ctx, 503, out);
        }
    }

    /** Maps an index that cannot be queried yet to 503. */
    private static Handler guarded(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (InvalidStateStoreException e) {
                throw new ApiException(503, "service unavailable", "the extraction index is not ready: "
                        + e.getMessage());
            }
        };
    }

    /** Closes the sink. */
    @Override
    public void close() {
        sink.close();
    }
}
