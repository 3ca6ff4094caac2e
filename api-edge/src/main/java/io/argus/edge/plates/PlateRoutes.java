package io.argus.edge.plates;

import static io.argus.edge.http.Replies.send;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.frames.StoredFrames;
import io.argus.edge.http.Replies;
import io.argus.edge.http.Routes;
import io.argus.edge.openapi.ApiRoutes;
import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;
import io.argus.schemas.plates.PlateText;
import io.javalin.http.Context;

/**
 * Search by licence plate (traffic-api.md, "/licence-plate" and "/search-licence-plate"), over
 * the {@link PlateIndex} this edge keeps from {@code argus.plates}:
 * <ul>
 *   <li>{@code POST /licence-plate} {@code {"licence_plate": "ABC123"}}: one JSON object per
 *       match, as NDJSON ({@code application/x-ndjson}), nearest first: the spec's {@code time}
 *       (ms, the best read's offset) and {@code car_image} (a permanent URL of the vehicle's crop),
 *       plus {@code licence_plate} (the plate as read), {@code distance} (0: exact; confusable
 *       characters count half), {@code confidence}, {@code plate_image}, {@code job},
 *       {@code file_uuid} (the file whose analysis the job is; null for a job that is no file's),
 *       {@code video}, {@code track}, {@code label}, {@code first_seen_ms}, {@code last_seen_ms};
 *   <li>{@code POST /search-licence-plate}, same body: {@code {"results": [{"pic", "time"}]}} with
 *       {@code time} as {@code mm:ss} (the spec's example), {@code pic} the car image URL, plus
 *       {@code file_uuid} as above;
 *   <li>{@code GET /v1/plates/{job}/{track}/car.jpg} and {@code …/plate.jpg}: the crops, cut from
 *       the stored frame of the best read (JPEG; 404 when the plate or its frame is gone).
 * </ul>
 * The query's spaces, case and separators never matter ({@link PlateText}); a query without
 * letters or digits, not a string, or longer than {@value #MAX_QUERY} characters answers 400.
 * Matches are limited to {@value #LIMIT}; results the caller may not see (file-level access) are
 * left out by the {@code visible} filter.
 */
public final class PlateRoutes implements Routes {

    /** Longest query accepted, characters (before normalisation). */
    static final int MAX_QUERY = 64;
    /** Most matches answered. */
    static final int LIMIT = 100;

    private final PlateIndex index;
    private final StoredFrames frames;
    private final java.util.function.BiPredicate<Context, JsonNode> visible;
    private final java.util.function.Function<String, Optional<String>> fileOfJob;

    /**
     * Without files: every result's {@code file_uuid} is null.
     *
     * @param index   the plate index (fed by the caller's {@link PlateFeed})
     * @param frames  the frame store, for the crops
     * @param visible whether a request may see a plate (its JSON: {@code job}, {@code video})
     */
    public PlateRoutes(PlateIndex index, StoredFrames frames, java.util.function.BiPredicate<Context, JsonNode> visible) {
        this(index, frames, visible, job -> Optional.empty());
    }

    /**
     * @param index     the plate index (fed by the caller's {@link PlateFeed})
     * @param frames    the frame store, for the crops
     * @param visible   whether a request may see a plate (its JSON: {@code job}, {@code video})
     * @param fileOfJob job id → the uuid of the file whose analysis it is, empty for jobs that are
     *                  not a file's (e.g. {@link io.argus.edge.files.FileView#ofJob})
     */
    public PlateRoutes(PlateIndex index, StoredFrames frames, java.util.function.BiPredicate<Context, JsonNode> visible,
                       java.util.function.Function<String, Optional<String>> fileOfJob) {
        this.index = index;
        this.frames = frames;
        this.visible = visible;
        this.fileOfJob = java.util.Objects.requireNonNull(fileOfJob, "fileOfJob");
    }

    @Override
    public void register(ApiRoutes api) {
        api.post("/licence-plate", this::licencePlate, op -> op.summary("Find a vehicle by its licence plate").tag("traffic")
                .description("traffic-api.md /licence-plate. Exact matches first, then plates 1 (4-5 characters) or 2 (6 or more) "
                        + "edits away, confusable characters (O/0, I/1, B/8, S/5, Z/2) counting half. Spaces, case and "
                        + "separators never matter.")
                .body("{\"licence_plate\": \"ABC123\"}", true, "application/json")
                .response(200, "one JSON object per match (NDJSON): time (ms), car_image (URL), licence_plate, distance, "
                        + "confidence, plate_image, job, file_uuid (null for a job that is no file's), video, track, label", "application/x-ndjson")
                .response(400, "invalid parameters"));
        api.post("/search-licence-plate", this::searchLicencePlate, op -> op.summary("Plate search, all results at once")
                .tag("traffic").description("traffic-api.md /search-licence-plate.")
                .body("{\"licence_plate\": \"ABC123\"}", true, "application/json")
                .response(200, "{results: [{pic (URL), time (mm:ss), file_uuid}]}").response(400, "invalid parameters"));
        api.get("/v1/plates/{job}/{track}/car.jpg", ctx -> crop(ctx, "vehicle_box"), op -> op
                .summary("The vehicle of a plate, cut from its best frame").tag("traffic")
                .pathParam("job", "job id").pathParam("track", "track id")
                .response(200, "JPEG", "image/jpeg").response(404, "no such plate, or its frame is gone"));
        api.get("/v1/plates/{job}/{track}/plate.jpg", ctx -> crop(ctx, "plate_box"), op -> op
                .summary("The plate, cut from its best frame").tag("traffic")
                .pathParam("job", "job id").pathParam("track", "track id")
                .response(200, "JPEG", "image/jpeg").response(404, "no such plate, or its frame is gone"));
    }

