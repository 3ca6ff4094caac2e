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
}
