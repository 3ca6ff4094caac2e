package io.argus.edge.http;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Objects;

import io.argus.edge.frames.StoredFrames;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.openapi.Schemas;
import io.argus.edge.render.ApiJson;
import io.javalin.http.Context;

/**
 * {@code GET /v1/frames?uri=<store URI>}: the bytes of a stored frame or extraction file, so a
 * client that cannot read the frame store ({@code file://} on the server's disk, a private
 * bucket) can fetch a cut. Cuts carry this route's URL as {@code "url"} next to the store
 * {@code "uri"} ({@link StoredFrames#url}). Behind the API keys like every route but
 * {@code /healthz}, {@code /metrics} and {@code /openapi.json}.
 *
 * <p>Answers: 200 with {@code image/jpeg} for {@code .jpg}, {@code image/png} for {@code .png},
 * {@code application/octet-stream} otherwise (e.g. {@code .flo}); 400 {@code invalid parameters}
 * without {@code uri} or for a URI that is not the store's; 404 {@code frame not found} when
 * nothing is stored there (deleted by retention, a job that never stored it); 503 when the store
 * cannot be read.
 */
public final class FrameRoutes implements Routes {

    private final StoredFrames frames;

    /** @param frames the frame store, read-only */
    public FrameRoutes(StoredFrames frames) {
        this.frames = Objects.requireNonNull(frames, "frames");
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(StoredFrames.PATH, this::get, op -> op.tag("frames")
                .summary("A stored frame or extraction file")
                .description("The bytes of the object at a frame-store URI (the \"uri\" of a cut, a per-frame result or "
                        + "an extracted item); cuts carry this route's URL as \"url\".")
                .requiredQuery("uri", Schemas.string(), "the frame-store URI, percent-encoded")
                .response(200, "the stored bytes", "image/jpeg")
                .response(400, "no uri, or a URI that is not of this deployment's frame store")
                .response(404, "frame not found")
                .response(503, "the frame store cannot be read"));
    }

    private void get(Context ctx) {
        String uri = ctx.queryParam("uri");
        if (uri == null || uri.isBlank()) {
            Replies.send(ctx, 400, ApiJson.error("invalid parameters").put("detail", "uri is required"));
            return;
        }
        try {
            byte[] bytes = frames.read(uri);
            ctx.status(200).contentType(contentType(uri)).result(bytes);
        } catch (NoSuchFileException e) {
            Replies.send(ctx, 404, ApiJson.error("frame not found"));
        } catch (IllegalArgumentException e) {
            Replies.send(ctx, 400, ApiJson.error("invalid parameters")
                    .put("detail", "uri is not of this deployment's frame store"));
        } catch (IOException e) {
            Replies.send(ctx, 503, ApiJson.error("frame store unavailable").put("detail", e.getMessage()));
        }
    }

    private static String contentType(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        if (u.endsWith(".jpg") || u.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (u.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }
}
