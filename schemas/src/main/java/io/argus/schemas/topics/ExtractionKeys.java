package io.argus.schemas.topics;

import java.util.Locale;

import io.argus.schemas.avro.ExtractionKind;

/**
 * Keys of the compacted index topic argus.extracted:
 * {@code <kind>/<pattern>/<video_id>/<request_id>/<seq, 10 digits>}, kind in lower case
 * ({@code frame} or {@code flow}). Keys sort by kind, pattern, video, request, then frame order, so
 * "items of a pattern" and "items of a pattern and video" are prefix scans.
 */
public final class ExtractionKeys {

    private ExtractionKeys() {
    }

    /**
     * @param kind      frame or flow
     * @param pattern   sampling pattern
     * @param videoId   video id
     * @param requestId request id
     * @param seq       item sequence number, &gt;= 0
     * @return the index key
     */
    public static String item(ExtractionKind kind, String pattern, String videoId, String requestId, long seq) {
        return request(kind, pattern, videoId, requestId) + String.format("%010d", seq);
    }

    /**
     * @param kind      frame or flow
     * @param pattern   sampling pattern
     * @param videoId   video id
     * @param requestId request id
     * @return the prefix of every key of the request, ending with {@code /}
     */
    public static String request(ExtractionKind kind, String pattern, String videoId, String requestId) {
        return video(kind, pattern, videoId) + requestId + "/";
    }

    /**
     * @param kind    frame or flow
     * @param pattern sampling pattern
     * @param videoId video id
     * @return the prefix of every key of the pattern and video, ending with {@code /}
     */
    public static String video(ExtractionKind kind, String pattern, String videoId) {
        return pattern(kind, pattern) + videoId + "/";
    }

    /**
     * @param kind    frame or flow
     * @param pattern sampling pattern
     * @return the prefix of every key of the pattern, ending with {@code /}
     */
    public static String pattern(ExtractionKind kind, String pattern) {
        return kind.name().toLowerCase(Locale.ROOT) + "/" + pattern + "/";
    }
}
