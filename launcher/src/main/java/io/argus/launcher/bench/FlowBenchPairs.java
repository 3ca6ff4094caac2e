package io.argus.launcher.bench;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.pgm.Pgm;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.StoreKeys;

/**
 * The frame pairs of the flow benchmarks ({@link FlowWorkerBench}, {@link FlowPairBench}): a video
 * sampled every 1 s, each sampled frame with the next decoded one, both stored as 8-bit gray PGM
 * ({@code extractions/<request>/<seq>.pgm} and {@code …-pair.pgm}, as ingest stores flow pairs)
 * and kept decoded in memory for the bare OpenCV loop. {@link #close()} frees the Mats.
 *
 * @param frames  per pair, the decoded gray frames {first, second} (CV_8UC1)
 * @param uris    per pair, the stored frames' URIs {first, second}
 * @param offsets per pair, the frames' offsets in the video {first, second}, ms
 */
record FlowBenchPairs(List<Mat[]> frames, List<String[]> uris, List<long[]> offsets) implements AutoCloseable {

    /**
     * Decodes the pairs of a video and stores their frames.
     *
     * @param video   path or URL
     * @param store   where the PGM frames go
     * @param request the request id the keys are made under
     * @return the pairs, in video order
     * @throws Exception when the video cannot be read or a frame cannot be stored
     */
    static FlowBenchPairs store(String video, FrameStore store, String request) throws Exception {
        List<Mat[]> frames = new ArrayList<>();
        List<String[]> uris = new ArrayList<>();
        List<long[]> offsets = new ArrayList<>();
        try (FrameSampler sampler = FrameSampler.open(SourceUri.parse(video),
                SamplingSpec.every(1000).withPairGap(1))) {
            SampledFrame f;
            long seq = 0;
            while ((f = sampler.next()) != null) {
                if (f.pair() == null) {
                    continue;
                }
                byte[] a = Pgm.encodeGray(f.image());
                byte[] b = Pgm.encodeGray(f.pair().image());
                frames.add(new Mat[] {Pgm.decode(a), Pgm.decode(b)});
                uris.add(new String[] {
                    store.put(StoreKeys.extraction(request, seq, ".pgm"), a).toString(),
                    store.put(StoreKeys.extraction(request, seq, "-pair.pgm"), b).toString()});
                offsets.add(new long[] {f.offsetMs(), f.pair().offsetMs()});
                seq++;
            }
        }
        return new FlowBenchPairs(frames, uris, offsets);
    }

    /** Frees the decoded frames. */
    @Override
    public void close() {
        frames.forEach(p -> {
            p[0].close();
            p[1].close();
        });
    }
}
