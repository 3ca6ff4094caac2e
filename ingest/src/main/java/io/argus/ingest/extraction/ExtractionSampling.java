package io.argus.ingest.extraction;

import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.sampling.SamplingSpec.Pattern;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionRequest;

/** Maps an extraction request's pattern and parameters to a {@link SamplingSpec}. */
final class ExtractionSampling {

    private ExtractionSampling() {
    }

    /**
     * @param r a validated request (the edge checked the pattern and the ranges)
     * @return the sampling spec; FLOW requests sample pairs {@code flow.gap} decoded frames apart
     * @throws IllegalArgumentException for an unknown pattern or a parameter out of range
     */
    static SamplingSpec of(ExtractionRequest r) {
        SamplingSpec spec = switch (Pattern.parse(r.getPattern())) {
            case UNIFORM -> SamplingSpec.every(Math.max(1, Math.round(
                    (r.getIntervalS() == null ? SamplingSpec.DEFAULT_INTERVAL_MS / 1000.0 : r.getIntervalS()) * 1000)));
            case KEYFRAME -> SamplingSpec.keyframes();
            case RANDOM -> SamplingSpec.random(r.getCount() == null ? 10 : r.getCount(),
                    r.getSeed() == null ? 0 : r.getSeed());
            case SCENE -> r.getThreshold() == null ? SamplingSpec.scene() : SamplingSpec.scene(r.getThreshold());
        };
        long start = r.getStartS() == null ? 0 : Math.round(r.getStartS() * 1000);
        long duration = r.getDurationS() == null ? -1 : Math.round(r.getDurationS() * 1000);
        if (start > 0 || duration >= 0) {
            spec = spec.withRange(start, duration);
        }
        if (r.getKind() == ExtractionKind.FLOW) {
            spec = spec.withPairGap(r.getFlow() == null ? 1 : r.getFlow().getGap());
        }
        return spec;
    }
}
