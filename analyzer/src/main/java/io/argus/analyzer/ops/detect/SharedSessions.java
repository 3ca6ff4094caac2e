package io.argus.analyzer.ops.detect;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX Runtime session per (model file, intra-op thread count), shared by every op instance
 * and analyzer thread that uses the model, and closed when the last user releases it.
 *
 * <p>Sharing is safe: {@code OrtSession.run} may be called concurrently from several threads
 * (ONNX Runtime's documented thread-safety of {@code Session::Run}; the Java API wraps it), and
 * it saves one copy of the weights per thread. Each run uses {@code intraOpThreads} threads and one
 * inter-op thread; with several analyzer threads on a small machine, 1 avoids oversubscribing the
 * cores (the analyzer already runs frames in parallel).
 */
public final class SharedSessions {

    /** System property: default intra-op threads per run for detector ops (default 1). */
    public static final String INTRA_OP_THREADS_PROPERTY = "argus.onnx.intraOpThreads";

    private static final Map<String, Entry> SESSIONS = new HashMap<>();

    private SharedSessions() {
    }

    private static final class Entry {
        final OrtSession session;
        int users;

        Entry(OrtSession session) {
            this.session = session;
        }
    }

    /** A use of a shared session; {@link #close()} releases it once. */
    public static final class Lease implements AutoCloseable {
        private final String key;
        private final OrtSession session;
        private boolean closed;

        private Lease(String key, OrtSession session) {
            this.key = key;
            this.session = session;
        }

        /** @return the session (do not close it directly) */
        public OrtSession session() {
            return session;
        }

        @Override
        public void close() {
            synchronized (SESSIONS) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry e = SESSIONS.get(key);
                if (e != null && --e.users == 0) {
                    SESSIONS.remove(key);
                    try {
                        e.session.close();
                    } catch (OrtException ex) {
                        // nothing left to release
                    }
                }
            }
        }
    }

    /** @return intra-op threads from {@value #INTRA_OP_THREADS_PROPERTY}, default 1, at least 1 */
    public static int defaultIntraOpThreads() {
        String v = System.getProperty(INTRA_OP_THREADS_PROPERTY);
        try {
            return v == null || v.isBlank() ? 1 : Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INTRA_OP_THREADS_PROPERTY + " must be an integer: " + v, e);
        }
    }

    /**
     * @param model ONNX file
     * @param intraOpThreads threads per run (≥ 1)
     * @return a lease on the shared session, opening it on first use
     * @throws IllegalStateException when ONNX Runtime cannot load the file
     */
    public static Lease acquire(Path model, int intraOpThreads) {
        String key = model.toAbsolutePath().normalize() + "#" + intraOpThreads;
        synchronized (SESSIONS) {
            Entry e = SESSIONS.get(key);
            if (e == null) {
                try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                    opts.setIntraOpNumThreads(intraOpThreads);
                    opts.setInterOpNumThreads(1);
                    opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    e = new Entry(OrtEnvironment.getEnvironment().createSession(model.toString(), opts));
                } catch (OrtException ex) {
                    throw new IllegalStateException("cannot load " + model + ": " + ex.getMessage(), ex);
                }
                SESSIONS.put(key, e);
            }
            e.users++;
            return new Lease(key, e.session);
        }
    }

    /** @return how many sessions are open (for tests) */
    public static int open() {
        synchronized (SESSIONS) {
            return SESSIONS.size();
        }
    }
}
