package io.argus.edge.extract;

import java.util.Locale;
import java.util.regex.Pattern;

import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.topics.ExtractionKeys;

/**
 * Names the frame &amp; flow service relies on: video ids, kind names, index keys and frame-store
 * prefixes. Index keys are built by the shared {@link ExtractionKeys} (schemas), as ingest and the
 * flow workers build them.
 *
 * <pre>
 *   index key          &lt;kind&gt;/&lt;pattern&gt;/&lt;video_id&gt;/&lt;request_id&gt;/&lt;seq, 10 digits&gt;
 *                      e.g. frame/uniform/v-1f3a.../4b1c-.../0000000007
 *   frame store prefix extractions/&lt;request_id&gt;   (every file of a request: frames, pair frames,
 *                                                 .flo fields, visualisations)
 * </pre>
 * {@code kind} is {@code frame} or {@code flow} (lower-case {@link ExtractionKind}); {@code pattern}
 * is the wire name of {@link ExtractionPattern}. Keys sort by kind, pattern, video, request, then
 * sequence number, which makes every query of {@link ExtractionCatalog} a prefix scan. Video ids
 * never contain {@code /} ({@link #VIDEO_ID}); request ids are UUIDs.
 */
public final class ExtractionIds {

    /** Accepted video ids: 1–128 of {@code A-Z a-z 0-9 . _ -}, not {@code .} or {@code ..}. */
    public static final Pattern VIDEO_ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,128}");
    /** Prefix of every frame-store key of extractions. */
    public static final String STORE_ROOT = "extractions";
    /**
     * Accepted request ids in frame-store prefixes: one frame-store key segment, 1–200 of
     * {@code A-Z a-z 0-9 . _ -}, not {@code .} or {@code ..} (the rule of the extractor's
     * {@code StoreKeys}); the edge's own ids are UUIDs.
     */
    public static final Pattern REQUEST_ID = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,200}");

    private ExtractionIds() {
    }

    /** @return {@code frame} or {@code flow} */
    public static String kind(ExtractionKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param videoId a candidate video id
     * @return true when it may be used as a video id (and as a key segment)
     */
    public static boolean validVideoId(String videoId) {
        return videoId != null && VIDEO_ID.matcher(videoId).matches();
    }

    /**
     * @param kind    frame or flow
     * @param pattern sampling pattern
     * @return {@code <kind>/<pattern>/}: every item of that kind and pattern
     */
    public static String prefix(ExtractionKind kind, ExtractionPattern pattern) {
        return ExtractionKeys.pattern(kind, pattern.wire());
    }

    /**
     * @param kind    frame or flow
     * @param pattern sampling pattern
     * @param videoId video id
     * @return {@code <kind>/<pattern>/<video_id>/}: every item of that kind, pattern and video
     */
    public static String prefix(ExtractionKind kind, ExtractionPattern pattern, String videoId) {
        return ExtractionKeys.video(kind, pattern.wire(), videoId);
    }

    /**
     * @param status a request's status (kind, pattern, video and request id)
     * @return {@code <kind>/<pattern>/<video_id>/<request_id>/}: every item of the request
     */
    public static String requestPrefix(ExtractionStatus status) {
        return ExtractionKeys.request(status.getKind(), status.getPattern(), status.getVideoId(),
                status.getRequestId());
    }

    /**
     * @param item an item
     * @return its index key, {@code <kind>/<pattern>/<video_id>/<request_id>/<seq, 10 digits>}
     */
    public static String itemKey(ExtractedItem item) {
        return ExtractionKeys.item(item.getKind(), item.getPattern(), item.getVideoId(), item.getRequestId(),
                item.getSeq());
    }

    /**
     * @param requestId request id
     * @return {@code extractions/<request_id>}: the frame-store prefix of the request's files
     *         ({@link ExtractionStorage#deletePrefix} deletes the keys below {@code prefix/})
     * @throws IllegalArgumentException when the id is not a single key segment ({@link #REQUEST_ID}),
     *                                  so a prefix never names another directory of the store
     */
    public static String storePrefix(String requestId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("request id is not a valid frame-store key segment");
        }
        return STORE_ROOT + "/" + requestId;
    }
}
