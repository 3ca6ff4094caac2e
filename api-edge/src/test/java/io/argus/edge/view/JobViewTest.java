package io.argus.edge.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.OpResult;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.registry.InMemorySchemaRegistry;
import io.argus.schemas.topics.Topics;

class JobViewTest {

    static JobStatus status(String jobId, JobState state, long createdAt, String... ops) {
        return JobStatus.newBuilder().setJobId(jobId).setVideoId("v-" + jobId).setStatus(state)
                .setError(state == JobState.FAILED
                        ? ErrorInfo.newBuilder().setCode(424).setMessage("cannot find the video").build() : null)
                .setRequestJson("{}").setCreatedAt(createdAt).setUpdatedAt(createdAt + 1)
                .setOps(List.of(ops)).build();
    }

    static OpResult result(String jobId, String op) {
        return OpResult.newBuilder().setJobId(jobId).setVideoId("v-" + jobId).setOp(op)
                .setLabels(List.of()).setSegments(List.of()).setFrames(1).build();
    }

    @Test
    void aFinalStatusReadBeforeItsOpResultsIsShownOnlyWithThem() {
        JobView view = new JobView();
        view.apply(status("a", JobState.DOING, 10, "pulp", "terror"));
        JobStatus finished = JobStatus.newBuilder(status("a", JobState.FINISHED, 10, "pulp", "terror"))
                .setOpsDone(List.of("pulp", "terror")).build();
        view.apply(finished);
        assertThat(view.status("a")).map(JobStatus::getStatus).contains(JobState.DOING);
        view.apply(result("a", "pulp"));
        assertThat(view.status("a")).map(JobStatus::getStatus).contains(JobState.DOING);
        view.apply(result("a", "terror"));
        assertThat(view.status("a")).map(JobStatus::getStatus).contains(JobState.FINISHED);
        assertThat(view.results("a")).containsOnlyKeys("pulp", "terror");
    }

    @Test
    void keepsTheLatestStatusAndResultsPerOp() {
        JobView view = new JobView();
        view.apply(status("a", JobState.WAITING, 10, "pulp"));
        view.apply(status("a", JobState.DOING, 10, "pulp"));
        view.apply(result("a", "pulp"));

        assertThat(view.status("a")).map(JobStatus::getStatus).contains(JobState.DOING);
        assertThat(view.results("a")).containsOnlyKeys("pulp");
        assertThat(view.status("nope")).isEmpty();
        assertThat(view.results("nope")).isEmpty();
    }

    @Test
    void finishedCompletesOnlyOnceEveryOpHasItsResult() throws Exception {
        JobView view = new JobView();
        view.apply(status("a", JobState.DOING, 10, "pulp", "terror"));
        CompletableFuture<JobOutcome> done = view.awaitDone("a");

        view.apply(result("a", "pulp"));
        view.apply(status("a", JobState.FINISHED, 10, "pulp", "terror"));
        assertThat(done).isNotDone();

        view.apply(result("a", "terror"));
        JobOutcome outcome = done.get(1, TimeUnit.SECONDS);
        assertThat(outcome.state()).isEqualTo(JobState.FINISHED);
        assertThat(outcome.results().keySet()).containsExactly("pulp", "terror");
    }

    @Test
    void resultsArrivingBeforeTheStatusAlsoComplete() throws Exception {
        JobView view = new JobView();
        CompletableFuture<JobOutcome> done = view.awaitDone("b");
        view.apply(result("b", "pulp"));
        assertThat(done).isNotDone();
        view.apply(status("b", JobState.FINISHED, 10, "pulp"));
        assertThat(done.get(1, TimeUnit.SECONDS).results()).containsOnlyKeys("pulp");
    }

    @Test
    void alreadyDoneJobsCompleteAtOnce() {
        JobView view = new JobView();
        view.apply(status("c", JobState.FAILED, 10, "pulp"));
        CompletableFuture<JobOutcome> done = view.awaitDone("c");
        assertThat(done).isCompleted();
        assertThat(done.join().status().getError().getCode()).isEqualTo(424);
    }

    @Test
    void cancelledAndFailedDoNotWaitForResults() {
        JobView view = new JobView();
        CompletableFuture<JobOutcome> cancelled = view.awaitDone("d");
        view.apply(status("d", JobState.CANCELLED, 10, "pulp"));
        assertThat(cancelled).isCompleted();
        assertThat(cancelled.join().results()).isEmpty();
    }

