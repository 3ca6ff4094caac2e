package io.argus.edge.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.metrics.ArgusMeters;
import io.argus.schemas.metrics.DroppedRecords;
import io.argus.schemas.topics.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The edge's read model of jobs: job id -> latest {@link JobStatus}, and job id -> (op -> final
 * {@link OpResult}). It answers GET /v1/jobs/video/&lt;job_id&gt;, GET /v1/jobs/video?status= and
 * the wait of a synchronous POST /v1/video ({@code argus-video-api.md}).
 *
 * <p>Fed from Kafka ({@link #JobView(Topics, KafkaSettings)}): after {@link #start()}, a daemon
 * thread with a plain {@code KafkaConsumer} (read_committed, no consumer group) assigns itself
 * every partition of the job-status and op-results topics, reads them from the beginning and keeps
 * polling; partitions and topics created later are picked up within seconds (topics are never
 * auto-created by the view). Job-status is compacted, so a restarted edge rebuilds the model; a
 * tombstone on job-status forgets the job. Records that cannot be decoded are logged and skipped.
 *
 * <p>Without Kafka ({@link #JobView()}), records are applied with {@link #apply(JobStatus)} and
 * {@link #apply(OpResult)}, e.g. in tests. The edge also applies its own WAITING statuses with
 * {@link #applyLocal(JobStatus)} right after producing them, so a GET right after an async POST
 * never answers 404 while the record travels through Kafka.
 *
 * <p>Everything is kept in memory (one status and the final op results per job, for as long as the
 * topics keep them). Thread-safe.
 *
 * <p>Metrics ({@link #bindTo}): {@value ArgusMeters#JOBS}, the jobs held by status, and the
 * undecodable records the feed skipped ({@value ArgusMeters#RECORDS_DROPPED}, stage edge).
 */
public final class JobView implements AutoCloseable, MeterBinder {

    private final Map<String, JobStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, Map<String, OpResult>> results = new ConcurrentHashMap<>();
    /** Final statuses read before the op results they report; shown once those are read. */
    private final Map<String, JobStatus> parked = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    /** Pending {@link #awaitDone} futures by job id; guarded by {@link #lock}. */
    private final Map<String, List<CompletableFuture<JobOutcome>>> waiters = new HashMap<>();
    /** Pending {@link #awaitTerminal} futures by job id; guarded by {@link #lock}. */
    private final Map<String, List<CompletableFuture<JobStatus>>> terminalWaiters = new HashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final KafkaFeed feed;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile DroppedRecords drops = DroppedRecords.unpublished("edge");

    /** A view without Kafka: records arrive only through the {@code apply} methods. */
    public JobView() {
        this.feed = null;
        caughtUp.complete(null);
    }

    /**
     * A view fed from the job-status and op-results topics once {@link #start()} is called.
     * Nothing contacts Kafka before {@link #start()}.
     *
     * @param topics   topic registry (names and value serdes of job-status and op-results)
     * @param settings Kafka connection settings (bootstrap servers)
     */
    public JobView(Topics topics, KafkaSettings settings) {
        this.feed = new KafkaFeed(topics, settings, this, caughtUp);
        caughtUp.thenRun(this::showParked);
    }

    /**
     * Publishes the number of jobs by status, counted when read.
     *
     * @param registry where the gauges go
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        drops = new DroppedRecords(registry, "edge");
        for (JobState state : JobState.values()) {
            Gauge.builder(ArgusMeters.JOBS, this, v -> v.count(state))
                    .description("Jobs the edge's job view holds, by status")
                    .tag("status", state.name())
                    .register(registry);
        }
    }

    /** @param reason why the feed dropped a record ({@value ArgusMeters#RECORDS_DROPPED}, stage edge) */
    void dropped(String reason) {
        drops.count(reason);
    }

    private long count(JobState state) {
        return statuses.values().stream().filter(s -> s.getStatus() == state).count();
    }

    /** Starts the Kafka feed thread (no-op without Kafka, or when already started). */
    public void start() {
        if (feed != null && started.compareAndSet(false, true)) {
            feed.start();
        }
    }

    /**
     * Completes once the view has read every partition of both topics up to the end offsets (last
     * stable offsets) found when the feed first saw their partitions; immediately for a view
     * without Kafka. Useful before serving traffic after a restart.
     *
     * @return a future the caller may wait on (completing it has no effect on the view)
     */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp.copy();
    }

    /**
     * @param jobId job id
     * @return the job's latest status, empty when the job is unknown
     */
    public Optional<JobStatus> status(String jobId) {
        return Optional.ofNullable(statuses.get(jobId));
    }

    /**
     * @param jobId job id
     * @return op name -> final result for the ops done so far (a snapshot; empty when none)
     */
    public Map<String, OpResult> results(String jobId) {
        Map<String, OpResult> r = results.get(jobId);
        return r == null ? Map.of() : Map.copyOf(r);
    }

    /**
     * @param filter only jobs in this state, or every job when empty
     * @return the matching jobs' latest statuses, newest {@code created_at} first (ties by job id)
     */
    public List<JobStatus> list(Optional<JobState> filter) {
        List<JobStatus> out = new ArrayList<>();
        for (JobStatus s : statuses.values()) {
            if (filter.isEmpty() || filter.get() == s.getStatus()) {
                out.add(s);
            }
        }
        out.sort(JobMarker.ORDER);
        return out;
    }

    /**
     * One page of {@link #list}: the jobs in {@link JobMarker#ORDER} that match the filter and
     * come after {@code after}, at most {@code limit} of them. Walking from an empty marker and
     * then from each page's {@link JobPage#next()} shows every job that stays in the view and keeps
     * its state, once. A job whose state changes during the walk shows (or not) according to its
     * state when its page is read. Costs one pass over the jobs (O(n log limit)), so memory stays
     * bounded by the page size.
     *
     * @param filter only jobs in this state, or every job when empty
     * @param after  the marker of the previous page's last job, or empty for the first page
     * @param limit  the most jobs to return, at least 1
     * @return the page, with the marker of its last job when more jobs follow
     * @throws IllegalArgumentException when {@code limit} is below 1
     */
    public JobPage page(Optional<JobState> filter, Optional<JobMarker> after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        // A max-heap in listing order holding the first limit + 1 matches (one more tells whether
        // another page follows).
        int keep = limit == Integer.MAX_VALUE ? limit : limit + 1;
        PriorityQueue<JobStatus> first = new PriorityQueue<>(JobMarker.ORDER.reversed());
        for (JobStatus s : statuses.values()) {
            if ((filter.isPresent() && filter.get() != s.getStatus())
                    || (after.isPresent() && !after.get().precedes(s))) {
                continue;
            }
            if (first.size() < keep) {
                first.add(s);
            } else if (JobMarker.ORDER.compare(s, first.peek()) < 0) {
                first.poll();
                first.add(s);
            }
        }
        List<JobStatus> out = new ArrayList<>(first);
        out.sort(JobMarker.ORDER);
        if (out.size() <= limit) {
            return new JobPage(out, Optional.empty());
        }
        List<JobStatus> page = out.subList(0, limit);
        return new JobPage(page, Optional.of(JobMarker.of(page.get(limit - 1))));
    }

    /**
     * Waits for a job to end. The future completes when the job's status is terminal (FINISHED,
     * FAILED, CANCELLED) and, for FINISHED, an {@link OpResult} is present for every op named in
     * {@link JobStatus#getOps()} (the two topics are read independently, so either may arrive
     * first). It completes at once when that is already the case; it never completes for a job
     * that never ends, so callers bound it (e.g. {@code orTimeout}); cancelling or timing out the
     * future releases it. Closing the view fails pending futures with {@link IllegalStateException}.
     *
     * @param jobId job id (the job may still be unknown to the view)
     * @return the job's outcome, once done
     */
    public CompletableFuture<JobOutcome> awaitDone(String jobId) {
        CompletableFuture<JobOutcome> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("job view closed"));
                return future;
            }
            waiters.computeIfAbsent(jobId, k -> new ArrayList<>()).add(future);
        }
        future.whenComplete((v, e) -> forget(jobId, future));
        signal(jobId);
        return future;
    }

    /**
     * Waits for a job's status to become terminal (FINISHED, FAILED or CANCELLED), without waiting
     * for op results (unlike {@link #awaitDone}); used by the kill route. Completes at once when
     * the status already is terminal; never completes for a job that never ends, so callers bound
     * it; cancelling or timing out the future releases it. Closing the view fails pending futures
     * with {@link IllegalStateException}.
     *
     * @param jobId job id (the job may still be unknown to the view)
     * @return the job's terminal status
     */
    public CompletableFuture<JobStatus> awaitTerminal(String jobId) {
        CompletableFuture<JobStatus> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                future.completeExceptionally(new IllegalStateException("job view closed"));
                return future;
            }
            terminalWaiters.computeIfAbsent(jobId, k -> new ArrayList<>()).add(future);
        }
        future.whenComplete((v, e) -> forgetTerminal(jobId, future));
        signalTerminal(jobId);
        return future;
    }

    /**
     * Applies a status the edge itself just produced (the WAITING status of a new job), unless
     * the view already knows the job (then the feed's newer record wins).
     *
     * @param waiting the status
     */
    public void applyLocal(JobStatus waiting) {
        if (statuses.putIfAbsent(waiting.getJobId(), waiting) == null) {
            signal(waiting.getJobId());
        }
    }

    /**
     * Applies a status read from the job-status topic: it replaces the job's previous one.
     *
     * @param status the job's latest status
     */
    public void apply(JobStatus status) {
        // The aggregator writes an op's result before the final status in one transaction, but the
        // two topics may be read in either order: a final status (FINISHED, CANCELLED, or FAILED
        // because an op failed on every frame) waits for the op results it reports, so a GET never
        // shows a final job without them. When the feed has caught up, statuses
        // still parked (results past their topic's retention) are shown as they are.
        if (isTerminal(status.getStatus()) && !covered(status)) {
            parked.put(status.getJobId(), status);
            return;
        }
        parked.remove(status.getJobId());
        statuses.put(status.getJobId(), status);
        signal(status.getJobId());
    }

    private void showParked() {
        for (JobStatus status : List.copyOf(parked.values())) {
            if (parked.remove(status.getJobId(), status)) {
                statuses.put(status.getJobId(), status);
                signal(status.getJobId());
            }
        }
    }

    private boolean covered(JobStatus status) {
        return results(status.getJobId()).keySet().containsAll(status.getOpsDone());
    }

    /**
     * Applies an op result read from the op-results topic: it replaces an earlier result of the
     * same op for the same job.
     *
     * @param result an op's final result
     */
    public void apply(OpResult result) {
        results.computeIfAbsent(result.getJobId(), k -> new ConcurrentHashMap<>()).put(result.getOp(), result);
        JobStatus waiting = parked.get(result.getJobId());
        if (waiting != null && covered(waiting)) {
            parked.remove(result.getJobId());
            statuses.put(waiting.getJobId(), waiting);
        }
        signal(result.getJobId());
    }

    /**
     * Forgets a job (a tombstone on the compacted job-status topic).
     *
     * @param jobId job id
     */
    public void remove(String jobId) {
        statuses.remove(jobId);
        parked.remove(jobId);
        results.remove(jobId);
    }

    /**
     * @param state a job state
     * @return true for FINISHED, FAILED and CANCELLED
     */
    public static boolean isTerminal(JobState state) {
        return state == JobState.FINISHED || state == JobState.FAILED || state == JobState.CANCELLED;
    }

    /** Stops the feed thread (waiting up to 10 s) and fails pending {@link #awaitDone} futures. */
    @Override
    public void close() {
        List<CompletableFuture<JobOutcome>> pending = new ArrayList<>();
        List<CompletableFuture<JobStatus>> pendingTerminal = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            waiters.values().forEach(pending::addAll);
            waiters.clear();
            terminalWaiters.values().forEach(pendingTerminal::addAll);
            terminalWaiters.clear();
        }
        if (feed != null) {
            feed.close();
        }
        pending.forEach(f -> f.completeExceptionally(new IllegalStateException("job view closed")));
        pendingTerminal.forEach(f -> f.completeExceptionally(new IllegalStateException("job view closed")));
    }

    private Optional<JobOutcome> outcomeIfDone(String jobId) {
        JobStatus status = statuses.get(jobId);
        if (status == null || !isTerminal(status.getStatus())) {
            return Optional.empty();
        }
        Map<String, OpResult> r = results(jobId);
        if (status.getStatus() == JobState.FINISHED && !r.keySet().containsAll(status.getOps())) {
            return Optional.empty();
        }
        // Keep the order of the job's ops where possible.
        Map<String, OpResult> ordered = new LinkedHashMap<>();
        for (String op : status.getOps()) {
            if (r.containsKey(op)) {
                ordered.put(op, r.get(op));
            }
        }
        r.forEach(ordered::putIfAbsent);
        return Optional.of(new JobOutcome(status, ordered));
    }

    private void signalTerminal(String jobId) {
        synchronized (lock) {
            if (!terminalWaiters.containsKey(jobId)) {
                return;
            }
        }
        JobStatus status = statuses.get(jobId);
        if (status == null || !isTerminal(status.getStatus())) {
            return;
        }
        List<CompletableFuture<JobStatus>> ready;
        synchronized (lock) {
            ready = terminalWaiters.remove(jobId);
        }
        if (ready != null) {
            ready.forEach(f -> f.complete(status));
        }
    }

    private void forgetTerminal(String jobId, CompletableFuture<JobStatus> future) {
        synchronized (lock) {
            List<CompletableFuture<JobStatus>> list = terminalWaiters.get(jobId);
            if (list != null) {
                list.remove(future);
                if (list.isEmpty()) {
                    terminalWaiters.remove(jobId);
                }
            }
        }
    }

    private void signal(String jobId) {
        signalTerminal(jobId);
        List<CompletableFuture<JobOutcome>> ready;
        synchronized (lock) {
            if (!waiters.containsKey(jobId)) {
                return;
            }
        }
        Optional<JobOutcome> outcome = outcomeIfDone(jobId);
        if (outcome.isEmpty()) {
            return;
        }
        synchronized (lock) {
            ready = waiters.remove(jobId);
        }
        if (ready != null) {
            ready.forEach(f -> f.complete(outcome.get()));
        }
    }

    private void forget(String jobId, CompletableFuture<JobOutcome> future) {
        synchronized (lock) {
            List<CompletableFuture<JobOutcome>> list = waiters.get(jobId);
            if (list != null) {
                list.remove(future);
                if (list.isEmpty()) {
                    waiters.remove(jobId);
                }
            }
        }
    }
}
