package io.argus.launcher.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import io.argus.launcher.runtime.ArgusRuntime;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.HookCall;
import io.argus.schemas.avro.HookKind;
import io.argus.testkit.servers.ExternalProcess;
import io.argus.testkit.servers.RtmpTestServer;

/**
 * Live latency: {@code streams} concurrent RTMP streams (nginx-rtmp, ffmpeg publishers looping
 * vtest.avi as H.264 at 10 fps), each a live job sampled at 1 frame/s with op {@code person} (the default detector when its model is installed), on
 * the embedded runtime. Measures, over a window after a warm-up:
 * <ul>
 *   <li>capture-to-result latency: a frame's capture time (wall clock when ingest decoded it) to
 *       the moment a read_committed consumer of argus.frame-results receives its result;</li>
 *   <li>hook delay: a segment's close in the aggregator ({@code HookCall.created_at_ms}) to the
 *       arrival of its segment hook at a local HTTP receiver.</li>
 * </ul>
 * Everything runs in one JVM, so both ends of each delay read the same clock.
 */
final class LiveBench {

    /**
     * @param streams  concurrent live jobs
     * @param results  per-frame results measured
     * @param p50      latency percentiles, ms
     * @param p95      ms
     * @param p99      ms
     * @param max      ms
     * @param hooks    segment hooks measured
     * @param hookP50  hook delay percentiles, ms
     * @param hookP95  ms
     * @param hookP99  ms
     */
    record Row(int streams, int results, double p50, double p95, double p99, double max, int hooks, double hookP50,
               double hookP95, double hookP99, Breakdown medians) {
    }

    /**
     * Where a frame's latency goes, medians over the window, ms: capture to the frame event being
     * readable (decode, JPEG, store, send), the op's own time on the frame, and the rest (waiting
     * in the analyzer's batch, the transaction commit, the subscriber's fetch).
     *
     * @param ingest capture to frame event readable
     * @param op     the op's processing time
     * @param rest   frame event readable to result readable, minus the op's time
     */
    record Breakdown(double ingest, double op, double rest) {
    }

    private LiveBench() {
    }

    static Row measure(ArgusRuntime rt, RtmpTestServer rtmp, Path clip, int streams, long warmupMs, long windowMs)
            throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            arrivals.putIfAbsent(ex.getRequestHeaders().getFirst("Idempotency-Key"), System.currentTimeMillis());
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/segment";
        List<ExternalProcess> publishers = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        try (TopicTail<FrameResult> results = new TopicTail<>(rt.kafka(), rt.topics().frameResults());
             TopicTail<FrameEvent> frames = new TopicTail<>(rt.kafka(), rt.topics().frames());
             TopicTail<HookCall> calls = new TopicTail<>(rt.kafka(), rt.topics().hooks())) {
            for (int i = 0; i < streams; i++) {
                String stream = "bench-" + streams + "-" + i;
                publishers.add(rtmp.publish(stream, clip));
                // No label rule, 5 s segment windows: segments close, and their hooks go out, while the
                // streams run, whatever the detector's scores.
                jobs.add(rt.submit(stream, "{\"data\":{\"uri\":\"" + rtmp.url(stream) + "\"},"
                        + "\"params\":{\"vframe\":{\"mode\":0,\"interval\":1},\"live\":{\"timeout\":2},"
                        + "\"segment\":{\"interval\":5}},"
                        + "\"ops\":[{\"op\":\"person\",\"hookURL_segment\":\"" + hookUrl + "\"}]}").getJobId());
            }
            long from = System.currentTimeMillis() + warmupMs;
            Thread.sleep(warmupMs + windowMs);
            long to = System.currentTimeMillis();
            Map<String, Long> frameSeen = new HashMap<>();
            for (TopicTail.Seen<FrameEvent> f : frames.seen(f -> jobs.contains(f.getJobId()))) {
                frameSeen.put(f.value().getJobId() + "/" + f.value().getSeq(), f.receivedAtMs());
            }
            List<Double> latencies = new ArrayList<>();
            List<Double> ingest = new ArrayList<>();
            List<Double> op = new ArrayList<>();
            List<Double> rest = new ArrayList<>();
            for (TopicTail.Seen<FrameResult> s : results.seen(r -> jobs.contains(r.getJobId()))) {
                Long captured = s.value().getCaptureTimeMs();
                if (captured != null && captured >= from && captured < to) {
                    latencies.add((double) (s.receivedAtMs() - captured));
                    Long readable = frameSeen.get(s.value().getJobId() + "/" + s.value().getSeq());
                    if (readable != null) {
                        ingest.add((double) (readable - captured));
                        op.add(s.value().getProcessingMs());
                        rest.add(s.receivedAtMs() - readable - s.value().getProcessingMs());
                    }
                }
            }
            Thread.sleep(1000);
            List<Double> hookDelays = new ArrayList<>();
            for (HookCall c : calls.values(c -> jobs.contains(c.getJobId()) && c.getKind() == HookKind.SEGMENT)) {
                Long arrived = arrivals.get(c.getIdempotencyKey());
                if (arrived != null && c.getCreatedAtMs() >= from) {
                    hookDelays.add((double) (arrived - c.getCreatedAtMs()));
                }
            }
            for (List<Double> l : List.of(latencies, hookDelays, ingest, op, rest)) {
                l.sort(null);
            }
            return new Row(streams, latencies.size(), pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                    pct(latencies, 100), hookDelays.size(), pct(hookDelays, 50), pct(hookDelays, 95),
                    pct(hookDelays, 99), new Breakdown(pct(ingest, 50), pct(op, 50), pct(rest, 50)));
        } finally {
            publishers.forEach(ExternalProcess::close);
            receiver.stop(0);
            Thread.sleep(3000); // the jobs end with 499 "timeout" once their streams are gone
        }
    }

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
