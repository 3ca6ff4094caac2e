package io.argus.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code argus} command line as its own JVM, as {@code ./argus} runs it: {@code java
 * io.argus.launcher.cli.ArgusCommand ARGS} on this test's class path (the packaged jar is built
 * after the tests run), standard output and error kept in files.
 */
final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param cwd  working directory (also where its output files go)
     * @param name a name for the output files
     * @param args the command line after {@code argus}
     * @return the started process
     */
    static CliProcess start(Path cwd, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
        String samples = System.getProperty("argus.samples.dir");
        if (samples != null) {
            command.add("-Dargus.samples.dir=" + samples);
        }
        command.add("io.argus.launcher.cli.ArgusCommand");
        command.addAll(List.of(args));
        Path out = cwd.resolve(name + ".out");
        Path err = cwd.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ARGUS_"));
        return new CliProcess(pb.start(), out, err);
    }

    /**
     * Runs a command to its end.
     *
     * @return the finished process
     */
    static CliProcess run(Path cwd, String name, Duration timeout, String... args) throws Exception {
        CliProcess p = start(cwd, name, args);
        if (!p.process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.close();
            throw new AssertionError("argus " + String.join(" ", args) + " did not end in " + timeout + ": "
                    + p.err());
        }
        return p;
    }

    int exitCode() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String out() throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }

    String err() throws IOException {
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }

    /** Waits until standard output contains the text. */
    void awaitOut(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!out().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("ended before printing '" + text + "': " + out() + err());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not print '" + text + "' in " + timeout + ": " + out() + err());
            }
            Thread.sleep(200);
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it, then waits. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
