package io.argus.edge.extract;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;
import io.argus.schemas.avro.ExtractionStatus;
import io.argus.schemas.avro.FlowStats;

/**
 * Extraction records -&gt; the JSON answers of the frame &amp; flow routes. {@code kind} is
 * {@code "frame"} or {@code "flow"}, {@code pattern} its wire name; offsets are integer ms from the
 * video start; sizes in pixels; times are UTC {@code yyyy-MM-ddTHH:mm:ssZ} ({@link ApiJson#time}).
 */
public final class ExtractionJson {

    private ExtractionJson() {
    }

    /**
     * The answer of POST /frame and POST /flow.
     * <pre>{"id": request id, "kind", "pattern", "video_id", "seed" (random only)}</pre>
     *
     * @param r the accepted request
     * @return the JSON object
     */
    public static ObjectNode accepted(ExtractionRequest r) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", r.getRequestId());
        out.put("kind", ExtractionIds.kind(r.getKind()));
        out.put("pattern", r.getPattern());
        out.put("video_id", r.getVideoId());
        if (r.getSeed() != null) {
            out.put("seed", r.getSeed());
        }
        return out;
    }

    /**
     * The answer of GET /frame and GET /flow.
     * <pre>{"pattern", "kind", "items": [{@link #item}, …]}</pre>
     *
     * @param kind    frame or flow
     * @param pattern the pattern asked for
     * @param items   the items, in key order
     * @return the JSON object
     */
    public static ObjectNode items(ExtractionKind kind, ExtractionPattern pattern, List<ExtractedItem> items) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("pattern", pattern.wire());
        out.put("kind", ExtractionIds.kind(kind));
        ArrayNode array = out.putArray("items");
        items.forEach(i -> array.add(item(i)));
        return out;
    }

    /**
     * One stored item.
     * <pre>
     * {"id": request id, "video_id", "offset_ms": ms, "uri": JPEG (frame) or .flo (flow),
     *  "width": px, "height": px,
     *  flow only: "frame_uri": first frame of the pair (JPEG), "pair_offset_ms": ms of the second,
     *             "visualization_uri": HSV colour image (JPEG), "algorithm": e.g. "DIS/FAST",
     *             "stats": {"mean_px", "p95_px", "moving_fraction": [0, 1],
     *                       "direction_deg": [0, 360) or null} or null}
     * </pre>
     * Flow statistics are in pixels of the resolution the flow was computed at.
     *
     * @param i the item
     * @return the JSON object
     */
    public static ObjectNode item(ExtractedItem i) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", i.getRequestId());
        out.put("video_id", i.getVideoId());
        out.put("offset_ms", i.getOffsetMs());
        out.put("uri", i.getUri());
        out.put("width", i.getWidth());
        out.put("height", i.getHeight());
        if (i.getKind() == ExtractionKind.FLOW) {
            out.put("frame_uri", i.getFrameUri());
            out.put("pair_offset_ms", i.getPairOffsetMs());
            out.put("visualization_uri", i.getVisualizationUri());
            out.put("algorithm", i.getAlgorithm());
            FlowStats s = i.getStats();
            if (s == null) {
                out.putNull("stats");
            } else {
                ObjectNode stats = out.putObject("stats");
                stats.put("mean_px", s.getMeanPx());
                stats.put("p95_px", s.getP95Px());
                stats.put("moving_fraction", s.getMovingFraction());
                stats.put("direction_deg", s.getDirectionDeg());
            }
        }
        return out;
    }

    /**
     * One request (history entries; GET /frame/{id} adds {@code "request"}).
     * <pre>
     * {"id", "kind", "video_id", "uri", "pattern",
     *  "state": WAITING | DOING | FINISHED | FAILED ({@link ExtractionSummary#shownState}),
     *  "error": message or null, "frames": frames sampled (frame) or pairs sent (flow),
     *  "stored": items of the request in the index now, "created_at", "updated_at"}
     * </pre>
     * {@code "uri"} and the URLs of {@code "request"} are shown without user-info and secret query
     * values ({@link ApiJson#redacted}).
     *
     * @param s the request's summary
     * @return the JSON object
     */
    public static ObjectNode request(ExtractionSummary s) {
        ExtractionStatus st = s.status();
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", st.getRequestId());
        out.put("kind", ExtractionIds.kind(st.getKind()));
        out.put("video_id", st.getVideoId());
        out.put("uri", ApiJson.redactedText(st.getUri()));
        out.put("pattern", st.getPattern());
        out.put("state", s.state().name());
        out.put("error", st.getError() == null ? null : st.getError().getMessage());
        out.put("frames", st.getFrames());
        out.put("stored", s.stored());
        out.put("created_at", ApiJson.time(st.getCreatedAt()));
        out.put("updated_at", ApiJson.time(st.getUpdatedAt()));
        return out;
    }

    /**
     * GET /frame/{id}: {@link #request} plus {@code "request"}, the body it was created with (JSON).
     *
     * @param s the request's summary
     * @return the JSON object
     */
    public static ObjectNode requestDetail(ExtractionSummary s) {
        ObjectNode out = request(s);
        out.set("request", ApiJson.redacted(ApiJson.parseOrText(s.status().getRequestJson())));
        return out;
    }

    /**
     * The answer of history.
     * <pre>{"kind", "requests": [{@link #request}, …]} (newest first)</pre>
     *
     * @param kind     frame or flow
     * @param requests the summaries
     * @return the JSON object
     */
    public static ObjectNode history(ExtractionKind kind, List<ExtractionSummary> requests) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("kind", ExtractionIds.kind(kind));
        ArrayNode array = out.putArray("requests");
        requests.forEach(r -> array.add(request(r)));
        return out;
    }

    /**
     * The answer of DELETE.
     * <pre>{"deleted": {"requests": [ids], "items": n, "files": n}}</pre>
     *
     * @param r what was deleted
     * @return the JSON object
     */
    public static ObjectNode deleted(DeleteResult r) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        ObjectNode d = out.putObject("deleted");
        ArrayNode ids = d.putArray("requests");
        r.requests().forEach(ids::add);
        d.put("items", r.items());
        d.put("files", r.files());
        return out;
    }
}
