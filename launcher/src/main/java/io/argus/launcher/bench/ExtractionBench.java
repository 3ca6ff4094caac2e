package io.argus.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;


import io.argus.extractor.store.LocalFrameStore;
import io.argus.ingest.FrameExtraction;
import io.argus.ingest.FrameSink;
import io.argus.ingest.KafkaFrameSinks;
import io.argus.schemas.control.JobControls;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.Vframe;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;

/**
 * Frame extraction (decode + sample + JPEG into the frame store + frame event on Kafka) against
 * the ffmpeg CLI extracting the same frames to JPEG files, run alternately in one process so both
 * see the same machine state.
 *
 * <p>CLI baselines: interval mode uses
 * {@code select='isnan(prev_selected_t)+gte(t-prev_selected_t,N)'} (first frame at or after
 * each target, as Argus samples) and keyframe mode {@code -skip_frame nokey}; both write
 * {@code -q:v 2} JPEGs with {@code -fps_mode vfr}.
 */
final class ExtractionBench {

    /**
     * One measured case.
     *
     * @param video   file name
     * @param mode    "interval 5 s" or "keyframes"
     * @param frames  frames extracted per run
     * @param oursMs  median wall time of Argus extraction, ms
     * @param cliMs   median wall time of the ffmpeg CLI, ms
     */
    record Row(String video, String mode, long frames, double oursMs, double cliMs) {
        double ratio() {
            return cliMs / oursMs;
        }
    }

    private final KafkaSettings kafka;
    private final Topics topics;
    private final Path work;
    private final int runs;

    ExtractionBench(KafkaSettings kafka, Topics topics, Path work, int runs) {
        this.kafka = kafka;
        this.topics = topics;
        this.work = work;
        this.runs = runs;
    }

    Row measure(Path video, boolean keyframes) throws Exception {
        List<Double> ours = new ArrayList<>();
        List<Double> cli = new ArrayList<>();
        long frames = 0;
        LocalFrameStore store = new LocalFrameStore(work.resolve("frames"));
        try (KafkaFrameSinks sinks = new KafkaFrameSinks(kafka, topics, "bench")) {
            FrameExtraction extraction = new FrameExtraction(store);
            for (int i = 0; i <= runs; i++) {
                JobRequest job = job(video, keyframes);
                long t0 = System.nanoTime();
                try (FrameSink sink = sinks.open(job.getJobId())) {
                    frames = extraction.run(job, () -> false, JobControls.NONE, sink);
                }
                double oursMs = (System.nanoTime() - t0) / 1e6;
                store.deletePrefix(job.getJobId());
                double cliMs = ffmpeg(video, keyframes);
                if (i > 0) { // the first round warms up the JIT and the page cache
                    ours.add(oursMs);
                    cli.add(cliMs);
                }
            }
        }
        return new Row(video.getFileName().toString(), keyframes ? "keyframes" : "interval 5 s", frames,
                median(ours), median(cli));
    }

    private double ffmpeg(Path video, boolean keyframes) throws IOException, InterruptedException {
        Path out = Files.createDirectories(work.resolve("cli-" + UUID.randomUUID()));
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error"));
        if (keyframes) {
            cmd.addAll(List.of("-skip_frame", "nokey", "-i", video.toString()));
        } else {
            cmd.addAll(List.of("-i", video.toString(), "-vf",
                    "select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,5)'"));
        }
        cmd.addAll(List.of("-fps_mode", "vfr", "-q:v", "2", out.resolve("%05d.jpg").toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg failed: " + cmd);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(out);
        return ms;
    }

    private static JobRequest job(Path video, boolean keyframes) {
        return JobRequest.newBuilder()
                .setJobId(UUID.randomUUID().toString())
                .setVideoId("bench")
                .setUri(video.toString())
                .setVframe(new Vframe(keyframes ? 1 : 0, 5.0, null, null))
                // No ops: the runtime's analyzer skips these frames, so it does not compete for the CPU.
                .setOps(List.of())
                .setCreatedAt(System.currentTimeMillis())
                .setRequestJson("{}")
                .build();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
