package io.argus.extractor.store;

import java.util.regex.Pattern;

/** Validation and building of frame-store keys. */
public final class StoreKeys {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private StoreKeys() {
    }

    /**
     * @param key a relative key
     * @return the key, unchanged
     * @throws IllegalArgumentException when a segment is empty, "." or "..", or has other characters
     */
    public static String check(String key) {
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("bad frame-store key: " + key);
            }
        }
        return key;
    }

    /**
     * @param jobId job id
     * @param seq   frame sequence number
     * @return {@code <job>/<seq, 8 digits>.jpg}
     */
    public static String frame(String jobId, long seq) {
        return check(jobId + "/" + String.format("%08d", seq) + ".jpg");
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
     */
    public static String extraction(String requestId, long seq, String suffix) {
        return check(extractionPrefix(requestId) + "/" + String.format("%08d", seq) + suffix);
    }

    /**
     * @param requestId extraction request id
     * @return {@code extractions/<request>}, the prefix of every artefact of the request
     */
    public static String extractionPrefix(String requestId) {
        return check("extractions/" + requestId);
    }
}
