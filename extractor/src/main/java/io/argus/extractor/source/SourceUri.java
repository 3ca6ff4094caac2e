package io.argus.extractor.source;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import io.argus.schemas.net.SourceSchemes;

/**
 * A job's {@code data.uri}, classified: a local file (plain path or {@code file:} URI) or a
 * network URL (http, https, rtmp, rtmps, rtsp). Schemes are read as the edge reads them
 * ({@link SourceSchemes}), so a path such as {@code /videos/a:b.mp4} is a local file on both sides.
 *
 * @param input what FFmpeg opens (an absolute path for files, the URL otherwise)
 * @param scheme lower-case scheme: file, http, https, rtmp, rtmps or rtsp
 */
public record SourceUri(String input, String scheme) {

    /**
     * A {@code file:} URI whose host is {@code localhost} names a local path, as one without a host
     * does (RFC 8089, section 2). A local path that cannot name a file on this machine (a NUL
     * character, a {@code file:} URI with another host or that is not a valid URI) is kept as
     * given, as a file source:
     * {@link SourceOpener#open} finds no such file and reports 424 "cannot find the video".
     *
     * @param uri data.uri as given by the client
     * @return the classified source
     * @throws IllegalArgumentException when the scheme is not supported
     */
    public static SourceUri parse(String uri) {
        String trimmed = uri.trim();
        String scheme = SourceSchemes.scheme(trimmed).orElse("");
        switch (scheme) {
            case "http", "https", "rtmp", "rtmps", "rtsp":
                return new SourceUri(trimmed, scheme);
            case "file":
                try {
                    URI u = URI.create(trimmed);
                    if ("localhost".equalsIgnoreCase(u.getHost()) && u.getRawPath() != null) {
                        // RFC 8089 section 2: "localhost" is this machine, the same as no host
                        u = new URI("file", null, u.getPath(), null);
                    }
                    return new SourceUri(Path.of(u).toAbsolutePath().toString(), "file");
                } catch (java.net.URISyntaxException e) {
                    return new SourceUri(trimmed, "file");
                } catch (IllegalArgumentException e) { // e.g. file://host/x: "URI has an authority component"
                    return new SourceUri(trimmed, "file");
                }
            case "":
                try {
                    return new SourceUri(Path.of(trimmed).toAbsolutePath().toString(), "file");
                } catch (InvalidPathException e) { // e.g. a NUL character
                    return new SourceUri(trimmed, "file");
                }
            default:
                throw new IllegalArgumentException("unsupported uri scheme: " + scheme);
        }
    }

    /** @return true for a local file */
    public boolean isFile() {
        return "file".equals(scheme);
    }

    /** @return true for a live protocol ({@link SourceSchemes#LIVE}: rtmp, rtmps, rtsp) */
    public boolean isLive() {
        return SourceSchemes.LIVE.contains(scheme);
    }
}
