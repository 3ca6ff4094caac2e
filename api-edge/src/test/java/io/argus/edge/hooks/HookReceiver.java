package io.argus.edge.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on 127.0.0.1 recording hook calls and answering per path. */
final class HookReceiver implements AutoCloseable {

    /** A request as received. */
    record Received(String path, Map<String, String> headers, byte[] body, long atNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** An answer: status, optional headers, optional delay before answering. */
    record Answer(int status, Map<String, String> headers, long delayMs) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), 0);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Integer, Answer>> behaviours = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    HookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /**
     * @param path      request path
     * @param behaviour 1-based request number on that path -> answer
     */
    void on(String path, Function<Integer, Answer> behaviour) {
        behaviours.put(path, behaviour);
    }

    /** Answers 500 to the first {@code failures} requests on the path, then 200. */
    void failFirst(String path, int failures) {
        on(path, n -> Answer.of(n <= failures ? 500 : 200));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> on(String path) {
        return received.stream().filter(r -> r.path().equals(path)).collect(Collectors.toList());
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        String path = ex.getRequestURI().getPath();
        received.add(new Received(path, headers, body, System.nanoTime()));
        int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        Answer a = behaviours.getOrDefault(path, k -> Answer.of(200)).apply(n);
        if (a.delayMs() > 0) {
            try {
                Thread.sleep(a.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(a.status(), -1);
        try (OutputStream out = ex.getResponseBody()) {
            out.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
