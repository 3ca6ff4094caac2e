package io.argus.edge.security;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.eclipse.jetty.http.BadMessageException;

import io.argus.edge.request.ApiException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A servlet filter turning a request body that cannot be read into a client error. Jetty reports
 * a malformed body (a chunk size that is not hexadecimal or does not fit, RFC 9112 section 7.1; a
 * connection closed before {@code Content-Length} bytes arrived, RFC 9112 section 6.3) and a body
 * that stops arriving (the connector's idle timeout) as an {@link IOException} from the input
 * stream; Javalin takes those for a client that went away and answers an empty {@code text/plain}
 * 500 without a log line. Read through this filter, they become an {@link ApiException} that the
 * edge answers as JSON:
 * <ul>
 *   <li>a read that timed out (an {@link IOException} caused by a {@link TimeoutException}, or an
 *       {@link InterruptedIOException}): 408 {@code {"error": "request timeout", "detail": …}};</li>
 *   <li>any other read failure (Jetty's {@code EofException} "Early EOF" for bad chunking and
 *       short bodies, a {@link BadMessageException}): 400 {@code {"error": "bad request", "detail": …}}.</li>
 * </ul>
 * Each is logged at INFO with the method, the path, the peer's address and Jetty's reason. An exception that is
 * already an HTTP answer (e.g. {@link BodyLimitFilter}'s 413) passes through. Thread-safe; each
 * request gets its own stream.
 */
public final class BodyFramingFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(BodyFramingFilter.class);
    /** Error message of a body that cannot be read. */
    public static final String BAD_REQUEST = "bad request";
    /** Error message of a body that stopped arriving. */
    public static final String REQUEST_TIMEOUT = "request timeout";
    /** Detail of a body that cannot be read. */
    static final String MALFORMED_DETAIL = "the request body is malformed or cut short: invalid chunked framing, "
            + "or fewer bytes than its Content-Length";
    /** Detail of a body that stopped arriving. */
    static final String TIMEOUT_DETAIL = "the request body stopped arriving before its end";

    /**
     * Wraps the request so that a failing body read throws an {@link ApiException}.
     *
     * @throws IOException      from the rest of the chain
     * @throws ServletException from the rest of the chain
     */
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            chain.doFilter(new Guarded(http), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /**
     * @param e       the read failure
     * @param request the request whose body it was
     * @return the answer to give
     */
    static ApiException answer(Exception e, HttpServletRequest request) {
        boolean timeout = e instanceof InterruptedIOException || causedBy(e, TimeoutException.class);
        String detail = timeout ? TIMEOUT_DETAIL : MALFORMED_DETAIL;
        String why = reason(e);
        LOG.info("{} {} from {}: {} {}{}", request.getMethod(), request.getRequestURI(), request.getRemoteAddr(),
                timeout ? 408 : 400, detail, why.isEmpty() ? "" : " (" + why + ")");
        return timeout ? new ApiException(408, REQUEST_TIMEOUT, detail) : new ApiException(400, BAD_REQUEST, detail);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message of the chain (Jetty's words, for the log), without class names; empty when none. */
    private static String reason(Throwable t) {
        String last = "";
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank() && !m.contains("Exception")) {
                last = m.strip();
            }
        }
        return last.length() > 200 ? last.substring(0, 200) : last;
    }

    /** The request, with its input stream guarded. */
    private static final class Guarded extends HttpServletRequestWrapper {
        private ServletInputStream in;

        Guarded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new GuardedStream(super.getInputStream(), (HttpServletRequest) getRequest());
            }
            return in;
        }
    }

    /** Rethrows read failures as answers. */
    private static final class GuardedStream extends DelegatingInputStream {
        private final HttpServletRequest request;

        GuardedStream(ServletInputStream delegate, HttpServletRequest request) {
            super(delegate);
            this.request = request;
        }

        @Override
        public int read() throws IOException {
            try {
                return delegate.read();
            } catch (IOException | BadMessageException e) {
                throw answer(e, request);
            }
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return delegate.read(buf, off, len);
            } catch (IOException | BadMessageException e) {
                throw answer(e, request);
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return delegate.available();
            } catch (IOException | BadMessageException e) {
                throw answer(e, request);
            }
        }
    }
}
