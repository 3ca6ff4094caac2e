package io.argus.edge.security;

import java.io.IOException;

import io.javalin.http.ContentTooLargeResponse;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A servlet filter bounding request bodies as they are read. Javalin's own
 * {@code maxRequestSize} only compares {@code Content-Length} with the limit, so a body sent
 * without a length ({@code Transfer-Encoding: chunked}, RFC 9112 section 7.1) would be read whole
 * into memory; this filter counts the bytes a handler reads and, one byte past the limit, throws
 * Javalin's {@link ContentTooLargeResponse} (413), which the edge renders as
 * {@code {"error": "request body too large"}}. Requests with a {@code Content-Length} are passed
 * through untouched (Javalin refuses them before reading when too large). Thread-safe; each
 * request gets its own counter.
 */
public final class BodyLimitFilter implements Filter {

    private final long maxBytes;
    private final java.util.Map<String, Long> byPath;

    /**
     * @param maxBytes largest body a handler may read, bytes
     * @throws IllegalArgumentException when not positive
     */
    public BodyLimitFilter(long maxBytes) {
        this(maxBytes, java.util.Map.of());
    }

    /**
     * @param maxBytes largest body a handler may read, bytes
     * @param byPath   larger limits of some paths (exact request paths, e.g. uploads), bytes
     * @throws IllegalArgumentException when a limit is not positive
     */
    public BodyLimitFilter(long maxBytes, java.util.Map<String, Long> byPath) {
        if (maxBytes <= 0 || byPath.values().stream().anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + " " + byPath);
        }
        this.maxBytes = maxBytes;
        this.byPath = java.util.Map.copyOf(byPath);
    }

    /**
     * @param path a request path
     * @return the body limit of that path, bytes
     */
    public long limitOf(String path) {
        return byPath.getOrDefault(path, maxBytes);
    }

    /**
     * Wraps a request without {@code Content-Length} so that reading more than the limit fails.
     *
     * @throws IOException      from the rest of the chain
     * @throws ServletException from the rest of the chain
     */
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getContentLengthLong() < 0) {
            chain.doFilter(new Bounded(http, limitOf(http.getRequestURI())), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The request, with its input stream counted. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream in;

        Bounded(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CountingStream(super.getInputStream(), max);
            }
            return in;
        }
    }

    /** Counts bytes read and throws 413 once more than {@code max} arrive. */
    private static final class CountingStream extends DelegatingInputStream {
        private final long max;
        private long read;

        CountingStream(ServletInputStream delegate, long max) {
            super(delegate);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            // never ask for more than one byte past the limit, so an oversized body is not buffered
            long room = max + 1 - read;
            int n = delegate.read(buf, off, (int) Math.max(1, Math.min(len, room)));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw new ContentTooLargeResponse("request body too large");
            }
        }
    }
}