    /**
     * @param body the request body
     * @return the query's normal form
     * @throws ApiException 400 for a body that is not {@code {"licence_plate": "<text>"}}, a text
     *                      longer than {@value #MAX_QUERY} characters or without letters or digits
     */
    static String query(String body) {
        JsonNode json;
        try {
            json = ApiJson.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "the body must be JSON: {\"licence_plate\": \"ABC123\"}");
        }
        JsonNode p = json == null ? null : json.get("licence_plate");
        if (p == null || !p.isTextual()) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "licence_plate must be a string");
        }
        String raw = p.asText();
        if (raw.length() > MAX_QUERY) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "licence_plate must have at most " + MAX_QUERY
                    + " characters (it has " + raw.length() + ")");
        }
        String q = PlateText.normalize(raw);
        if (q.isEmpty()) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS, "licence_plate has no letters or digits");
        }
        return q;
    }

    private List<PlateIndex.Match> matches(Context ctx) throws IOException {
        String q = query(ctx.body());
        return index.search(q, LIMIT * 2).stream().filter(m -> visible.test(ctx, m.event())).limit(LIMIT).toList();
    }

    private void licencePlate(Context ctx) throws IOException {
        List<PlateIndex.Match> found = matches(ctx);
        String base = Replies.baseUrl(ctx);
        ctx.status(200);
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        for (PlateIndex.Match m : found) {
            JsonNode e = m.event();
            ObjectNode o = ApiJson.MAPPER.createObjectNode();
            o.put("time", e.path("time_ms").asLong());
            o.put("car_image", url(base, e, "car.jpg"));
            o.put("licence_plate", e.path("text").asText());
            o.put("distance", m.distance());
            o.put("confidence", e.path("confidence").asDouble());
            o.put("plate_image", url(base, e, "plate.jpg"));
            o.put("job", e.path("job").asText());
            o.put("file_uuid", fileOfJob.apply(e.path("job").asText()).orElse(null));
            o.put("video", e.path("video").asText());
            o.put("track", e.path("track").asLong());
            o.put("label", e.path("label").asText());
            o.put("first_seen_ms", e.path("first_seen_ms").asLong());
            o.put("last_seen_ms", e.path("last_seen_ms").asLong());
            out.write((o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void searchLicencePlate(Context ctx) throws IOException {
        List<PlateIndex.Match> found = matches(ctx);
        String base = Replies.baseUrl(ctx);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ArrayNode results = out.putArray("results");
        for (PlateIndex.Match m : found) {
            long ms = m.event().path("time_ms").asLong();
            results.addObject().put("pic", url(base, m.event(), "car.jpg"))
                    .put("time", String.format("%02d:%02d", ms / 60_000, ms / 1000 % 60))
                    .put("file_uuid", fileOfJob.apply(m.event().path("job").asText()).orElse(null));
        }
        send(ctx, 200, out);
    }

    private static String url(String base, JsonNode e, String name) {
        return base + "/v1/plates/" + URLEncoder.encode(e.path("job").asText(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/" + e.path("track").asLong() + "/" + name;
    }

    private void crop(Context ctx, String boxField) throws IOException {
        String key = ctx.pathParam("job") + "/" + ctx.pathParam("track");
        Optional<JsonNode> e = index.get(key).filter(j -> visible.test(ctx, j));
        if (e.isEmpty() || !e.get().hasNonNull("frame_uri")) {
            send(ctx, 404, ApiJson.error("plate not found").put("detail", "no plate " + key));
            return;
        }
        BufferedImage frame;
        try {
            frame = ImageIO.read(new ByteArrayInputStream(frames.read(e.get().get("frame_uri").asText())));
        } catch (java.nio.file.NoSuchFileException gone) {
            frame = null;
        }
        if (frame == null) {
            send(ctx, 404, ApiJson.error("frame not found").put("detail", "the frame of plate " + key + " is no longer stored"));
            return;
        }
        JsonNode b = e.get().get(boxField);
        int x0 = Math.max(0, b.get(0).asInt());
        int y0 = Math.max(0, b.get(1).asInt());
        int x1 = Math.min(frame.getWidth(), b.get(2).asInt());
        int y1 = Math.min(frame.getHeight(), b.get(3).asInt());
        BufferedImage crop = frame.getSubimage(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        BufferedImage rgb = new BufferedImage(crop.getWidth(), crop.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(crop, 0, 0, null);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpg", jpeg);
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.contentType("image/jpeg");
        ctx.result(jpeg.toByteArray());
    }
}
