package io.argus.extractor.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A job's {@code data.uri}, classified: a local file (plain path or {@code file:} URI) or a
 * network URL (http, https, rtmp, rtsp).
 *
 * @param input what FFmpeg opens (an absolute path for files, the URL otherwise)
 * @param scheme lower-case scheme: file, http, https, rtmp, rtmps or rtsp
 */
public record SourceUri(String input, String scheme) {

    /**
     * @param uri data.uri as given by the client
     * @return the classified source
     * @throws IllegalArgumentException when the scheme is not supported
     */
    public static SourceUri parse(String uri) {
        String trimmed = uri.trim();
        int colon = trimmed.indexOf(':');
        String scheme = colon > 1 ? trimmed.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        switch (scheme) {
            case "http", "https", "rtmp", "rtmps", "rtsp":
                return new SourceUri(trimmed, scheme);
            case "file":
                return new SourceUri(Path.of(URI.create(trimmed)).toAbsolutePath().toString(), "file");
            case "":
                return new SourceUri(Path.of(trimmed).toAbsolutePath().toString(), "file");
            default:
                throw new IllegalArgumentException("unsupported uri scheme: " + scheme);
        }
    }

    /** @return true for a local file */
    public boolean isFile() {
        return "file".equals(scheme);
    }

    /** @return true for a live protocol (rtmp, rtmps, rtsp) */
    public boolean isLive() {
        return scheme.startsWith("rtmp") || "rtsp".equals(scheme);
    }
}
