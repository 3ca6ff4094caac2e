package io.argus.schemas.net;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hides the secrets a URI may carry before it is logged or shown to an API client, who may not be
 * the one who sent it: the user-info ({@code user:password@}, RFC 3986 section 3.2.1, which
 * "is deprecated" there for exactly this reason) and the values of query parameters whose name
 * says they are secret ({@link #SECRET_PARAMETER}: {@code token}, {@code key}, {@code signature},
 * {@code sig}, {@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code auth},
 * {@code credential}, anywhere in the name, case-insensitive, e.g. {@code access_token},
 * {@code X-Amz-Signature}, {@code api_key}). Each is replaced by {@value #MASK}:
 * {@code rtsp://admin:hunter2@cam/live?token=abc&ch=1} becomes
 * {@code rtsp://***@cam/live?token=***&ch=1}.
 *
 * <p>The text is handled as a string, not parsed as a {@link java.net.URI}, so a malformed URI or a
 * local path is redacted as far as it can be and otherwise returned unchanged; nothing throws.
 * Only what is logged or answered is redacted: the source itself is opened with the URI as given.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String MASK = "***";
    /** Longest URI {@link #forLog} writes, in characters: 256. */
    public static final int MAX_LOGGED = 256;
    /** A query parameter name that marks its value as secret (searched for, case-insensitive). */
    public static final Pattern SECRET_PARAMETER =
            Pattern.compile("token|key|signature|sig|password|passwd|pwd|secret|auth|credential");

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    private Redaction() {
    }

    /**
     * @param uri a URI, a local path or any text; null is returned as null
     * @return the text with the user-info and secret query values masked ({@value #MASK})
     */
    public static String uri(String uri) {
        if (uri == null) {
            return null;
        }
        String out = uri;
        var scheme = SCHEME.matcher(out);
        if (scheme.find()) {
            int start = scheme.end();
            int end = start;
            while (end < out.length() && "/?#".indexOf(out.charAt(end)) < 0) {
                end++;
            }
            int at = out.lastIndexOf('@', end - 1);
            if (at >= start) {
                out = out.substring(0, start) + MASK + out.substring(at);
            }
        }
        int q = out.indexOf('?');
        if (q < 0) {
            return out;
        }
        int hash = out.indexOf('#', q);
        String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
        StringBuilder b = new StringBuilder(out.length()).append(out, 0, q + 1);
        String[] pairs = query.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                b.append('&');
            }
            String p = pairs[i];
            int eq = p.indexOf('=');
            if (eq > 0 && SECRET_PARAMETER.matcher(p.substring(0, eq).toLowerCase(Locale.ROOT)).find()) {
                b.append(p, 0, eq + 1).append(MASK);
            } else {
                b.append(p);
            }
        }
        if (hash >= 0) {
            b.append(out, hash, out.length());
        }
        return b.toString();
    }

    /**
     * A URI as a log line shows it: {@link #uri redacted}, and cut to {@value #MAX_LOGGED}
     * characters, followed by {@code "…(N chars)"} with the full length when it was longer.
     *
     * @param uri a URI, a local path or any text; null gives {@code "null"}
     * @return the text to log
     */
    public static String forLog(String uri) {
        if (uri == null) {
            return "null";
        }
        String r = uri(uri);
        return r.length() <= MAX_LOGGED ? r : r.substring(0, MAX_LOGGED) + "…(" + r.length() + " chars)";
    }

    /**
     * {@link #forLog} of an object's text, for log arguments that are URIs or paths.
     *
     * @param uri a {@link java.net.URI}, a path or any object; null gives {@code "null"}
     * @return the text to log
     */
    public static String forLog(Object uri) {
        return forLog(uri == null ? null : uri.toString());
    }
}
