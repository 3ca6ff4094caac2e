package io.argus.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.argus.launcher.bench.Benchmarks;
import io.argus.launcher.bench.DetectorSpeedBench;
import io.argus.launcher.bench.OpsBench;
import io.argus.launcher.bench.RenderBench;
import io.argus.launcher.eval.EvalSection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argus bench}: reruns the benchmarks and writes BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure frame extraction against the ffmpeg CLI, a whole job against its bare "
                + "compute, live-stream latency, the flow service, the inference ops against bare ONNX Runtime and the "
                + "annotated video against the ffmpeg CLI; "
                + "write the figures to BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs per case (median reported; one more warms up).")
    int runs;

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", description = "Report file.")
    Path out;

    @Option(names = "--faces", defaultValue = "100000",
            description = "face-search: the largest index measured (10k and 100k below it too; 1000000 for the 1M size).")
    int faces;

    @Option(names = "--suite", defaultValue = "all",
            description = "all: every benchmark (rewrites the report); extraction: only the frame extraction and "
                    + "whole-job sections; live: only the live-stream latency section; "
                    + "flow: only the flow service section; ops: only the inference ops section; detectors: only the "
                    + "detector speed on a 1080p frame; traffic: only POST /video on a 1080p clip; media: only the media API against the ffmpeg CLI and nginx (needs ~6 GB of scratch space); plates: only the licence plate reader and search; face-search: only the face search index (see --faces); render: only the annotated video section (each replaced in the "
                    + "existing report). "
                    + "Live needs nginx, libnginx-mod-rtmp and ffmpeg.")
    String suite;

    /** Sections written by tests or by hand, which {@code --suite all} keeps as they are. */
    static final String TRICKLE_HEADING = "## A good source next to a trickling one";
    static final String TRACKER_HEADING = "## Tracker cost";
    static final String NOTES_HEADING = "## Notes";
    static final String CHOICE_HEADING = "## Choosing the default detector";
    /** Written from FaceVerificationTest's runs (see the section's rerun line). */
    static final String FACES_HEADING = "## Face embeddings";
    /** Written by hand from FaceTracesEvalTest's report. */
    static final String FACE_TRACES_HEADING = "## Face traces and identities";

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("argus-bench");
        try {
            return run(work);
        } finally {
            deleteTree(work); // a run leaves ~1 GB of broker logs and frames behind otherwise
        }
    }

    private int run(Path work) throws Exception {
        String report;
        String existing = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n";
        if ("live".equals(suite)) {
            report = Benchmarks.withSection(existing, Benchmarks.LIVE_HEADING, Benchmarks.live(work, 5000, 30_000));
        } else if ("flow".equals(suite)) {
            report = Benchmarks.withSection(existing, Benchmarks.FLOW_HEADING, Benchmarks.flow(work, Math.min(runs, 3)));
        } else if ("extraction".equals(suite)) {
            String section = Benchmarks.extraction(work, runs);
            int job = section.indexOf("\n" + Benchmarks.JOB_HEADING);
            report = Benchmarks.withSection(Benchmarks.withSection(existing, Benchmarks.EXTRACTION_HEADING,
                    section.substring(0, job)), Benchmarks.JOB_HEADING, section.substring(job));
        } else if ("detectors".equals(suite)) {
            java.nio.file.Path models = io.argus.launcher.bench.OpsBench.installModels(work.resolve("models"));
            for (io.argus.analyzer.models.ModelSpec optional : io.argus.analyzer.models.ModelSpec.optional()) {
                new io.argus.analyzer.models.ModelInstaller().install(optional, models);
            }
            report = Benchmarks.withSection(existing, io.argus.launcher.bench.DetectorSpeedBench.HEADING,
                    io.argus.launcher.bench.DetectorSpeedBench.section(models));
        } else if ("traffic".equals(suite)) {
            report = Benchmarks.withSection(existing, io.argus.launcher.bench.TrafficBench.HEADING,
                    io.argus.launcher.bench.TrafficBench.section(work));
        } else if ("plates".equals(suite)) {
            report = Benchmarks.withSection(existing, io.argus.launcher.bench.PlateBench.HEADING,
                    io.argus.launcher.bench.PlateBench.section(work, io.argus.launcher.bench.PlateBench.labels()));
        } else if ("face-search".equals(suite)) {
            report = Benchmarks.withSection(existing, io.argus.launcher.bench.FaceSearchBench.HEADING,
                    io.argus.launcher.bench.FaceSearchBench.section(work, faces));
        } else if ("media".equals(suite)) {
            report = Benchmarks.withSection(existing, io.argus.launcher.bench.MediaBench.HEADING,
                    io.argus.launcher.bench.MediaBench.section(work));
        } else if ("render".equals(suite)) {
            report = Benchmarks.withSection(existing, RenderBench.HEADING, RenderBench.section(work, runs));
        } else if ("ops".equals(suite)) {
            report = Benchmarks.withSection(existing, OpsBench.HEADING, OpsBench.section(work, runs));
        } else if ("all".equals(suite)) {
            // sections other commands write: the cluster test's and argus eval's
            report = Benchmarks.run(runs, work);
            for (String kept : List.of(Benchmarks.CLUSTER_HEADING, EvalSection.HEADING, TRICKLE_HEADING,
                    TRACKER_HEADING, CHOICE_HEADING, DetectorSpeedBench.HEADING, io.argus.launcher.bench.TrafficBench.HEADING,
                    io.argus.launcher.bench.MediaBench.HEADING, io.argus.launcher.bench.PlateBench.HEADING,
                    FACES_HEADING, FACE_TRACES_HEADING, io.argus.launcher.bench.FaceSearchBench.HEADING, NOTES_HEADING)) {
                report = Benchmarks.keepSection(report, existing, kept);
            }
        } else {
            System.err.println("unknown suite " + suite + "; use all, extraction, live, flow, ops, detectors, render, traffic, media, plates or face-search");
            return 2;
        }
        Files.writeString(out, report);
        System.out.println(report);
        return 0;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
