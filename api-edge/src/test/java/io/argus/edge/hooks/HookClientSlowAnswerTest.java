package io.argus.edge.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.HookCall;
import io.argus.schemas.net.UrlGuard;

/**
 * A receiver whose status line comes at once but whose body trickles: the status decides, over a
 * real socket on 127.0.0.1.
 */
class HookClientSlowAnswerTest {

    private static final HookSettings SETTINGS = HookSettings.defaults().withAttempts(3, Duration.ofSeconds(4));

    private ServerSocket server;
    private Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();

    /** Answers every request with {@code status}, announcing a 200-byte body sent one byte every 200 ms. */
    private String trickling(int status) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    readRequest(s.getInputStream());
                    requests.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    for (int i = 0; i < 200; i++) {
                        Thread.sleep(200);
                        out.write('x');
                        out.flush();
                    }
                } catch (IOException e) {
                    // the client let the body go, or the test ended
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickling-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request cut short");
            }
            head.write(b);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            acceptor.interrupt();
            acceptor.join(5000);
        }
    }

    @Test
    void a200WithASlowBodyIsDeliveredOnceWithoutWaitingForTheBody() throws Exception {
        HookCall call = Calls.segmentCall("job-slow", 0, trickling(200));
        HookClient client = new HookClient(SETTINGS, UrlGuard.defaults());
        long t0 = System.nanoTime();
        AttemptResult r = client.attempt(call, HookBodies.bytes(call), 1);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        // waiting for the 40 s body would end the attempt at its 4 s timeout, to be retried
        assertThat(r.verdict()).as(r.error()).isEqualTo(AttemptResult.Verdict.DELIVERED);
        assertThat(ms).as("bounded by the body wait, within the attempt timeout").isLessThan(4_000);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void a503WithASlowBodyIsRetriedByItsStatus() throws Exception {
        HookCall call = Calls.segmentCall("job-slow", 0, trickling(503));
        AttemptResult r = new HookClient(SETTINGS, UrlGuard.defaults()).attempt(call, HookBodies.bytes(call), 1);
        assertThat(r.verdict()).isEqualTo(AttemptResult.Verdict.RETRY);
        assertThat(r.error()).contains("503").doesNotContain("timeout");
    }
}
