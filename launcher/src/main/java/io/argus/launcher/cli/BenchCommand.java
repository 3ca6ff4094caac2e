package io.argus.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.argus.launcher.bench.Benchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code argus bench}: reruns the benchmarks and writes BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure frame extraction against the ffmpeg CLI and a whole job against its bare "
                + "compute; write the figures to BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs per case (median reported; one more warms up).")
    int runs;

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", description = "Report file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String report = Benchmarks.run(runs, Files.createTempDirectory("argus-bench"));
        Files.writeString(out, report);
        System.out.println(report);
        return 0;
    }
}
