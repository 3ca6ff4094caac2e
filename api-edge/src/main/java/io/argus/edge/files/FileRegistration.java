package io.argus.edge.files;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The JSON body of {@code POST /api/v1/files} that registers a video by URI instead of uploading
 * it: {@code {"uri": "https://…/a.mp4", "ops": "detection", "interval": 0.2}}. {@code ops} and
 * {@code interval} mean what the multipart form's fields mean ({@link UploadAnalysis}); an
 * interval may be a JSON number or a string.
 *
 * @param uri      an http(s) URL, a local path or a {@code file:} URI (at most {@value #MAX_URI} characters)
 * @param ops      the {@code ops} field as the form would carry it, or null
 * @param interval the {@code interval} field as text, or null
 */
record FileRegistration(String uri, String ops, String interval) {

    /** Longest URI accepted, characters. */
    static final int MAX_URI = 4096;

    private static final List<String> FIELDS = List.of("uri", "ops", "interval");

    /**
     * @param body the request body
     * @return the registration
     * @throws io.argus.edge.request.ApiException 400 for a body that is not such an object
     */
    static FileRegistration parse(byte[] body) {
        JsonNode root = AccessForms.object(body);
        AccessForms.only(root, FIELDS);
        JsonNode uri = root.get("uri");
        if (uri == null || !uri.isTextual() || uri.asText().isBlank()) {
            throw badRequest(INVALID_PARAMETERS, "uri must be a non-empty string: the video's http(s) URL or path");
        }
        if (uri.asText().length() > MAX_URI) {
            throw badRequest(INVALID_PARAMETERS, "uri is longer than " + MAX_URI + " characters");
        }
        JsonNode ops = root.get("ops");
        if (ops != null && !ops.isNull() && !ops.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, "ops must be a string of comma-separated op names, or \"none\"");
        }
        JsonNode interval = root.get("interval");
        if (interval != null && !interval.isNull() && !interval.isNumber() && !interval.isTextual()) {
            throw badRequest(INVALID_PARAMETERS, "interval must be seconds between analysed frames, a number");
        }
        return new FileRegistration(uri.asText().strip(), ops == null || ops.isNull() ? null : ops.asText(),
                interval == null || interval.isNull() ? null : interval.asText());
    }
}
