package io.argus.edge.request;

import static io.argus.edge.request.ApiException.INVALID_DURATION;
import static io.argus.edge.request.ApiException.INVALID_INTERVAL;
import static io.argus.edge.request.ApiException.INVALID_MODE;
import static io.argus.edge.request.ApiException.INVALID_STARTTIME;
import static io.argus.edge.request.ApiException.badRequest;
import static io.argus.edge.request.JobRequestParser.DEFAULT_INTERVAL_S;
import static io.argus.edge.request.JobRequestParser.DEFAULT_MODE;
import static io.argus.edge.request.JobRequestParser.MAX_INTERVAL_S;
import static io.argus.edge.request.JsonFields.integral;
import static io.argus.edge.request.JsonFields.number;
import static io.argus.edge.request.JsonFields.onlyFields;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.schemas.avro.Vframe;

/**
 * Reads {@code params.vframe} (how frames are sampled) into a {@link Vframe}, filling the
 * defaults; the accepted values, defaults and errors are in {@link JobRequestParser}'s class
 * comment.
 */
final class VframeParser {

    /** Fields of {@code params.vframe}: the spec's {@code mode} and {@code interval}, and {@code ss}, {@code t} of its error table. */
    static final List<String> FIELDS = List.of("mode", "interval", "ss", "t");

    private VframeParser() {
    }

    /**
     * @param vframe the {@code params.vframe} object, or null when absent
     * @return the sampling: {@code mode} 0 or 1, {@code interval_s} in (0, {@value
     *         JobRequestParser#MAX_INTERVAL_S}] seconds, {@code start_s} and {@code duration_s}
     *         positive seconds or null (not set)
     * @throws ApiException (400) "invalid mode, allow mode is [0, 1]", "invalid interval, allow
     *                      interval is [0, 10]", "invalid starttime" or "invalid duration" for a
     *                      value out of range; "invalid parameters" for a wrong JSON type or a
     *                      field other than {@link #FIELDS}
     */
    static Vframe parse(ObjectNode vframe) {
        int mode = DEFAULT_MODE;
        double interval = DEFAULT_INTERVAL_S;
        Double start = null;
        Double duration = null;
        if (vframe != null) {
            onlyFields(vframe, "params.vframe", FIELDS);
            Long m = integral(vframe, "mode", "params.vframe.mode");
            if (m != null) {
                if (m != 0 && m != 1) {
                    throw badRequest(INVALID_MODE, "params.vframe.mode was " + m);
                }
                mode = m.intValue();
            }
            Double i = number(vframe, "interval", "params.vframe.interval");
            if (i != null) {
                if (i < 0 || i > MAX_INTERVAL_S) {
                    throw badRequest(INVALID_INTERVAL, "params.vframe.interval was " + i + " s");
                }
                if (i > 0) {
                    interval = i;
                }
            }
            Double ss = number(vframe, "ss", "params.vframe.ss");
            if (ss != null) {
                if (ss < 0) {
                    throw badRequest(INVALID_STARTTIME, "params.vframe.ss was " + ss + " s");
                }
                start = ss > 0 ? ss : null;
            }
            Double t = number(vframe, "t", "params.vframe.t");
            if (t != null) {
                if (t < 0) {
                    throw badRequest(INVALID_DURATION, "params.vframe.t was " + t + " s");
                }
                duration = t > 0 ? t : null;
            }
        }
        return Vframe.newBuilder()
                .setMode(mode)
                .setIntervalS(interval)
                .setStartS(start)
                .setDurationS(duration)
                .build();
    }
}
