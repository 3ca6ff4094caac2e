package io.argus.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.argus.testkit.servers.ExternalProcess;

/**
 * Argus stages in their own JVM: {@code java -jar target/argus.jar server --stages …} against a
 * cluster, restartable after a kill -9.
 */
final class StageProcess implements AutoCloseable {

    private final String name;
    private final Path log;
    private final List<String> command;
    private ExternalProcess process;
    private int starts;

    StageProcess(String name, Path log, List<String> argusArgs, List<String> jvmArgs) {
        this.name = name;
        this.log = log;
        List<String> c = new ArrayList<>(List.of(KafkaCluster.java(), "-Xmx768m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        c.addAll(jvmArgs);
        c.addAll(List.of("-jar", distribution().toString(), "server"));
        c.addAll(argusArgs);
        this.command = List.copyOf(c);
    }

    /**
     * @return the packaged launcher ({@code target/argus.jar} with its {@code lib/}), which the
     *         package phase builds before the integration tests run: the stages run as users run
     *         them, without this module's test dependencies on their classpath
     */
    static Path distribution() {
        Path jar = Path.of("target", "argus.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify");
        }
        return jar;
    }

    /** Starts the process and waits until it reports its stages running. */
    StageProcess start(Duration timeout) throws Exception {
        long before = lines("Argus running stages");
        process = ExternalProcess.start(name, log, command);
        starts++;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines("Argus running stages") <= before) {
            if (!process.alive()) {
                throw new IllegalStateException(name + " died at start: " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start in " + timeout + ": " + tail());
            }
            Thread.sleep(200);
        }
        return this;
    }

    /** kill -9, as a crash. */
    void kill() {
        process.kill();
    }

    boolean alive() {
        return process != null && process.alive();
    }

    int starts() {
        return starts;
    }

    long lines(String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var s = Files.lines(log)) {
            return s.filter(l -> l.contains(text)).count();
        }
    }

    /** @return the log's last 20 WARN and ERROR lines and its last 15 lines, for failure messages */
    String tail() throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> all = Files.readAllLines(log);
        List<String> problems = all.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        return "last warnings and errors:\n"
                + String.join("\n", problems.subList(Math.max(0, problems.size() - 20), problems.size()))
                + "\nlast lines:\n" + String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
