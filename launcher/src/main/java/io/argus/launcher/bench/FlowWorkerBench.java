package io.argus.launcher.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowSettings;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.FlowPair;
import io.argus.schemas.avro.FlowSpec;
import io.argus.schemas.kafka.RecordSender;

/**
 * The flow worker stage alone against a bare OpenCV loop over the same frames, in the same run,
 * alternating: the pairs (vtest.avi every 1 s, each with the next decoded frame) are decoded and
 * stored as gray PGM once, before timing.
 * <ul>
 *   <li>Argus: every pair's record is sent to argus.flow-pairs at once; timed until the index
 *       (argus.extracted, read_committed) holds every flow. On the way the flow workers (group
 *       {@code argus-flow}, as many threads as the runtime's analyzer threads) read and decode both
 *       PGM frames, compute the flow, store the {@code .flo} field and the visualisation JPEG,
 *       compute the statistics and write the index item.</li>
 *   <li>Bare: {@link FlowComputer} on the same gray frames held in memory, one loop, nothing
 *       read or stored (OpenCV's own threads parallelise DIS and Farneback inside).</li>
 * </ul>
 */
final class FlowWorkerBench {

    private FlowWorkerBench() {
    }

    static FlowServiceBench.Row measure(ArgusRuntime rt, java.nio.file.Path video, FlowSettings settings, int runs)
            throws Exception {
        FlowBenchPairs pairs = FlowBenchPairs.store(video.toString(), rt.frames(), "bench-pairs-" + UUID.randomUUID());
        List<Mat[]> frames = pairs.frames();
        List<String[]> uris = pairs.uris();
        List<long[]> offsets = pairs.offsets();
        FlowSpec spec = FlowSpec.newBuilder().setAlgorithm(settings.algorithm().name())
                .setPreset(settings.disPreset().name()).setScale(settings.scale()).setGap(1).build();
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<ThreadCpu> oursCpus = new ArrayList<>();
        List<ThreadCpu> bareCpus = new ArrayList<>();
        try (TopicTail<ExtractedItem> index = new TopicTail<>(rt.kafka(), rt.topics().extracted());
             RecordSender sender = new RecordSender(rt.kafka(), "argus-bench-flow-pairs");
             FlowComputer flow = new FlowComputer(settings)) {
            for (int run = 0; run < FlowServiceBench.WARMUPS + runs; run++) {
                ThreadCpu c0 = ThreadCpu.now();
                long t0 = System.nanoTime();
                for (Mat[] pair : frames) {
                    flow.compute(pair[0], pair[1]);
                }
                double bareMs = (System.nanoTime() - t0) / 1e6;
                ThreadCpu bareCpu = ThreadCpu.now().since(c0);
                c0 = ThreadCpu.now();
                String request = "bench-flow-" + UUID.randomUUID();
                t0 = System.nanoTime();
                for (int i = 0; i < frames.size(); i++) {
                    sender.send(rt.topics().flowPairs(), request, FlowPair.newBuilder().setRequestId(request)
                            .setVideoId("bench").setPattern("uniform").setSeq(i).setOffsetMs(offsets.get(i)[0])
                            .setPairOffsetMs(offsets.get(i)[1]).setUri(uris.get(i)[0]).setPairUri(uris.get(i)[1])
                            .setWidth(frames.get(i)[0].cols()).setHeight(frames.get(i)[0].rows()).setFlow(spec).build());
                }
                sender.flush();
                List<ExtractedItem> done = index.await(it -> it != null && it.getRequestId().equals(request)
                        && it.getKind() == ExtractionKind.FLOW, frames.size(), Duration.ofMinutes(10));
                double oursMs = (System.nanoTime() - t0) / 1e6;
                ThreadCpu oursCpu = ThreadCpu.now().since(c0);
                System.err.printf("flow worker bench %s run %d: bare %.0f ms, Argus %.0f ms%n  CPU bare %s%n  CPU Argus %s%n",
                        settings.label(), run, bareMs, oursMs, bareCpu.describe(), oursCpu.describe());
                if (done.size() < frames.size()) {
                    throw new IllegalStateException("only " + done.size() + " of " + frames.size() + " flows indexed");
                }
                if (run >= FlowServiceBench.WARMUPS) {
                    bare.add(bareMs);
                    ours.add(oursMs);
                    bareCpus.add(bareCpu);
                    oursCpus.add(oursCpu);
                }
            }
        } finally {
            pairs.close();
        }
        return new FlowServiceBench.Row(settings.label(), frames.size(), ExtractionBench.median(ours),
                ExtractionBench.median(bare), ThreadCpu.median(oursCpus), ThreadCpu.median(bareCpus));
    }
}
