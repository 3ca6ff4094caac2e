package io.argus.extractor;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacv.Frame;

import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;

/** Consecutive decoded frames of a real video, for the flow tests. */
public final class ConsecutiveFrames {

    private ConsecutiveFrames() {
    }

    /**
     * Decodes consecutive frames (every decoded frame, cloned out of the grabber's buffer).
     *
     * @param video   path or URL
     * @param startMs first frame at or after this offset, ms
     * @param count   frames wanted
     * @return up to {@code count} 8-bit BGR24 frames
     * @throws Exception when the video cannot be opened
     */
    public static List<Frame> decode(String video, long startMs, int count) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (FrameSampler sampler = FrameSampler.open(SourceUri.parse(video), new SamplingSpec(false, 1, startMs, -1))) {
            SampledFrame f;
            while (frames.size() < count && (f = sampler.next()) != null) {
                frames.add(f.image().clone());
            }
        }
        return frames;
    }
}
