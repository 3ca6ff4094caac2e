package io.argus.edge.security;

import java.util.Objects;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * A request body stream that hands the servlet container's non-blocking calls ({@code isFinished},
 * {@code isReady}, {@code setReadListener}) to the stream it wraps; the filters that watch a body
 * ({@link BodyLimitFilter}, {@link BodyFramingFilter}) override only the reads.
 */
abstract class DelegatingInputStream extends ServletInputStream {

    /** The container's stream. */
    protected final ServletInputStream delegate;

    /** @param delegate the container's stream */
    DelegatingInputStream(ServletInputStream delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public boolean isFinished() {
        return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        delegate.setReadListener(listener);
    }
}
