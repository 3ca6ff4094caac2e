package io.argus.edge.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.render.ApiJson;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.FrameCount;
import io.argus.schemas.avro.IntervalTally;
import io.argus.schemas.avro.LineTally;
import io.argus.schemas.avro.TrafficCount;

/**
 * The answer of {@code POST /video} (traffic-api.md §1) from a finished job's {@code argus.counts}
 * records:
 * <ul>
 *   <li>{@code pedestrian_counts}, {@code vehicle_counts}: one value per sampling tick
 *       {@code k · interval} ms (k = 0, 1, … up to the last tracked frame), the confirmed people and
 *       vehicles in view on the first tracked frame at or after the tick (the ticks are sampled as
 *       {@code vframe} mode 0 samples);
 *   <li>{@code pedestrians_per_interval}, {@code vehicles_per_interval}: passes counted in each
 *       interval {@code [k · interval, (k + 1) · interval)}, from k = 0 to the last frame's, zeros
 *       included;
 * </ul>
 * plus Argus's own fields: {@code job}, {@code interval}, {@code totals} (passes and per line and
 * direction over the whole video) and {@code frames} (tracked frames).
 */
final class TrafficAnswer {

    private TrafficAnswer() {
    }

    /**
     * @param jobId      the job
     * @param intervalMs the reporting interval, ms (&gt; 0)
     * @param counts     the job's {@code argus.counts} records, in offset order
     * @param videoUrl   {@code processed_video_url}, or null when not rendered
     * @return the answer object
     */
    static ObjectNode of(String jobId, long intervalMs, List<TrafficCount> counts, String videoUrl) {
        TreeMap<Long, FrameCount> frames = new TreeMap<>();
        TreeMap<Long, IntervalTally> intervals = new TreeMap<>();
        IntervalTally total = null;
        for (TrafficCount c : counts) {
            if (c.getKind() == CountKind.FRAME && c.getFrame() != null) {
                frames.putIfAbsent(c.getOffsetMs(), c.getFrame());
            } else if (c.getKind() == CountKind.INTERVAL && c.getInterval() != null) {
                intervals.put(c.getInterval().getIndex(), c.getInterval());
            } else if (c.getKind() == CountKind.TOTAL) {
                total = c.getInterval();
            }
        }
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("processed_video_url", videoUrl);
        ArrayNode people = out.putArray("pedestrian_counts");
        ArrayNode vehicles = out.putArray("vehicle_counts");
        if (!frames.isEmpty()) {
            long last = frames.lastKey();
            for (long tick = 0; tick <= last; tick += intervalMs) {
                FrameCount f = frames.ceilingEntry(tick).getValue();
                people.add(f.getPeopleCount());
                vehicles.add(f.getVehicleCount());
            }
        }
        ArrayNode pedestrianPasses = out.putArray("pedestrians_per_interval");
        ArrayNode vehiclePasses = out.putArray("vehicles_per_interval");
        long lastIndex = Math.max(intervals.isEmpty() ? -1 : intervals.lastKey(),
                frames.isEmpty() ? -1 : Math.floorDiv(frames.lastKey(), intervalMs));
        for (long k = 0; k <= lastIndex; k++) {
            IntervalTally t = intervals.get(k);
            pedestrianPasses.add(t == null ? 0 : t.getPedestrians());
            vehiclePasses.add(t == null ? 0 : t.getVehicles());
        }
        out.put("job", jobId);
        out.put("interval", intervalMs);
        out.put("frames", frames.size());
        if (total != null) {
            out.set("totals", tally(total));
        }
        return out;
    }

    /** @return {@code {"pedestrians", "vehicles", "lines": [{"line", "direction", "pedestrians", "vehicles"}]}} */
    static ObjectNode tally(IntervalTally t) {
        ObjectNode o = ApiJson.MAPPER.createObjectNode();
        o.put("start_ms", t.getStartMs());
        o.put("end_ms", t.getEndMs());
        o.put("pedestrians", t.getPedestrians());
        o.put("vehicles", t.getVehicles());
        ArrayNode lines = o.putArray("lines");
        for (LineTally l : t.getLines()) {
            lines.addObject().put("line", l.getLine()).put("direction", l.getDirection())
                    .put("pedestrians", l.getPedestrians()).put("vehicles", l.getVehicles());
        }
        return o;
    }

    /** @return the FRAME records of a list, in order */
    static List<TrafficCount> frames(List<TrafficCount> counts) {
        List<TrafficCount> out = new ArrayList<>();
        for (TrafficCount c : counts) {
            if (c.getKind() == CountKind.FRAME) {
                out.add(c);
            }
        }
        return out;
    }
}
