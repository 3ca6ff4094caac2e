package io.argus.edge.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Answers a GET or HEAD for a stored object with HTTP range support (RFC 9110 §14): 200 with the
 * whole object, 206 with one range and {@code Content-Range: bytes first-last/length}, or 416 with
 * {@code Content-Range: bytes *}{@code /length}; always {@code Accept-Ranges: bytes}, a strong
 * {@code ETag} and {@code Last-Modified}; {@code If-None-Match} with the current ETag answers 304.
 * The bytes are copied from {@link ByteSource#open} to the response in 64 KiB chunks, never whole
 * into memory. Rules of {@code Range}/{@code If-Range}: {@link ByteRange}.
 */
public final class RangeResponder {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private RangeResponder() {
    }

    /**
     * @param ctx         the request (GET or HEAD)
     * @param source      the object
     * @param contentType its media type, e.g. {@code video/mp4}
     * @throws IOException when the object cannot be read (headers may already be sent)
     */
    public static void send(Context ctx, ByteSource source, String contentType) throws IOException {
        long length = source.length();
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("ETag", source.etag());
        ctx.header("Last-Modified", HTTP_DATE.format(source.lastModified()));
        String none = ctx.header("If-None-Match");
        if (none != null && (none.strip().equals("*") || java.util.Arrays.stream(none.split(","))
                .map(String::strip).map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(source.etag()::equals))) {
            ctx.status(304);
            return;
        }
        ByteRange range = ByteRange.of(ctx.header("Range"), ctx.header("If-Range"), length, source.etag(),
                source.lastModified());
        boolean head = ctx.method() == HandlerType.HEAD;
        switch (range.kind()) {
            case UNSATISFIABLE -> {
                ctx.status(416);
                ctx.header("Content-Range", "bytes */" + length);
            }
            case PARTIAL -> {
                ctx.status(206);
                ctx.contentType(contentType);
                ctx.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
                ctx.header("Content-Length", Long.toString(range.count()));
                if (!head) {
                    copy(source, range.first(), range.last(), ctx);
                }
            }
            default -> {
                ctx.status(200);
                ctx.contentType(contentType);
                ctx.header("Content-Length", Long.toString(length));
                if (!head && length > 0) {
                    copy(source, 0, length - 1, ctx);
                }
            }
        }
    }

    private static void copy(ByteSource source, long first, long last, Context ctx) throws IOException {
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = source.open(first, last)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        }
        out.flush();
    }
}
