package io.argus.edge.files;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.edge.request.ApiException;

/**
 * The analysis job an upload starts ({@code POST /api/v1/files}, form fields {@code ops} and
 * {@code interval}):
 * <ul>
 *   <li>{@code ops} absent or blank: the default analysis, {@value #DEFAULT_OPS}, those of them
 *       this deployment can run (an op whose model is not installed is left out; when neither can
 *       run, no job is started);
 *   <li>{@code ops=none}: no job;
 *   <li>{@code ops=a,b}: those ops (an unknown or unavailable one is a 400 and the file is not kept).
 * </ul>
 * {@code interval}: seconds between analysed frames, default {@value #DEFAULT_INTERVAL_S} (5 frames
 * a second, the rate ByteTrack is run at by the traffic API: it matches boxes by overlap, so they
 * must not move far between frames); 0 analyses every frame.
 *
 * <p>Tracking ({@code params.tracking}, README "Tracking and counting"): the job tracks
 * {@code detection} when it runs it, else {@code face_detect} or {@code face_embed}, every class, with no
 * counting line, {@code detection} at threshold {@value #TRACKED_DETECTION_THRESHOLD}; its
 * {@code argus.tracks} records give the track ids and the boxes between sampled
 * frames of {@code GET /api/v1/file/{file_uuid}/video/bbox}. Jobs of other ops are not tracked.
 */
final class UploadAnalysis {

    /**
     * The ops of the default analysis, comma-separated: objects, and faces with their embeddings
     * ({@code face_embed}: the faces get traces and identities, and are searchable by photo); where
     * the embedding model is not installed, {@code face_detect} instead ({@link #FACE_FALLBACK}).
     */
    static final String DEFAULT_OPS = "detection,face_embed";
    /** The default analysis's face op when {@code face_embed} cannot run. */
    static final String FACE_FALLBACK = "face_detect";
    /** The {@code ops} value that starts no job. */
    static final String NONE = "none";
    /**
     * The job interval that analyses every frame, s: any frame interval is longer (ingest samples the
     * first frame at or after each multiple of it).
     */
    static final double EVERY_FRAME_S = 0.001;
    /** Default seconds between analysed frames: 5 frames/s. */
    static final double DEFAULT_INTERVAL_S = 0.2;
    /**
     * Threshold of a tracked {@code detection}: low, so that ByteTrack's second association sees the
     * weak boxes that keep a confirmed track alive (README "Tracking and counting"; new tracks
     * still need a box of 0.6). The traffic API uses the same.
     */
    static final double TRACKED_DETECTION_THRESHOLD = 0.1;
    /**
     * Ops tracked when the job runs them, in order of preference: {@code plate} first (its vehicle
     * tracks are what one plate per vehicle is voted over, topic {@code argus.plates}), then
     * {@code detection}, then {@code face_detect}, then {@code face_embed}. A job tracks one op
     * (the faces of {@code face_embed} also get traces of their own, without any request parameter:
     * README "Faces").
     */
    static final List<String> TRACKABLE = List.of("plate", "detection", "face_detect", "face_embed");

    private UploadAnalysis() {
    }

    /**
     * @param field    the {@code ops} form field, or null
     * @param runnable whether this deployment can run an op (its model is installed)
     * @return the ops of the job to start; empty for none
     * @throws ApiException 400 for a field that is not comma-separated op names
     */
    static List<String> ops(String field, Predicate<String> runnable) {
        List<String> out = new ArrayList<>();
        if (field == null || field.isBlank()) {
            for (String op : DEFAULT_OPS.split(",")) {
                if (runnable.test(op)) {
                    out.add(op);
                } else if (op.equals("face_embed") && runnable.test(FACE_FALLBACK)) {
                    out.add(FACE_FALLBACK);
                }
            }
            return out;
        }
        if (field.strip().equalsIgnoreCase(NONE)) {
            return out;
        }
        for (String op : field.split(",")) {
            String o = op.strip();
            if (!o.matches("[A-Za-z0-9_\\-]{1,64}")) {
                throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                        "ops must be comma-separated op names, or none, was '" + field + "'");
            }
            out.add(o);
        }
        return out;
    }

    /**
     * @param field the {@code interval} form field, or null
     * @return seconds between analysed frames, 0 to 86 400 (default {@value #DEFAULT_INTERVAL_S})
     * @throws ApiException 400 for anything else
     */
    static double interval(String field) {
        if (field == null || field.isBlank()) {
            return DEFAULT_INTERVAL_S;
        }
        try {
            double s = Double.parseDouble(field.strip());
            if (!Double.isFinite(s) || s < 0 || s > 86_400) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ApiException.INVALID_PARAMETERS,
                    "interval must be seconds from 0 to 86400, was '" + field + "'");
        }
    }

    /**
     * @param ops the job's ops
     * @return the op the job tracks, or null when it runs none of {@link #TRACKABLE}
     */
    static String tracked(List<String> ops) {
        for (String op : TRACKABLE) {
            if (ops.contains(op)) {
                return op;
            }
        }
        return null;
    }

    /**
     * @param uri      where the job reads the file ({@code data.uri})
     * @param ops      the ops, at least one
     * @param interval seconds between analysed frames (0: every frame)
     * @return the job request: {@code {"data": {"uri"}, "params": {"async": true, "vframe": {"mode": 0,
     *         "interval"}, "tracking": {"op"}}, "ops": [{"op"}...]}}, tracking only when
     *         {@link #tracked} names an op
     */
    static String jobBody(String uri, List<String> ops, double interval) {
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.putObject("data").put("uri", uri);
        ObjectNode params = body.putObject("params").put("async", true);
        // the job API reads an interval of 0 as 5 s (argus-video-api.md vframe): every frame is 1 ms
        params.putObject("vframe").put("mode", 0).put("interval", interval == 0 ? EVERY_FRAME_S : interval);
        String tracked = tracked(ops);
        if (tracked != null) {
            params.putObject("tracking").put("op", tracked);
        }
        ArrayNode list = body.putArray("ops");
        for (String o : ops) {
            ObjectNode op = list.addObject().put("op", o);
            if (o.equals(tracked) && o.equals("detection")) {
                op.putObject("params").put("threshold", TRACKED_DETECTION_THRESHOLD);
            }
        }
        return body.toString();
    }
}