    @Test
    void aTimedOutWaitReleasesItselfAndLaterWaitsStillWork() throws Exception {
        JobView view = new JobView();
        CompletableFuture<JobOutcome> first = view.awaitDone("e").orTimeout(50, TimeUnit.MILLISECONDS);
        assertThat(catchCause(first)).isInstanceOf(TimeoutException.class);
        CompletableFuture<JobOutcome> second = view.awaitDone("e");
        view.apply(status("e", JobState.FINISHED, 10));
        assertThat(second.get(1, TimeUnit.SECONDS).state()).isEqualTo(JobState.FINISHED);
    }

    @Test
    void localWaitingNeverOverridesWhatTheFeedAlreadySaw() {
        JobView view = new JobView();
        view.apply(status("f", JobState.DOING, 10, "pulp"));
        view.applyLocal(status("f", JobState.WAITING, 10, "pulp"));
        assertThat(view.status("f")).map(JobStatus::getStatus).contains(JobState.DOING);

        view.applyLocal(status("g", JobState.WAITING, 10, "pulp"));
        assertThat(view.status("g")).map(JobStatus::getStatus).contains(JobState.WAITING);
        view.apply(status("g", JobState.DOING, 10, "pulp"));
        assertThat(view.status("g")).map(JobStatus::getStatus).contains(JobState.DOING);
    }

    @Test
    void listsNewestFirstWithAnOptionalFilter() {
        JobView view = new JobView();
        view.apply(status("old", JobState.FINISHED, 100));
        view.apply(status("new", JobState.DOING, 300));
        view.apply(status("mid", JobState.FINISHED, 200));

        assertThat(view.list(Optional.empty())).extracting(JobStatus::getJobId).containsExactly("new", "mid", "old");
        assertThat(view.list(Optional.of(JobState.FINISHED))).extracting(JobStatus::getJobId)
                .containsExactly("mid", "old");
        assertThat(view.list(Optional.of(JobState.FAILED))).isEmpty();
    }

    @Test
    void removeForgetsTheJob() {
        JobView view = new JobView();
        view.apply(status("h", JobState.FINISHED, 1, "pulp"));
        view.apply(result("h", "pulp"));
        view.remove("h");
        assertThat(view.status("h")).isEmpty();
        assertThat(view.results("h")).isEmpty();
    }

    @Test
    void closeFailsPendingWaits() {
        JobView view = new JobView();
        CompletableFuture<JobOutcome> pending = view.awaitDone("i");
        view.close();
        assertThat(catchCause(pending)).isInstanceOf(IllegalStateException.class);
        assertThat(catchCause(view.awaitDone("j"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void viewWithoutKafkaIsCaughtUpAtOnce() {
        assertThat(new JobView().caughtUp()).isCompleted();
    }

    @Test
    void kafkaViewStartsAndClosesPromptlyWhenTheBrokerIsUnreachable() {
        Topics topics = new Topics(new InMemorySchemaRegistry(), Topics.DEFAULT_PREFIX);
        JobView view = new JobView(topics, new KafkaSettings("127.0.0.1:1", 1, (short) 1));
        long t0 = System.nanoTime();
        view.start();
        view.applyLocal(status("k", JobState.WAITING, 1, "pulp"));
        assertThat(view.status("k")).isPresent();
        assertThat(view.caughtUp()).isNotDone();
        view.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    private static Throwable catchCause(CompletableFuture<?> f) {
        try {
            f.get(2, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void awaitTerminalCompletesOnATerminalStatusWithoutWaitingForResults() throws Exception {
        JobView view = new JobView();
        view.apply(status("a", JobState.DOING, 10, "pulp"));
        CompletableFuture<JobStatus> f = view.awaitTerminal("a");
        assertThat(f).isNotDone();
        view.apply(status("a", JobState.FINISHED, 10, "pulp"));
        assertThat(f.get(1, TimeUnit.SECONDS).getStatus()).isEqualTo(JobState.FINISHED);
        // already terminal: at once
        assertThat(view.awaitTerminal("a").getNow(null)).isNotNull();

        CompletableFuture<JobStatus> unknown = view.awaitTerminal("later");
        view.apply(status("later", JobState.CANCELLED, 10, "pulp"));
        assertThat(unknown.get(1, TimeUnit.SECONDS).getStatus()).isEqualTo(JobState.CANCELLED);

        CompletableFuture<JobStatus> never = view.awaitTerminal("never");
        view.close();
        assertThat(never).isCompletedExceptionally();
        assertThat(view.awaitTerminal("x")).isCompletedExceptionally();
    }
}
