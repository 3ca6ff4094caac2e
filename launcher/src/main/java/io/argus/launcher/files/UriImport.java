package io.argus.launcher.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.argus.edge.files.FilesBackend.UploadRefused;
import io.argus.extractor.source.FileRoots;
import io.argus.extractor.source.HttpSourceResolver;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceUri;
import io.argus.schemas.net.UrlGuard;

/**
 * Opens the video a file registration names ({@code POST /api/v1/files} with {@code {"uri"}}), so
 * it can be copied into the store like an upload. The same rules as a job's {@code data.uri}:
 * <ul>
 *   <li>http and https: checked by the URL guard, every redirect too ({@link HttpSourceResolver}),
 *       then fetched with {@code GET} (redirects off: a redirect the probes did not see is refused);
 *       connecting waits at most {@link #TIMEOUT}, each read at most {@link #IDLE}, and a body
 *       that trickles under {@link #MIN_BYTES_PER_SECOND} is cut ({@link Paced});</li>
 *   <li>a local path or {@code file:} URI: only a regular file inside the deployment's file roots
 *       ({@link FileRoots});</li>
 *   <li>rtmp, rtmps and rtsp: refused (400): a live stream has no end to copy; start a live job.</li>
 * </ul>
 * A source that cannot be reached, answers other than 2xx, or is refused answers 424 "cannot find
 * the video", as the job API does, with the reason as the answer's detail.
 *
 * <p>Thread-safe.
 */
public final class UriImport {

    /** Bound on connecting. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Longest wait for a byte of the body (and for the answer's headers). */
    public static final Duration IDLE = Duration.ofSeconds(30);
    /**
     * Slowest average rate accepted once {@link #IDLE} has passed, bytes/s: 64 KiB/s, a 2 GiB file
     * in 9 hours (the trickle of a hostile or broken server, not a slow network).
     */
    public static final long MIN_BYTES_PER_SECOND = 64 * 1024;

    private final UrlGuard guard;
    private final FileRoots roots;
    private final Duration idle;
    private final long minBytesPerSecond;
    private final LongSupplier clockMs;

    /**
     * An open source: its bytes and the name it is recorded under.
     *
     * @param in   the video's bytes, to be closed by the caller
     * @param name the last path segment, URL-decoded, or {@code video} when there is none
     */
    public record Opened(InputStream in, String name) {
    }

    /**
     * @param guard which addresses http(s) sources and their redirects may have
     * @param roots which local files may be read
     */
    public UriImport(UrlGuard guard, FileRoots roots) {
        this(guard, roots, IDLE, MIN_BYTES_PER_SECOND, System::currentTimeMillis);
    }

    /**
     * @param guard             which addresses http(s) sources and their redirects may have
     * @param roots             which local files may be read
     * @param idle              longest wait for a byte; also when the rate floor starts to apply
     * @param minBytesPerSecond slowest average rate accepted after {@code idle}, bytes/s
     * @param clockMs           wall clock, ms
     */
    public UriImport(UrlGuard guard, FileRoots roots, Duration idle, long minBytesPerSecond, LongSupplier clockMs) {
        this.guard = guard;
        this.roots = roots;
        this.idle = idle;
        this.minBytesPerSecond = minBytesPerSecond;
        this.clockMs = clockMs;
    }

    /**
     * @param uri an http(s) URL, a local path or a {@code file:} URI
     * @return the open source
     * @throws UploadRefused 400 "invalid parameters" for a live or unsupported scheme; 424 "cannot
     *                       find the video" when it is refused, missing or unreachable
     * @throws IOException   when reading the local file fails to start
     */
    public Opened open(String uri) throws UploadRefused, IOException {
        SourceUri source;
        try {
            source = SourceUri.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new UploadRefused(400, "invalid parameters", e.getMessage());
        }
        if (source.isLive()) {
            throw new UploadRefused(400, "invalid parameters", "a live stream (" + source.scheme()
                    + ") cannot be registered as a file: start a live job with POST /v1/video");
        }
        if (source.isFile()) {
            Path p = Path.of(source.input());
            if (!Files.isRegularFile(p)) {
                throw notFound("no such file");
            }
            if (!roots.allows(p)) {
                throw notFound("the file is outside the directories this deployment reads");
            }
            return new Opened(Files.newInputStream(p), name(p.getFileName().toString()));
        }
        String last;
        try {
            last = HttpSourceResolver.resolve(source.input(), guard);
        } catch (SourceException e) {
            throw notFound(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        HttpURLConnection c;
        int status;
        try {
            URI at = URI.create(last);
            if (!(at.toURL().openConnection() instanceof HttpURLConnection http)) {
                throw notFound("not an http(s) URL");
            }
            c = http;
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) idle.toMillis());
            status = c.getResponseCode();
        } catch (IllegalArgumentException e) {
            throw notFound("the URL is not valid: " + e.getMessage());
        } catch (IOException e) {
            throw notFound("cannot connect: " + e.getMessage());
        }
        if (status < 200 || status > 299) {
            c.disconnect();
            throw notFound("HTTP " + status
                    + (HttpSourceResolver.REDIRECTS.contains(status) ? " (a redirect after the checks)" : ""));
        }
        String path = c.getURL().getPath() == null ? "" : c.getURL().getPath();
        String segment = path.substring(path.lastIndexOf('/') + 1);
        return new Opened(new Paced(c, c.getInputStream(), idle, minBytesPerSecond, clockMs),
                name(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }

    /**
     * The body of an http(s) source, refusing one that stalls or trickles: a read that waits longer
     * than the idle time for a byte fails (the socket's read timeout), and so does a source whose
     * average rate, once the idle time has passed, is below the floor (bytes keep coming, too
     * slowly to ever finish: the trickle no read timeout catches). Either failure is
     * {@link SlowSource}.
     */
    static final class Paced extends FilterInputStream {
        private final HttpURLConnection connection;
        private final Duration idle;
        private final long floor;
        private final LongSupplier clockMs;
        private final long startMs;
        private long bytes;

        Paced(HttpURLConnection connection, InputStream in, Duration idle, long floor, LongSupplier clockMs) {
            super(in);
            this.connection = connection;
            this.idle = idle;
            this.floor = floor;
            this.clockMs = clockMs;
            this.startMs = clockMs.getAsLong();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (java.net.SocketTimeoutException e) {
                throw new SlowSource("no byte for " + idle.toSeconds() + " s");
            }
            if (n > 0) {
                bytes += n;
            }
            long elapsedMs = clockMs.getAsLong() - startMs;
            if (n >= 0 && elapsedMs > idle.toMillis() && bytes * 1000 / elapsedMs < floor) {
                throw new SlowSource(String.format(java.util.Locale.ROOT,
                        "the source sends %d bytes/s, under the floor of %d", bytes * 1000 / elapsedMs, floor));
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                connection.disconnect();
            }
        }
    }

    /** A source that stalled or sends too slowly (answered 424 with the reason). */
    public static final class SlowSource extends IOException {
        SlowSource(String message) {
            super(message);
        }
    }

    private static String name(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "").strip();
        return clean.isEmpty() ? "video" : clean.length() > 255 ? clean.substring(0, 255) : clean;
    }

    private static UploadRefused notFound(String why) {
        return new UploadRefused(424, "cannot find the video", why);
    }
}
