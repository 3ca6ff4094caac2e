package io.argus.launcher.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
 *       the connection and each read wait at most {@link #TIMEOUT};</li>
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

    /** Bound on connecting and on the wait for the answer's headers. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();

    private final UrlGuard guard;
    private final FileRoots roots;

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
        this.guard = guard;
        this.roots = roots;
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
        URI at;
        HttpResponse<InputStream> r;
        try {
            at = URI.create(last);
            r = HTTP.send(HttpRequest.newBuilder(at).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            throw notFound("the URL is not valid: " + e.getMessage());
        } catch (IOException e) {
            throw notFound("cannot connect: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notFound("interrupted");
        }
        if (r.statusCode() < 200 || r.statusCode() > 299) {
            r.body().close();
            throw notFound("HTTP " + r.statusCode()
                    + (HttpSourceResolver.REDIRECTS.contains(r.statusCode()) ? " (a redirect after the checks)" : ""));
        }
        String path = at.getRawPath() == null ? "" : at.getRawPath();
        String segment = path.substring(path.lastIndexOf('/') + 1);
        return new Opened(r.body(), name(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)));
    }

    private static String name(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "").strip();
        return clean.isEmpty() ? "video" : clean.length() > 255 ? clean.substring(0, 255) : clean;
    }

    private static UploadRefused notFound(String why) {
        return new UploadRefused(424, "cannot find the video", why);
    }
}
