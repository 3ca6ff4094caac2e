package io.argus.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark or test killed midway (SIGKILL: no shutdown hook runs) leaves no nginx behind: a
 * child JVM starts a real nginx-rtmp server and a static file server, is killed, and every process
 * it started must be gone.
 */
class KilledServersTest {

    @TempDir
    Path runDir;

    /** The child JVM: starts an RTMP server and a static file server, says so, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        RtmpTestServer.start(Path.of(args[0]).resolve("rtmp"));
        StaticFileServer.start(Path.of(args[0]), Path.of(args[0]).resolve("static"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void aServerOfAKilledJvmDiesWithIt() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledServersTest.class.getName(),
                runDir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // the child's log lines
            }
            assertThat(line).as("the child started nginx").isEqualTo("ready");
            List<ProcessHandle> started = child.descendants().toList();
            assertThat(started.stream().filter(p -> p.info().command().orElse("").endsWith("nginx")))
                    .as("both nginx servers run under the child JVM").hasSizeGreaterThanOrEqualTo(2);

            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(started).as("no process the killed JVM started is left").noneMatch(ProcessHandle::isAlive);
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }
}
