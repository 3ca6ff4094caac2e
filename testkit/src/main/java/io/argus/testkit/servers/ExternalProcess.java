package io.argus.testkit.servers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process of a test server (nginx, an ffmpeg publisher, an RTSP server), its output
 * appended to a log file. {@link #close()} sends TERM, then KILL after 5 s.
 *
 * <p>Nothing is left behind when the JVM goes away first: a shutdown hook closes every process
 * still running when the JVM exits normally or on SIGTERM/SIGINT (a benchmark stopped with Ctrl-C),
 * and where util-linux {@code setpriv} is installed the child is started through
 * {@code setpriv --pdeathsig KILL}, so the kernel kills it when the JVM is killed with SIGKILL
 * ({@code prctl(PR_SET_PDEATHSIG)}, which {@code setpriv} sets before it execs the command; the pid
 * stays the child's). A child's own children (nginx's worker) are not covered by the latter.
 */
public final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param name    for messages
     * @param log     file that receives stdout and stderr (appended)
     * @param command the command line
     * @return the started process
     * @throws IOException when the executable cannot be started (e.g. not installed)
     */
    public static ExternalProcess start(String name, Path log, List<String> command) throws IOException {
        List<String> line = command;
        if (SETPRIV != null) {
            line = new java.util.ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
            line.addAll(command);
        }
        Process p = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ExternalProcess started = new ExternalProcess(name, p, log);
        RUNNING.add(started);
        return started;
    }

    /** Processes started and not yet closed, closed by the shutdown hook. */
    private static final java.util.Set<ExternalProcess> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** util-linux setpriv, or null when not installed. */
    private static final String SETPRIV = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .filter(f -> new java.io.File(f).canExecute()).findFirst().orElse(null);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(RUNNING).forEach(ExternalProcess::close),
                "external-process-reaper"));
    }

    /** @return true while the process runs */
    public boolean alive() {
        return process.isAlive();
    }

    /** @return OS process id */
    public long pid() {
        return process.pid();
    }

    /** @return the log file */
    public Path log() {
        return log;
    }

    /** Kills the process at once (SIGKILL) and waits for it, as a crash would. */
    public void kill() {
        RUNNING.remove(this);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(5));
    }

    /** Stops the process: TERM, then KILL after 5 s. */
    @Override
    public void close() {
        RUNNING.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(Duration.ofSeconds(5))) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(5));
        }
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }

    /**
     * @return a TCP port free on 127.0.0.1 right now
     * @throws IOException when no port can be bound
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until something accepts TCP connections on 127.0.0.1:port.
     *
     * @param port    the port
     * @param timeout how long to wait
     * @param owner   the process expected to open it; waiting stops early when it dies
     * @throws IOException when the port does not open in time
     */
    public static void awaitPort(int port, Duration timeout, ExternalProcess owner) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (owner != null && !owner.alive()) {
                    throw new IOException(owner + " exited before opening port " + port);
                }
                sleep(50);
            }
        }
        throw new IOException("nothing listens on 127.0.0.1:" + port + " after " + timeout
                + (owner == null ? "" : "; see " + owner.log()));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
