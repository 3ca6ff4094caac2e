package io.argus.ingest;

import io.argus.extractor.sampling.SamplingSpec;
import io.argus.schemas.avro.Vframe;

/** Maps {@code params.vframe} of a job request to a {@link SamplingSpec}. */
public final class Sampling {

    private Sampling() {
    }

    /**
     * @param vframe validated vframe (mode 0 or 1, interval in [0, 10] s, 0 meaning 5 s)
     * @return the sampling spec, times in ms
     */
    public static SamplingSpec of(Vframe vframe) {
        long interval = vframe.getIntervalS() > 0 ? Math.round(vframe.getIntervalS() * 1000)
                : SamplingSpec.DEFAULT_INTERVAL_MS;
        long start = vframe.getStartS() == null ? 0 : Math.round(vframe.getStartS() * 1000);
        long duration = vframe.getDurationS() == null ? -1 : Math.round(vframe.getDurationS() * 1000);
        return new SamplingSpec(vframe.getMode() == 1, Math.max(1, interval), start, duration);
    }
}
