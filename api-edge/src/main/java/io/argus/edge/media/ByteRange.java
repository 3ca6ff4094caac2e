package io.argus.edge.media;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * What a GET with {@code Range} and {@code If-Range} asks of a representation of known length,
 * per RFC 9110 §14 (range requests) and §13.1.5 (If-Range): one byte range, a suffix range, or the
 * whole representation.
 *
 * <ul>
 *   <li>{@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n} are served as one range;
 *       {@code b} past the end is cut to the end (§14.1.2); a suffix longer than the
 *       representation is the whole of it.
 *   <li>A range starting at or past the end, or {@code bytes=-0}: unsatisfiable (416 with
 *       {@code Content-Range: bytes *}{@code /length}, §15.5.17).
 *   <li>Several ranges in one header: Argus serves only single ranges and answers the whole
 *       representation with 200, which §14.2 allows ("a server MAY ignore the Range header").
 *   <li>A header that does not parse, or another unit than {@code bytes}: ignored (§14.2), 200.
 *   <li>{@code If-Range} with an entity tag: the range holds only when it equals the current ETag
 *       by strong comparison (a weak tag never matches); with an HTTP date: only when it equals
 *       the last modification time (§13.1.5). Otherwise the whole representation, 200.
 * </ul>
 *
 * @param kind  what to answer
 * @param first first byte (0-based) of a {@link Kind#PARTIAL} answer
 * @param last  last byte (inclusive) of a {@link Kind#PARTIAL} answer
 */
public record ByteRange(Kind kind, long first, long last) {

    /** What to answer. */
    public enum Kind {
        /** 200 with the whole representation. */
        FULL,
        /** 206 with bytes {@code first..last}. */
        PARTIAL,
        /** 416, no body. */
        UNSATISFIABLE
    }

    private static final ByteRange FULL = new ByteRange(Kind.FULL, -1, -1);
    private static final ByteRange UNSATISFIABLE = new ByteRange(Kind.UNSATISFIABLE, -1, -1);

    /**
     * @param range        the {@code Range} header, or null
     * @param ifRange      the {@code If-Range} header, or null
     * @param length       the representation's length in bytes
     * @param etag         its current strong ETag, quoted
     * @param lastModified its last modification time
     * @return what to answer
     */
    public static ByteRange of(String range, String ifRange, long length, String etag, Instant lastModified) {
        if (range == null || range.isBlank()) {
            return FULL;
        }
        if (ifRange != null && !ifRange.isBlank() && !ifRangeHolds(ifRange.strip(), etag, lastModified)) {
            return FULL;
        }
        String r = range.strip();
        int eq = r.indexOf('=');
        if (eq < 0 || !r.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return FULL;
        }
        String spec = r.substring(eq + 1).strip();
        if (spec.contains(",")) {
            return FULL;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return FULL;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return FULL;
                }
                long n = digits(b);
                if (n == 0 || length == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Kind.PARTIAL, Math.max(0, length - n), length - 1);
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (last < first) {
                return FULL; // syntactically invalid range: ignored (§14.1.1)
            }
            if (first >= length) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Kind.PARTIAL, first, Math.min(last, length - 1));
        } catch (NumberFormatException e) {
            return FULL;
        }
    }

    /** @return the byte count of a partial answer */
    public long count() {
        return last - first + 1;
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }

    private static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
        if (ifRange.startsWith("W/")) {
            return false;
        }
        if (ifRange.startsWith("\"")) {
            return ifRange.equals(etag);
        }
        try {
            Instant when = ZonedDateTime.parse(ifRange, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return when.getEpochSecond() == lastModified.getEpochSecond();
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
