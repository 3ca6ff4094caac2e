package io.argus.schemas.net;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one definition of what a source URI's scheme means, shared by the edge (request
 * validation: {@code data.uri} of jobs, {@code uri} of frame and flow requests) and by ingest
 * (opening the source): which schemes are accepted, which reach the network, and which are live.
 *
 * <p>A scheme is RFC 3986's {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )} followed by
 * {@code ':'}, of at least two characters, so that a Windows drive letter ({@code C:}) is not
 * taken for one. A URI without a scheme is a local path.
 */
public final class SourceSchemes {

    /** Accepted schemes; a URI without a scheme is a local path. */
    public static final Set<String> ACCEPTED = Set.of("http", "https", "rtmp", "rtmps", "rtsp", "file");
    /** Schemes of sources reached over the network (checked by the {@link UrlGuard}). */
    public static final Set<String> NETWORK = Set.of("http", "https", "rtmp", "rtmps", "rtsp");
    /**
     * Schemes of live sources: a live job runs until it is killed, terminated or timed out, so the
     * edge answers its POST asynchronously, and frame and flow extraction refuses it.
     */
    public static final Set<String> LIVE = Set.of("rtmp", "rtmps", "rtsp");

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]+):");

    private SourceSchemes() {
    }

    /**
     * @param uri a source URI or local path, leading and trailing blanks ignored; null gives empty
     * @return its scheme in lower case, or empty for a local path (no scheme)
     */
    public static Optional<String> scheme(String uri) {
        if (uri == null) {
            return Optional.empty();
        }
        Matcher m = SCHEME.matcher(uri.strip());
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /**
     * @param uri a source URI or local path (null: not live)
     * @return true when its scheme is one of {@link #LIVE} (case-insensitive)
     */
    public static boolean isLive(String uri) {
        return scheme(uri).map(LIVE::contains).orElse(false);
    }
}
