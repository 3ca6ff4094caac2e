package io.argus.schemas.metrics;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The names of Argus's own meters (Micrometer names; the Prometheus registry writes them with
 * {@code _} for {@code .}, {@code _total} after counters and {@code _seconds} after timers), and the
 * binding of the JVM and process meters. README's "Metrics" section lists them with their tags.
 */
public final class ArgusMeters {

    /** Counter: frames sampled and stored by ingest; tag {@code source} = file or live. */
    public static final String FRAMES_SAMPLED = "argus.frames.sampled";
    /** Counter: per-frame results written by the analyzer; tags {@code op}, {@code outcome} = ok or error. */
    public static final String FRAMES_ANALYSED = "argus.frames.analysed";
    /** Timer (histogram): time of one op on one frame, seconds; tag {@code op}. */
    public static final String OP_DURATION = "argus.op.duration";
    /**
     * Timer (histogram): for live jobs, from the frame's capture (wall clock when ingest read it)
     * to its result being written, seconds; tag {@code op}.
     */
    public static final String LIVE_RESULT_LATENCY = "argus.live.result.latency";
    /** Gauge: jobs the edge's job view holds, by {@code status} (WAITING, DOING, FINISHED, FAILED, CANCELLED). */
    public static final String JOBS = "argus.jobs";
    /** Counter: hook HTTP attempts made; tag {@code result} = ok or failed (an error, a timeout, a non-2xx status). */
    public static final String HOOK_ATTEMPTS = "argus.hook.attempts";
    /** Counter: hook calls done; tag {@code outcome} = delivered or dead_letter. */
    public static final String HOOK_CALLS = "argus.hook.calls";
    /** Counter: records a stage read and did not use; tags {@code stage}, {@code reason}. */
    public static final String RECORDS_DROPPED = "argus.records.dropped";
    /** Gauge: records behind the end of the partitions a consumer group's member is assigned; tag {@code group}. */
    public static final String CONSUMER_LAG = "argus.consumer.lag";

    /** Gauge: bytes held by the frame store, read at most once a minute (NaN for S3). */
    public static final String STORE_BYTES = "argus.store.bytes";

    private ArgusMeters() {
    }

    /**
     * Binds the JVM's and the process's meters ({@code jvm.memory.*}, {@code jvm.gc.*},
     * {@code jvm.threads.*}, {@code jvm.classes.*}, {@code system.cpu.*}, {@code process.cpu.*},
     * {@code process.uptime}) to a registry.
     *
     * @param registry where they go
     * @return the binders that hold resources (the GC listener); close them with the registry
     */
    public static List<AutoCloseable> bindJvm(MeterRegistry registry) {
        List<AutoCloseable> closeable = new ArrayList<>();
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeable.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return closeable;
    }
}
