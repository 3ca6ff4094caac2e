package io.argus.extractor.store;

import io.argus.schemas.store.KeyRules;

/**
 * Validation and building of frame-store keys.
 *
 * <p>A key is a relative, slash-separated path of 1 to {@value #MAX_SEGMENTS} segments, at most
 * {@value #MAX_KEY_LENGTH} characters in all; each segment is 1 to {@value #MAX_SEGMENT_LENGTH}
 * characters of ASCII {@code A-Z a-z 0-9 . _ -}, and neither {@code .} nor {@code ..}. So a key
 * built from user input (a video id, a request id, a {@code params.save.prefix}) cannot name a
 * parent directory ({@code ../}, {@code %2e%2e} and its other encodings, whose {@code %} is
 * refused), an absolute path (a leading {@code /} makes an empty segment; drive letters need
 * {@code :}), a Windows separator ({@code \}), a NUL or other control character, and stays within
 * the file-name (255 bytes) and path limits of common file systems. Stores refuse keys that fail
 * {@link #check}. The rules themselves are {@link KeyRules} (module schemas), so that the edge
 * refuses the same input before a job is accepted.
 */
public final class StoreKeys {

    /** Longest segment, characters (a file name below the usual 255-byte limit, with room for a suffix). */
    public static final int MAX_SEGMENT_LENGTH = KeyRules.MAX_SEGMENT_LENGTH;
    /** Longest key, characters. */
    public static final int MAX_KEY_LENGTH = KeyRules.MAX_KEY_LENGTH;
    /** Most segments in a key. */
    public static final int MAX_SEGMENTS = KeyRules.MAX_SEGMENTS;

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
        return KeyRules.check(key);
    }

    /**
     * @param key a candidate key
     * @return true when {@link #check} accepts it
     */
    public static boolean validKey(String key) {
        return KeyRules.validKey(key);
    }

    /**
     * @param segment a candidate single key segment, e.g. a request id
     * @return true when it may be used as one segment of a key (see the class comment)
     */
    public static boolean validSegment(String segment) {
        return KeyRules.validSegment(segment);
    }

    private static String segment(String id, String what) {
        if (!validSegment(id)) {
            throw new IllegalArgumentException("bad frame-store " + what + ": "
                    + (id == null ? "null" : KeyRules.printable(id)));
        }
        return id;
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
     * Key of a saved frame ({@code params.save} of {@code POST /v1/video}, {@code argus-video-api.md}):
     * {@code <prefix>/<video_id>/<offset_ms>.jpg}, the spec's {@code <prefix>/<video_id>/<offset>}.
     *
     * @param prefix   the job's {@code params.save.prefix}
     * @param videoId  the job's video id
     * @param offsetMs the frame's offset, ms
     * @return the key
     * @throws IllegalArgumentException when {@link KeyRules#savedFrameDir} refuses the prefix or
     *                                  the video id
     */
    public static String savedFrame(String prefix, String videoId, long offsetMs) {
        return check(KeyRules.savedFrameDir(prefix, videoId) + "/" + offsetMs + ".jpg");
    }

    /**
     * Key of a saved frame whose offset repeats the previous frame's of the same job (offsets never
     * decrease but may repeat, e.g. keyframes with equal timestamps):
     * {@code <prefix>/<video_id>/<offset_ms>-<seq>.jpg}, so that it does not replace that frame.
     *
     * @param prefix   the job's {@code params.save.prefix}
     * @param videoId  the job's video id
     * @param offsetMs the frame's offset, ms
     * @param seq      the frame's sequence number in the job
     * @return the key
     * @throws IllegalArgumentException when {@link KeyRules#savedFrameDir} refuses the prefix or
     *                                  the video id
     */
    public static String savedFrame(String prefix, String videoId, long offsetMs, long seq) {
        return check(KeyRules.savedFrameDir(prefix, videoId) + "/" + offsetMs + "-" + seq + ".jpg");
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
