package io.argus.launcher.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.argus.analyzer.FrameAnalysis;
import io.argus.extractor.jpeg.JpegEncoder;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.extractor.store.StoreKeys;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;

/**
 * A whole job's wall time (POST to FINISHED, every stage over Kafka) against the bare compute of
 * its stages run one after the other on one thread without Kafka: decode + sample + JPEG + store,
 * then the op on every frame (JPEG read + decode + inference).
 */
final class JobBench {

    /**
     * @param frames     frames in the job
     * @param wallMs     median job wall time, ms
     * @param extractMs  bare extraction compute, ms
     * @param opMs       bare op compute over all frames, ms
     */
    record Row(long frames, double wallMs, double extractMs, double opMs) {
        double bareMs() {
            return extractMs + opMs;
        }

        double ratio() {
            return wallMs / bareMs();
        }
    }

    private JobBench() {
    }

    static Row measure(ArgusRuntime rt, Path video, double intervalS, String op, Path work, int runs)
            throws Exception {
        List<Double> extract = new ArrayList<>();
        List<Double> ops = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        long frames = 0;
        LocalFrameStore store = new LocalFrameStore(work.resolve("bare"));
        for (int i = 0; i <= runs; i++) {
            List<FrameEvent> events = new ArrayList<>();
            long t0 = System.nanoTime();
            try (FrameSampler s = FrameSampler.open(SourceUri.parse(video.toString()),
                    SamplingSpec.every(Math.round(intervalS * 1000)));
                 JpegEncoder enc = new JpegEncoder()) {
                SampledFrame f;
                long seq = 0;
                while ((f = s.next()) != null) {
                    var uri = store.put(StoreKeys.frame("bare", seq), enc.encode(f.image()));
                    events.add(FrameEvent.newBuilder().setJobId("bare").setVideoId("bare").setKind(FrameKind.FRAME)
                            .setSeq(seq++).setOffsetMs(f.offsetMs()).setUri(uri.toString()).setOps(List.of(op)).build());
                }
            }
            double extractMs = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            try (FrameAnalysis analysis = new FrameAnalysis(rt.ops(), store)) {
                for (FrameEvent e : events) {
                    analysis.analyze(e);
                }
            }
            double opMs = (System.nanoTime() - t0) / 1e6;
            frames = events.size();

            String body = "{\"data\":{\"uri\":\"" + video + "\"},\"params\":{\"async\":true,"
                    + "\"vframe\":{\"mode\":0,\"interval\":" + intervalS + "}},\"ops\":[{\"op\":\"" + op + "\"}]}";
            t0 = System.nanoTime();
            JobRequest job = rt.submit("bench", body);
            JobStatus done = rt.view().awaitDone(job.getJobId()).get(30, TimeUnit.MINUTES).status();
            double wallMs = (System.nanoTime() - t0) / 1e6;
            if (done.getStatus() != JobState.FINISHED) {
                throw new IllegalStateException("bench job ended " + done.getStatus());
            }
            if (i > 0) {
                extract.add(extractMs);
                ops.add(opMs);
                wall.add(wallMs);
            }
        }
        return new Row(frames, ExtractionBench.median(wall), ExtractionBench.median(extract),
                ExtractionBench.median(ops));
    }
}
