package io.argus.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Spreads the sampling of the live jobs one ingest process runs over their interval, so their
 * frames do not reach the analyzers in one burst per interval.
 *
 * <p>A phase is an instant of the wall clock modulo the interval, at which the job samples
 * ({@code LiveOptions.phaseMs}). Without phases each grid starts at its job's first frame: jobs
 * started together sample in the same instant of every interval, and 8 cameras at 1 frame/s put
 * 8 inferences of ~60 ms on 2 analyzer cores at once, the last result of each burst coming
 * ~240 ms after the first (BENCHMARKS.md, "Live streams"). Prometheus solves the same problem for its scrapes by offsetting
 * each target within the interval ({@code prometheus/scrape/target.go}, {@code Target.offset}, a
 * hash of the target modulo the interval). A hash spreads many targets evenly but a handful
 * badly: on a 10 fps stream the phase falls into one of 10 frame slots, and 8 hashed jobs share
 * a slot almost surely. One process knows its own live jobs, so each new job takes the middle of
 * the largest free gap instead (0, ½, ¼, ¾, ⅛… of the interval while none ends): 8 jobs at 1
 * frame/s sample 125 ms apart.
 *
 * <p>Phases are fractions of the interval, so jobs of different intervals share one circle.
 * Processes do not coordinate: jobs spread within each ingest process. Thread-safe.
 */
public final class LivePhases {

    private final List<Lease> held = new ArrayList<>();

    /** A phase held by a running live job; {@link #close()} gives it back. */
    public final class Lease implements AutoCloseable {

        private final double fraction;

        private Lease(double fraction) {
            this.fraction = fraction;
        }

        /** @return the phase as a fraction of the interval, in [0, 1) */
        public double fraction() {
            return fraction;
        }

        /**
         * @param intervalMs the job's sampling interval, ms, &gt; 0
         * @return the phase in ms, in [0, intervalMs)
         */
        public long phaseMs(long intervalMs) {
            return Math.min(intervalMs - 1, (long) Math.floor(fraction * intervalMs));
        }

        @Override
        public void close() {
            synchronized (held) {
                held.remove(this);
            }
        }
    }

    /** @return a phase in the middle of the largest gap between the phases held (0 when none is) */
    public Lease acquire() {
        synchronized (held) {
            double phase = 0;
            if (!held.isEmpty()) {
                double[] sorted = held.stream().mapToDouble(Lease::fraction).sorted().toArray();
                double bestGap = -1;
                for (int i = 0; i < sorted.length; i++) {
                    double next = i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + 1;
                    double gap = next - sorted[i];
                    if (gap > bestGap + 1e-12) {
                        bestGap = gap;
                        phase = (sorted[i] + gap / 2) % 1.0;
                    }
                }
            }
            Lease lease = new Lease(phase);
            held.add(lease);
            return lease;
        }
    }

    /** @return how many phases are held */
    public int held() {
        synchronized (held) {
            return held.size();
        }
    }
}
