package io.argus.testkit.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on a free loopback port that answers every {@code HEAD} at once (200, a video
 * content type and length) and every {@code GET} with the same headers followed by one byte of
 * its body every {@code interval}: the slow source no read timeout catches, since bytes keep
 * arriving. Each connection has its own thread; {@link #close()} closes them all.
 */
public final class TricklingHttpServer implements AutoCloseable {

    /** Content-Length announced: large enough that a trickle never ends during a test. */
    public static final long CONTENT_LENGTH = 10_000_000L;

    private final ServerSocket server;
    private final Duration interval;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * Starts the server.
     *
     * @param interval time between two bytes of a body
     * @throws IOException when no loopback port can be bound
     */
    public TricklingHttpServer(Duration interval) throws IOException {
        this.interval = interval;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "trickling-http-accept");
        t.setDaemon(true);
        t.start();
    }

    /**
     * @param path path of the URL, starting with '/'
     * @return an http URL on this server
     */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** @return GET requests received so far */
    public int gets() {
        return gets.get();
    }

    /** @return connections whose client has not closed them yet */
    public int openConnections() {
        return open.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                open.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "trickling-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            String head = readHead(in);
            String headers = "HTTP/1.1 200 OK\r\nContent-Type: video/x-msvideo\r\nContent-Length: " + CONTENT_LENGTH
                    + "\r\nAccept-Ranges: none\r\n\r\n";
            out.write(headers.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (head.startsWith("HEAD")) {
                return;
            }
            gets.incrementAndGet();
            byte[] riff = "RIFF".getBytes(StandardCharsets.US_ASCII);
            for (long i = 0; i < CONTENT_LENGTH && !s.isClosed(); i++) {
                out.write(i < riff.length ? riff[(int) i] : 0);
                out.flush();
                Thread.sleep(interval.toMillis());
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            open.decrementAndGet();
        }
    }

    /** @return the request line and headers, up to the empty line */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
