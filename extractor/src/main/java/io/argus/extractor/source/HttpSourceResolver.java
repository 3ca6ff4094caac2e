package io.argus.extractor.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.argus.schemas.net.UrlGuard;

/**
 * Checks a network source against a {@link UrlGuard} before FFmpeg opens it, and follows the
 * redirects of an http(s) source by hand so that every hop is checked (OWASP SSRF Prevention Cheat
 * Sheet: do not let the fetching library follow redirects blindly).
 *
 * <p>For http and https: each hop is checked, then probed with {@code HEAD} (redirects off); a
 * {@code 301}, {@code 302}, {@code 303}, {@code 307} or {@code 308} answer with a {@code Location}
 * moves to the next hop (at most {@value UrlGuard#MAX_REDIRECTS}); a 2xx answer ends the chain;
 * any other answer is probed again with {@code GET} and {@code Range: bytes=0-0} (servers that
 * refuse {@code HEAD}, or sign URLs per method), whose body is not read. The last hop is what FFmpeg
 * opens; the original string when there was no redirect. A hop that cannot be reached (refused
 * connection, timeout, unresolvable name) ends the chain there and is left to FFmpeg, which reports
 * it as before (424 "cannot find the video").
 *
 * <p>For rtmp, rtmps and rtsp only the host is checked: those protocols have no redirect Argus
 * can intercept.
 *
 * <p>What stays open: FFmpeg resolves the host again when it connects (DNS rebinding can swap the
 * address in between), and it follows redirects by itself when a server answers its own
 * {@code GET} (or a later range request) differently from the probes. The probes narrow the window;
 * they do not close it.
 *
 * <p>Thread-safe.
 */
public final class HttpSourceResolver {

    /** Redirect statuses followed (FFmpeg's http protocol follows the same). */
    public static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Bound on each probe: connect and answer headers. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(PROBE_TIMEOUT)
            .build();

    private HttpSourceResolver() {
    }

    /**
     * @param url   a network source URL (http, https, rtmp, rtmps or rtsp)
     * @param guard the addresses it and its redirects may have
     * @return what FFmpeg should open: {@code url} itself, or the last hop of its redirects
     * @throws SourceException 424 "cannot find the video" when the guard refuses the URL or a hop
     *                         (the reason is in the cause), or when there are more than
     *                         {@value UrlGuard#MAX_REDIRECTS} redirects
     */
    public static String resolve(String url, UrlGuard guard) throws SourceException {
        if (guard.allowsAll()) {
            return url;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw refused("the URL is not valid: " + e.getReason());
        }
        for (int hop = 0; ; hop++) {
            UrlGuard.Decision d = guard.check(uri);
            if (d.refused()) {
                throw refused(hop == 0 ? d.reason() : "redirect " + hop + " refused: " + d.reason());
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return hop == 0 ? url : uri.toString();
            }
            Optional<URI> next = next(uri);
            if (next.isEmpty()) {
                return hop == 0 ? url : uri.toString();
            }
            if (hop == UrlGuard.MAX_REDIRECTS) {
                throw refused("more than " + UrlGuard.MAX_REDIRECTS + " redirects");
            }
            uri = next.get();
        }
    }

    /** @return the redirect target of {@code uri}, or empty when it is the last hop */
    private static Optional<URI> next(URI uri) throws SourceException {
        HttpRequest head;
        try {
            head = HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // e.g. user info the JDK client refuses: FFmpeg opens it as given
        }
        HttpResponse<Void> r;
        try {
            r = HTTP.send(head, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SourceException.notFound(e);
        }
        if (REDIRECTS.contains(r.statusCode())) {
            return location(uri, r);
        }
        if (r.statusCode() >= 200 && r.statusCode() <= 299) {
            return Optional.empty();
        }
        HttpRequest get = HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).header("Range", "bytes=0-0").GET().build();
        try {
            HttpResponse<InputStream> g = HTTP.send(get, HttpResponse.BodyHandlers.ofInputStream());
            g.body().close(); // never read the video itself
            return REDIRECTS.contains(g.statusCode()) ? location(uri, g) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SourceException.notFound(e);
        }
    }

    private static Optional<URI> location(URI from, HttpResponse<?> r) throws SourceException {
        String location = r.headers().firstValue("Location").orElse(null);
        if (location == null || location.isBlank()) {
            return Optional.empty(); // FFmpeg reports the redirect without a target as before
        }
        try {
            URI next = from.resolve(new URI(location.trim()));
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || next.getHost() == null) {
                throw refused("a redirect to a URL that is not absolute http(s)");
            }
            return Optional.of(next);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw refused("a redirect to an invalid URL");
        }
    }

    private static SourceException refused(String reason) {
        return SourceException.notFound(new SecurityException("source URL refused: " + reason));
    }
}
