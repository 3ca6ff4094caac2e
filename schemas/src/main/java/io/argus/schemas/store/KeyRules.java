package io.argus.schemas.store;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of frame-store keys, shared by the stages that build keys (ingest, the flow workers,
 * through the extractor's {@code StoreKeys}) and the edge, which refuses user input that could not
 * become a key before a job is accepted.
 *
 * <p>A key is a relative, slash-separated path of 1 to {@value #MAX_SEGMENTS} segments, at most
 * {@value #MAX_KEY_LENGTH} characters in all; each segment is 1 to {@value #MAX_SEGMENT_LENGTH}
 * characters of ASCII {@code A-Z a-z 0-9 . _ -}, and neither {@code .} nor {@code ..}. So a key
 * built from user input (a video id, a request id, a {@code params.save.prefix}) cannot name a
 * parent directory ({@code ../}, {@code %2e%2e} and its other encodings, whose {@code %} is
 * refused), an absolute path (a leading {@code /} makes an empty segment; drive letters need
 * {@code :}), a Windows separator ({@code \}), a NUL or other control character, and stays within
 * the file-name (255 bytes) and path limits of common file systems.
 *
 * <p>Saved frames ({@code params.save} of {@code POST /v1/video}, {@code argus-video-api.md}) are
 * named {@code <prefix>/<video_id>/<offset_ms>.jpg}; {@link #savedFrameDir} checks a prefix and a
 * video id for that use.
 */
public final class KeyRules {

    /** Longest segment, characters (a file name below the usual 255-byte limit, with room for a suffix). */
    public static final int MAX_SEGMENT_LENGTH = 200;
    /** Longest key, characters. */
    public static final int MAX_KEY_LENGTH = 1024;
    /** Most segments in a key. */
    public static final int MAX_SEGMENTS = 16;
    /** Most segments of a {@code params.save.prefix}: a saved frame's key adds the video id and the file name. */
    public static final int MAX_SAVE_PREFIX_SEGMENTS = MAX_SEGMENTS - 2;
    /**
     * First segments a {@code params.save.prefix} may not have, compared ignoring case (for
     * case-insensitive file systems): {@code extractions} holds the files of the frame &amp; flow
     * service, which deletes them by request ({@code extractions/<request_id>}).
     */
    public static final Set<String> RESERVED_ROOTS = Set.of("extractions");
    /**
     * The longest file name of a saved frame: an offset and a sequence number of 19 digits each
     * (the name of a frame whose offset repeats the previous frame's) and {@code .jpg}.
     */
    public static final int MAX_SAVED_NAME_LENGTH = 2 * String.valueOf(Long.MAX_VALUE).length() + "-.jpg".length();

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_SEGMENT_LENGTH + "}");

    private KeyRules() {
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
            if (!validSegment(segment)) {
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
     * @param segment a candidate single key segment, e.g. a request id or a video id
     * @return true when it may be used as one segment of a key (see the class comment)
     */
    public static boolean validSegment(String segment) {
        return segment != null && SEGMENT.matcher(segment).matches() && !segment.equals(".") && !segment.equals("..");
    }

    /**
     * Checks a {@code params.save.prefix}: a key of 1 to {@value #MAX_SAVE_PREFIX_SEGMENTS} segments
     * (see the class comment) whose first segment is not one of {@link #RESERVED_ROOTS}.
     *
     * @param prefix the prefix as the client sent it
     * @return the prefix, unchanged
     * @throws IllegalArgumentException when the prefix is refused; the message completes the
     *                                  sentence "params.save.prefix …" (e.g. "has an empty
     *                                  segment") and quotes at most 100 characters of the prefix,
     *                                  control characters escaped
     */
    public static String checkSavePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (prefix.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_KEY_LENGTH + " characters");
        }
        String[] segments = prefix.split("/", -1);
        if (segments.length > MAX_SAVE_PREFIX_SEGMENTS) {
            throw new IllegalArgumentException("has more than " + MAX_SAVE_PREFIX_SEGMENTS + " segments: '"
                    + printable(prefix) + "'");
        }
        for (String segment : segments) {
            if (!validSegment(segment)) {
                throw new IllegalArgumentException(describe(segment) + ": '" + printable(prefix)
                        + "'; segments are separated by '/' and are 1 to " + MAX_SEGMENT_LENGTH
                        + " of A-Z a-z 0-9 . _ -, not '.' or '..'");
            }
        }
        if (RESERVED_ROOTS.contains(segments[0].toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("may not start with '" + segments[0]
                    + "', which holds the frame & flow service's files");
        }
        return prefix;
    }

    /**
     * The directory of a job's saved frames, {@code <prefix>/<video_id>}, with room left for the
     * longest file name ({@value #MAX_SAVED_NAME_LENGTH} characters) within {@value #MAX_KEY_LENGTH}.
     *
     * @param prefix  the job's {@code params.save.prefix}
     * @param videoId the job's video id
     * @return {@code <prefix>/<video_id>}
     * @throws IllegalArgumentException when {@link #checkSavePrefix} refuses the prefix, the video
     *                                  id is not a single key segment, or the two together leave no
     *                                  room for the file name
     */
    public static String savedFrameDir(String prefix, String videoId) {
        try {
            checkSavePrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("save prefix " + e.getMessage(), e);
        }
        if (!validSegment(videoId)) {
            throw new IllegalArgumentException("video id " + (videoId == null ? "null" : "'" + printable(videoId) + "'")
                    + " cannot name saved frames: it must be 1 to " + MAX_SEGMENT_LENGTH
                    + " of A-Z a-z 0-9 . _ -, not '.' or '..'");
        }
        String dir = prefix + "/" + videoId;
        if (dir.length() + 1 + MAX_SAVED_NAME_LENGTH > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("save prefix and video id are too long together: "
                    + dir.length() + " characters, at most " + (MAX_KEY_LENGTH - 1 - MAX_SAVED_NAME_LENGTH));
        }
        return dir;
    }

    private static String describe(String segment) {
        if (segment.isEmpty()) {
            return "has an empty segment (a leading, trailing or doubled '/')";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "has a '" + segment + "' segment";
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            return "has a segment longer than " + MAX_SEGMENT_LENGTH + " characters";
        }
        return "has a character outside A-Z a-z 0-9 . _ - /";
    }

    /**
     * @param text any text, e.g. a refused key
     * @return at most its first 100 characters, control characters escaped as {@code \}{@code uXXXX},
     *         with "…" when cut
     */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 100); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return text.length() > 100 ? b + "…" : b.toString();
    }
}
