package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JsonFields.integral;
import static io.argus.edge.request.JsonFields.onlyFields;
import static io.argus.edge.request.JsonFields.string;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Save;
import io.argus.schemas.store.KeyRules;

/**
 * Reads {@code params.save} (where sampled frames are stored) into a {@link Save}, checking the
 * prefix and the video id with {@link KeyRules}; the accepted values, their effect and the errors
 * are in {@link JobRequestParser}'s class comment.
 */
final class SaveParser {

    /** Fields of {@code params.save} ({@code argus-video-api.md} POST /v1/video). */
    static final List<String> FIELDS = List.of("bucket", "zone", "prefix");

    private SaveParser() {
    }

    /**
     * @param save    the {@code params.save} object, or null when absent
     * @param videoId the {@code <video_id>} path segment, which names saved frames with a prefix
     * @return {@code params.save}: {@code bucket} and {@code zone} as sent, {@code prefix} null
     *         when absent or empty; null when {@code save} is null
     * @throws ApiException (400 "invalid parameters") when a field is not one of {@link #FIELDS}
     *                      or has the wrong JSON type,
     *                      {@code zone} is not a 32-bit integer, {@link KeyRules#checkSavePrefix}
     *                      refuses the prefix, or, with a prefix, the video id is not one key
     *                      segment or is too long together with the prefix
     */
    static Save parse(ObjectNode save, String videoId) {
        if (save == null) {
            return null;
        }
        onlyFields(save, "params.save", FIELDS);
        String bucket = string(save, "bucket", "params.save.bucket");
        Long zone = integral(save, "zone", "params.save.zone");
        if (zone != null && (zone < Integer.MIN_VALUE || zone > Integer.MAX_VALUE)) {
            throw badRequest(INVALID_PARAMETERS, "params.save.zone must be a 32-bit integer, was " + zone);
        }
        String prefix = string(save, "prefix", "params.save.prefix");
        if (prefix != null && prefix.isEmpty()) {
            prefix = null;
        }
        if (prefix != null) {
            try {
                KeyRules.checkSavePrefix(prefix);
            } catch (IllegalArgumentException e) {
                throw badRequest(INVALID_PARAMETERS, "params.save.prefix " + e.getMessage());
            }
            if (!KeyRules.validSegment(videoId)) {
                throw badRequest(INVALID_PARAMETERS, "video_id '" + KeyRules.printable(videoId)
                        + "' cannot name saved frames (params.save.prefix is set): it must be 1 to "
                        + KeyRules.MAX_SEGMENT_LENGTH + " of A-Z a-z 0-9 . _ -, not '.' or '..'");
            }
            try {
                KeyRules.savedFrameDir(prefix, videoId);
            } catch (IllegalArgumentException e) {
                throw badRequest(INVALID_PARAMETERS, "params.save.prefix and video_id: " + e.getMessage());
            }
        }
        return Save.newBuilder()
                .setBucket(bucket)
                .setZone(zone == null ? null : zone.intValue())
                .setPrefix(prefix)
                .build();
    }
}
