package io.argus.extractor.store;

import java.util.regex.Pattern;

/**
 * Validation and building of frame-store keys.
 *
 * <p>A key is a relative, slash-separated path of 1 to {@value #MAX_SEGMENTS} segments, at most
 * {@value #MAX_KEY_LENGTH} characters in all; each segment is 1 to {@value #MAX_SEGMENT_LENGTH}
 * characters of ASCII {@code A-Z a-z 0-9 . _ -}, and neither {@code .} nor {@code ..}. So a key
 * built from user input (a video id, a request id) cannot name a parent directory ({@code ../},
 * {@code %2e%2e} and its other encodings, whose {@code %} is refused), an absolute path (a leading
 * {@code /} makes an empty segment; drive letters need {@code :}), a Windows separator ({@code \}),
 * a NUL or other control character, and stays within the file-name (255 bytes) and path limits of
 * common file systems. Stores refuse keys that fail {@link #check}.
 */
public final class StoreKeys {

    /** Longest segment, characters (a file name below the usual 255-byte limit, with room for a suffix). */
    public static final int MAX_SEGMENT_LENGTH = 200;
    /** Longest key, characters. */
    public static final int MAX_KEY_LENGTH = 1024;
    /** Most segments in a key. */
    public static final int MAX_SEGMENTS = 16;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_SEGMENT_LENGTH + "}");

    private StoreKeys() {
    }

    /**
     * @param key a relative key
     * @return the key, unchanged
     * @throws IllegalArgumentException when the key is null, longer than {@value #MAX_KEY_LENGTH}
     *                                  characters or {@value #MAX_SEGMENTS} segments, or a segment is
     *                                  empty, "." or "..", too long, or has other characters (the
     *                                  message shows at most the first 100 characters of the key,
     *                                  with control characters escaped)
     */
    public static String check(String key) {
        if (key == null) {
            throw new IllegalArgumentException("bad frame-store key: null");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("bad frame-store key (longer than " + MAX_KEY_LENGTH + " characters): "
                    + printable(key));
        }
        String[] segments = key.split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            throw new IllegalArgumentException("bad frame-store key (more than " + MAX_SEGMENTS + " segments): "
                    + printable(key));
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("bad frame-store key: " + printable(key));
            }
        }
        return key;
    }

    /**
     * @param key a candidate key
     * @return true when {@link #check} accepts it
     */
    public static boolean validKey(String key) {
        try {
            check(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param segment a candidate single key segment, e.g. a request id
     * @return true when it may be used as one segment of a key (see the class comment)
     */
    public static boolean validSegment(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches() && !segment.equals(".") && !segment.equals("..");
    }

    private static String segment(String id, String what) {
        if (!validSegment(id)) {
            throw new IllegalArgumentException("bad frame-store " + what + ": "
                    + (id == null ? "null" : printable(id)));
        }
        return id;
    }

    private static String printable(String key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(key.length(), 100); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return key.length() > 100 ? b + "…" : b.toString();
    }

    /**
     * @param jobId job id
     * @param seq   frame sequence number
     * @return {@code <job>/<seq, 8 digits>.jpg}
     * @throws IllegalArgumentException when the job id is not a single segment
     */
    public static String frame(String jobId, long seq) {
        return check(segment(jobId, "job id") + "/" + String.format("%08d", seq) + ".jpg");
    }

    /**
     * Key of an extraction artefact: frames, pair frames, flow fields and flow visualisations of a
     * frame or flow extraction request all live under {@code extractions/<request_id>/}, so
     * deleting a request is one {@link FrameStore#deletePrefix}.
     *
     * @param requestId extraction request id
     * @param seq       item sequence number within the request
     * @param suffix    e.g. {@code .jpg}, {@code .pgm}, {@code -pair.pgm}, {@code .flo}, {@code -flow.jpg}
     * @return {@code extractions/<request>/<seq, 8 digits><suffix>}
     * @throws IllegalArgumentException when the request id is not a single segment or the suffix
     *                                  makes an invalid key
     */
    public static String extraction(String requestId, long seq, String suffix) {
        return check(extractionPrefix(requestId) + "/" + String.format("%08d", seq) + suffix);
    }

    /**
     * @param requestId extraction request id
     * @return {@code extractions/<request>}, the prefix of every artefact of the request
     * @throws IllegalArgumentException when the request id is not a single segment (so that one
     *                                  request's prefix never holds another's)
     */
    public static String extractionPrefix(String requestId) {
        return check("extractions/" + segment(requestId, "request id"));
    }
}
