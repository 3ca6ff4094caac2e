package io.argus.analyzer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.metrics.ArgusMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The analyzer's meters, recorded for the results of each committed transaction:
 * {@value ArgusMeters#FRAMES_ANALYSED} (tags op, outcome ok or error), {@value ArgusMeters#OP_DURATION}
 * (the result's {@code processing_ms}, tag op) and, for frames of live sources (a
 * {@code capture_time_ms}), {@value ArgusMeters#LIVE_RESULT_LATENCY} from capture to commit (tag op).
 * Both timers publish histogram buckets, so Prometheus can compute quantiles across instances.
 *
 * <p>Thread-safe.
 */
final class AnalyzerMeters {

    private final MeterRegistry registry;
    /** The meters of each op, built on its first result (no registry look-up per result). */
    private final Map<String, OpMeters> byOp = new ConcurrentHashMap<>();

    /** One op's meters. */
    private record OpMeters(Counter ok, Counter error, Timer duration, Timer liveLatency) {
    }

    /** @param registry where the meters go */
    AnalyzerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param results results just committed
     * @param nowMs   wall clock at the commit, ms since the epoch
     */
    void committed(List<FrameResult> results, long nowMs) {
        for (FrameResult r : results) {
            OpMeters m = byOp.computeIfAbsent(r.getOp().toString(), this::meters);
            (r.getError() == null ? m.ok() : m.error()).increment();
            m.duration().record(Duration.ofNanos(Math.round(r.getProcessingMs() * 1e6)));
            Long capture = r.getCaptureTimeMs();
            if (capture != null && nowMs >= capture) {
                m.liveLatency().record(Duration.ofMillis(nowMs - capture));
            }
        }
    }

    private OpMeters meters(String op) {
        return new OpMeters(analysed(op, "ok"), analysed(op, "error"),
                timer(ArgusMeters.OP_DURATION, "Time of one op on one frame", op),
                timer(ArgusMeters.LIVE_RESULT_LATENCY, "Live frames: capture to result", op));
    }

    private Counter analysed(String op, String outcome) {
        return Counter.builder(ArgusMeters.FRAMES_ANALYSED)
                .description("Per-frame results written by the analyzer")
                .tag("op", op)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Timer timer(String name, String description, String op) {
        return Timer.builder(name)
                .description(description)
                .tag("op", op)
                .publishPercentileHistogram()
                .register(registry);
    }
}
