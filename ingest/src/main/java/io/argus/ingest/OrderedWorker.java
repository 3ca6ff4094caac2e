package io.argus.ingest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One background thread that runs tasks in submission order, with at most {@code depth} tasks
 * queued, so a job's JPEG encoding, storing and event sending overlap its decoding while the
 * events keep the frame order. The first failure is kept and rethrown by
 * {@link #submit} or {@link #finish}.
 */
final class OrderedWorker implements AutoCloseable {

    /** A task that may fail with any exception. */
    interface Task {
        void run() throws Exception;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-ingest-encode");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore slots;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param depth tasks queued or running at most, &gt;= 1 */
    OrderedWorker(int depth) {
        this.slots = new Semaphore(depth);
    }

    /**
     * Queues a task, blocking while {@code depth} tasks are pending.
     *
     * @param task the task
     * @throws Exception the first failure of an earlier task
     */
    void submit(Task task) throws Exception {
        rethrow();
        slots.acquire();
        thread.execute(() -> {
            try {
                if (failure.get() == null) {
                    task.run();
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                slots.release();
            }
        });
    }

    /**
     * Waits for every queued task.
     *
     * @throws Exception the first failure of a task
     */
    void finish() throws Exception {
        thread.shutdown();
        if (!thread.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("frame encoding did not finish");
        }
        rethrow();
    }

    private void rethrow() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
