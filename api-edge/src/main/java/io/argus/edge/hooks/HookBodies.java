package io.argus.edge.hooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.avro.Segment;

/**
 * The JSON bodies of hook calls ({@code argus-video-api.md}), rendered with {@link ApiJson} so
 * that callbacks and {@code GET /v1/jobs/video/<id>} agree:
 * <ul>
 *   <li>SEGMENT (CALLBACK /v1/video/segment):
 *       {@code {"id": video_id, "op": op, "result": {"offset_begin", "offset_end",
 *       "labels": [{label, score}], "cuts": [{offset, uri, result}]}}} ({@link ApiJson#segment});</li>
 *   <li>OP_RESULT (CALLBACK /v1/video/op-result):
 *       {@code {"id": video_id, "op": op, "result": {"labels", "segments", "terminated" when true}}}
 *       ({@link ApiJson#opResult});</li>
 *   <li>RESULT (CALLBACK /v1/video/result):
 *       {@code {"id": video_id, "job_id": job_id, "status": FINISHED|FAILED|CANCELLED,
 *       "result": {op: op result, …}, "error": message}} ({@link ApiJson#opResults}, ops in the
 *       call's order; {@code "status"} and {@code "error"} omitted when not set).</li>
 * </ul>
 * Stateless, thread-safe.
 */
public final class HookBodies {

    private HookBodies() {
    }

    /**
     * @param call a hook call
     * @return its body as compact UTF-8 JSON
     * @throws IllegalArgumentException when the call lacks what its kind needs (a SEGMENT without a
     *                                  segment, an OP_RESULT without a result)
     */
    public static byte[] bytes(HookCall call) {
        return ApiJson.write(render(call)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param call a hook call
     * @return its body
     * @throws IllegalArgumentException when the call lacks what its kind needs
     */
    public static ObjectNode render(HookCall call) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", call.getVideoId());
        switch (call.getKind()) {
            case SEGMENT -> {
                Segment s = call.getSegment();
                if (s == null) {
                    throw new IllegalArgumentException("SEGMENT call " + call.getIdempotencyKey() + " has no segment");
                }
                out.put("op", call.getOp() != null ? call.getOp() : s.getOp());
                out.set("result", ApiJson.segment(s));
            }
            case OP_RESULT -> {
                OpResult r = opResult(call);
                out.put("op", call.getOp() != null ? call.getOp() : r.getOp());
                out.set("result", ApiJson.opResult(r));
            }
            case RESULT -> {
                out.put("job_id", call.getJobId());
                if (call.getStatus() != null) {
                    out.put("status", call.getStatus());
                }
                List<String> ops = new ArrayList<>();
                Map<String, OpResult> byOp = new LinkedHashMap<>();
                for (OpResult r : call.getResults()) {
                    ops.add(r.getOp());
                    byOp.put(r.getOp(), r);
                }
                out.set("result", ApiJson.opResults(ops, byOp));
                if (call.getError() != null) {
                    out.put("error", call.getError().getMessage());
                }
            }
            default -> throw new IllegalArgumentException("unknown hook kind " + call.getKind());
        }
        return out;
    }

    /**
     * @param kind a hook kind
     * @return its {@code X-Argus-Hook} name: {@code segment}, {@code op-result} or {@code result}
     */
    public static String kindName(HookKind kind) {
        return switch (kind) {
            case SEGMENT -> "segment";
            case OP_RESULT -> "op-result";
            case RESULT -> "result";
        };
    }

    private static OpResult opResult(HookCall call) {
        List<OpResult> results = call.getResults();
        if (results.isEmpty()) {
            throw new IllegalArgumentException("OP_RESULT call " + call.getIdempotencyKey() + " has no result");
        }
        if (call.getOp() != null) {
            for (OpResult r : results) {
                if (call.getOp().equals(r.getOp())) {
                    return r;
                }
            }
        }
        return results.get(0);
    }
}
