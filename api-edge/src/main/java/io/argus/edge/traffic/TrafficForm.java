package io.argus.edge.traffic;

import static io.argus.edge.request.ApiException.INVALID_PARAMETERS;
import static io.argus.edge.request.ApiException.badRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.argus.edge.http.FormParts;
import io.argus.edge.render.ApiJson;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

/**
 * The multipart form of {@code POST /video} and {@code POST /video-streaming} (traffic-api.md §1,
 * §2): {@code video} (the file), {@code interval} (reporting interval, integer ms); Argus adds
 * {@code lines} (a JSON array of counting lines, as {@code params.tracking.lines}) and
 * {@code async} ({@code true}: answer the job id at once).
 *
 * @param video      the uploaded file
 * @param intervalMs the interval, ms
 * @param lines      the counting lines, or null
 * @param async      answer at once
 */
record TrafficForm(UploadedFile video, long intervalMs, JsonNode lines, boolean async) {

    /** Smallest accepted interval, ms. */
    static final long MIN_INTERVAL_MS = 100;
    /** Largest accepted interval, ms (one day). */
    static final long MAX_INTERVAL_MS = 86_400_000;

    /**
     * @param ctx a multipart/form-data request
     * @return the form
     * @throws io.argus.edge.request.ApiException 400 "invalid parameters" naming the problem: not
     *         multipart, no {@code video} file, an {@code interval} that is not an integer in
     *         [{@value #MIN_INTERVAL_MS}, {@value #MAX_INTERVAL_MS}], {@code lines} not a JSON
     *         array, {@code async} neither true nor false
     */
    static TrafficForm read(Context ctx) {
        UploadedFile video = FormParts.file(ctx, "video", "a file field 'video' and a field 'interval' (ms)");
        String interval = ctx.formParam("interval");
        if (interval == null || interval.isBlank()) {
            throw badRequest(INVALID_PARAMETERS, "missing field 'interval' (integer ms)");
        }
        long ms;
        try {
            ms = Long.parseLong(interval.strip());
        } catch (NumberFormatException e) {
            throw badRequest(INVALID_PARAMETERS, "interval must be an integer of ms, was '" + interval + "'");
        }
        if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
            throw badRequest(INVALID_PARAMETERS, "interval must be ms in [" + MIN_INTERVAL_MS + ", " + MAX_INTERVAL_MS
                    + "], was " + ms);
        }
        JsonNode lines = null;
        String l = ctx.formParam("lines");
        if (l != null && !l.isBlank()) {
            try {
                lines = ApiJson.MAPPER.readTree(l);
            } catch (JsonProcessingException e) {
                throw badRequest(INVALID_PARAMETERS, "lines is not JSON: " + e.getOriginalMessage());
            }
            if (!lines.isArray()) {
                throw badRequest(INVALID_PARAMETERS, "lines must be a JSON array of {name, points, direction}");
            }
        }
        String a = ctx.formParam("async");
        if (a != null && !a.isBlank() && !a.equalsIgnoreCase("true") && !a.equalsIgnoreCase("false")) {
            throw badRequest(INVALID_PARAMETERS, "async must be true or false, was '" + a + "'");
        }
        return new TrafficForm(video, ms, lines, "true".equalsIgnoreCase(a));
    }
}
