package io.argus.schemas.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts a stage (or the one-JVM runtime) has started, stopped last first: each part is pushed
 * once it runs, and {@link #close()} closes them in reverse order. A part that fails to stop is
 * logged and does not keep the others running. Thread-safe.
 */
public final class StartedParts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StartedParts.class);

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /**
     * @param part a part that now runs
     * @param <T>  its type
     * @return the part
     */
    public synchronized <T extends AutoCloseable> T push(T part) {
        parts.push(part);
        return part;
    }

    /** Closes every part, last pushed first; the parts are forgotten. */
    @Override
    public void close() {
        while (true) {
            AutoCloseable c;
            synchronized (this) {
                if (parts.isEmpty()) {
                    return;
                }
                c = parts.pop();
            }
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", c, e.getMessage());
            }
        }
    }
}
