package io.argus.edge.files;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.edge.media.RangeResponder;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.edge.security.Principal;
import io.argus.edge.security.UrlSigner;
import io.argus.schemas.avro.FileInfo;
import io.javalin.http.Context;

/**
 * The streaming handlers of the media API's files, registered and described by {@link FileRoutes}:
 * {@code /video} (whole with ranges, or a zero-loss cut), {@code /thumbnail}, {@code /clip} and
 * {@code /video/bbox}, with the spec's caching ({@link #cacheControl}, ETags, 304). The file of a
 * request is found by {@link FileRoutes}' lookup, which answers 400 or 404 (also for a file the
 * caller may not read) and returns empty.
 */
public final class FileMediaRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(FileMediaRoutes.class);
    /** Cache-Control of the media endpoints on an open edge (media-api.html, "Cache"). */
    static final String CACHE = "public, max-age=86400";

    private final FilesBackend backend;
    private final BboxVideos bbox;
    private final Function<Context, Optional<FileInfo>> find;

    /**
     * @param backend store, decoders and encoders
     * @param bbox    the renders of {@code /video/bbox}
     * @param find    the file of a request, or empty once 400 or 404 is answered
     */
    FileMediaRoutes(FilesBackend backend, BboxVideos bbox, Function<Context, Optional<FileInfo>> find) {
        this.backend = backend;
        this.bbox = bbox;
        this.find = find;
    }

    void video(Context ctx) throws IOException {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return;
        }
        if (ctx.queryParam("start_frame") != null || ctx.queryParam("end_frame") != null) {
            cut(ctx, f.get());
            return;
        }
        ctx.header("Cache-Control", cacheControl(ctx));
        RangeResponder.send(ctx, backend.open(f.get()), contentType(f.get().getUri()));
    }

    void thumbnail(Context ctx) throws IOException {
        Optional<FileInfo> f = find.apply(ctx);
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

    void clip(Context ctx) throws IOException {
        Optional<FileInfo> f = find.apply(ctx);
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
    public static String cacheControl(Context ctx) {
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

    /**
     * {@code /video?start_frame=&end_frame=}: the zero-loss cut ({@link FilesBackend#cut}), MPEG-TS
     * streamed while it is copied, with what was cut in {@code X-Argus-Cut-*} headers.
     */
    private void cut(Context ctx, FileInfo file) throws IOException {
        long[] range;
        boolean audio;
        try {
            range = MediaQuery.cutRange(ctx, file);
            audio = MediaQuery.audio(ctx) && file.getHasAudio();
            if (MediaQuery.debug(ctx)) {
                throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "mode=debug draws on the frames, which a "
                        + "zero-loss cut does not re-encode: use /clip?mode=debug");
            }
        } catch (FilesBackend.NoSuchFrame e) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", e.getMessage()));
            return;
        }
        String etag = "\"" + file.getFileUuid() + "-k" + range[0] + "-" + range[1] + (audio ? "a" : "") + "\"";
        if (cached(ctx, etag)) {
            return;
        }
        boolean head = ctx.method() == io.javalin.http.HandlerType.HEAD;
        boolean[] started = {false};
        try {
            backend.cut(file, range[0], range[1], audio, cut -> {
                ctx.status(200);
                ctx.contentType("video/mp2t");
                ctx.header("Accept-Ranges", "none");
                ctx.header("X-Argus-Cut-Start-Frame", Long.toString(cut.startFrame()));
                ctx.header("X-Argus-Cut-End-Frame", Long.toString(cut.endFrame()));
                ctx.header("X-Argus-Cut-Frames", Long.toString(cut.frames()));
                ctx.header("X-Argus-Keyframe-Aligned", "true");
                ctx.header("X-Argus-Video-Codec", cut.videoCodec());
                ctx.header("X-Argus-Audio", cut.audio() ? "copied" : "none");
                if (head) {
                    return null;
                }
                started[0] = true;
                return ctx.res().getOutputStream();
            });
            if (started[0]) {
                ctx.res().getOutputStream().flush();
            }
        } catch (FilesBackend.NoSuchFrame e) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", e.getMessage()));
        } catch (IOException e) {
            if (!started[0]) {
                throw e;
            }
            LOG.warn("Cut {} {}..{} cut short: {}", file.getFileUuid(), range[0], range[1], e.getMessage());
            org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpChannel().abort(e);
        }
    }

    void videoBbox(Context ctx) throws IOException {
        Optional<FileInfo> f = find.apply(ctx);
        if (f.isEmpty()) {
            return;
        }
        boolean debug = MediaQuery.debug(ctx);
        boolean audio = MediaQuery.audio(ctx) && f.get().getHasAudio();
        bbox.serve(ctx, f.get(), debug, audio);
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
}
