package io.argus.launcher.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;
import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.schemas.avro.ExtractedItem;
import io.argus.schemas.avro.ExtractionKind;

/**
 * Flow pairs/s of the flow service against a bare OpenCV loop over the same frames, in the same
 * run, alternating, after {@link #WARMUPS} warm-up runs; the CPU time of each side by thread group
 * ({@link ThreadCpu}) is kept with the wall times. Pairs: vtest.avi every 1 s, each with the next
 * decoded frame.
 * <ul>
 *   <li>Argus: {@code POST /flow} to the index holding every pair's flow. On the way: ingest
 *       decodes, stores both frames as gray PGM and sends the pair, the flow worker reads both
 *       frames, computes the flow, stores {@code .flo} and the visualisation JPEG,
 *       and writes the index item.</li>
 *   <li>Bare: the same decoder ({@link FrameSampler} with pairs) and {@link FlowComputer} in one
 *       loop, nothing stored.</li>
 * </ul>
 */
final class FlowServiceBench {

    /**
     * @param label  flow settings
     * @param pairs  pairs per run
     * @param oursMs median wall time of the service, ms
     * @param bareMs median wall time of the bare loop, ms
     */
    record Row(String label, long pairs, double oursMs, double bareMs, ThreadCpu oursCpu, ThreadCpu bareCpu) {
        double ratio() {
            return bareMs / oursMs;
        }
    }

    /**
     * Runs before the measured ones, per setting. One was not enough: with the broker and every
     * stage in one JVM the JIT compiler still took 700–1200 ms of CPU during the second run and
     * ~400 ms during the fourth (of ~3000 ms), against 100–300 ms during the bare loop.
     */
    static final int WARMUPS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowServiceBench() {
    }

    static Row measure(ArgusRuntime rt, Path video, FlowSettings settings, String flowJson, int runs) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<ThreadCpu> oursCpus = new ArrayList<>();
        List<ThreadCpu> bareCpus = new ArrayList<>();
        long pairs = 0;
        try (TopicTail<ExtractedItem> index = new TopicTail<>(rt.kafka(), rt.topics().extracted())) {
            for (int run = 0; run < WARMUPS + runs; run++) {
                ThreadCpu c0 = ThreadCpu.now();
                long t0 = System.nanoTime();
                pairs = bare(video, settings);
                double bareMs = (System.nanoTime() - t0) / 1e6;
                ThreadCpu bareCpu = ThreadCpu.now().since(c0);
                c0 = ThreadCpu.now();
                t0 = System.nanoTime();
                String body = "{\"uri\":\"" + video + "\",\"video_id\":\"bench-" + run + "\",\"pattern\":\"uniform\","
                        + "\"interval\":1,\"flow\":" + flowJson + "}";
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rt.httpPort()
                        + "/flow")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("POST /flow: " + r.statusCode() + " " + r.body());
                }
                String id = JSON.readTree(r.body()).path("id").asText();
                List<ExtractedItem> done = index.await(i -> i != null && i.getRequestId().equals(id)
                        && i.getKind() == ExtractionKind.FLOW, (int) pairs, Duration.ofMinutes(10));
                double oursMs = (System.nanoTime() - t0) / 1e6;
                ThreadCpu oursCpu = ThreadCpu.now().since(c0);
                long startMs = System.currentTimeMillis() - (long) oursMs;
                List<TopicTail.Seen<ExtractedItem>> seen = index.seen(i -> i != null && i.getRequestId().equals(id));
                if (!seen.isEmpty()) {
                    System.err.printf("flow bench %s run %d: bare %.0f ms; first flow after %d ms, last after %d ms%n"
                            + "  CPU bare %s%n  CPU Argus %s%n", settings.label(), run, bareMs,
                            seen.get(0).receivedAtMs() - startMs, seen.get(seen.size() - 1).receivedAtMs() - startMs,
                            bareCpu.describe(), oursCpu.describe());
                }
                if (done.size() < pairs) {
                    throw new IllegalStateException("only " + done.size() + " of " + pairs + " flows indexed");
                }
                if (run >= WARMUPS) {
                    bare.add(bareMs);
                    ours.add(oursMs);
                    bareCpus.add(bareCpu);
                    oursCpus.add(oursCpu);
                }
            }
        }
        return new Row(settings.label(), pairs, ExtractionBench.median(ours), ExtractionBench.median(bare),
                ThreadCpu.median(oursCpus), ThreadCpu.median(bareCpus));
    }

    private static long bare(Path video, FlowSettings settings) throws Exception {
        long pairs = 0;
        try (FrameSampler sampler = FrameSampler.open(SourceUri.parse(video.toString()),
                SamplingSpec.every(1000).withPairGap(1));
             FlowComputer flow = new FlowComputer(settings)) {
            SampledFrame f;
            while ((f = sampler.next()) != null) {
                if (f.pair() != null) {
                    flow.compute(f.image(), f.pair().image());
                    pairs++;
                }
            }
        }
        return pairs;
    }
}
