package io.argus.edge.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.argus.edge.submit.JobSink;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;

/** The sweep deletes ended jobs older than the retention, and nothing else. */
class JobRetentionTest {

    static final long DAY = Duration.ofDays(1).toMillis();
    static final long NOW = 100 * DAY;

    /** Forgotten job ids, as the job-status tombstones would carry them. */
    static final class ForgettingSink implements JobSink {
        final List<String> forgotten = new CopyOnWriteArrayList<>();

        @Override
        public void submit(JobStatus waiting, JobRequest request) {
            throw new AssertionError("no job is submitted here");
        }

        @Override
        public void forget(String jobId) {
            forgotten.add(jobId);
        }
    }

    static JobStatus status(String jobId, JobState state, long updatedAt) {
        return JobStatus.newBuilder().setJobId(jobId).setVideoId("v-" + jobId).setStatus(state)
                .setRequestJson("{}").setCreatedAt(updatedAt - 1000).setUpdatedAt(updatedAt)
                .setOps(List.of("motion")).build();
    }

    @Test
    void onlyEndedJobsOlderThanTheRetentionAreDeleted() {
        JobView view = new JobView();
        view.apply(status("old-finished", JobState.FINISHED, NOW - 8 * DAY));
        view.apply(status("old-failed", JobState.FAILED, NOW - 30 * DAY));
        view.apply(status("old-cancelled", JobState.CANCELLED, NOW - 7 * DAY - 1));
        view.apply(status("new-finished", JobState.FINISHED, NOW - 6 * DAY));
        view.apply(status("old-live", JobState.DOING, NOW - 20 * DAY)); // a live job running for weeks
        view.apply(status("old-waiting", JobState.WAITING, NOW - 9 * DAY));
        ForgettingSink sink = new ForgettingSink();
        List<String> framesDeleted = new CopyOnWriteArrayList<>();
        JobDeleter deleter = new JobDeleter(view, sink, prefix -> {
            framesDeleted.add(prefix);
            return 3;
        });
        JobRetention retention = new JobRetention(view, deleter, Duration.ofDays(7), Duration.ofMinutes(10), () -> NOW);

        assertThat(retention.sweep()).isEqualTo(3);
        assertThat(framesDeleted).containsExactlyInAnyOrder("old-finished", "old-failed", "old-cancelled");
        assertThat(sink.forgotten).containsExactlyInAnyOrder("old-finished", "old-failed", "old-cancelled");
        assertThat(view.status("old-finished")).isEmpty();
        assertThat(view.status("new-finished")).isPresent();
        assertThat(view.status("old-live")).isPresent();
        assertThat(view.status("old-waiting")).isPresent();
        assertThat(retention.sweep()).isZero();
    }

    @Test
    void aJobWhoseFramesCannotBeDeletedIsKeptForTheNextSweep() {
        JobView view = new JobView();
        view.apply(status("old", JobState.FINISHED, NOW - 8 * DAY));
        ForgettingSink sink = new ForgettingSink();
        JobDeleter deleter = new JobDeleter(view, sink, prefix -> {
            throw new java.io.IOException("disk gone");
        });
        JobRetention retention = new JobRetention(view, deleter, Duration.ofDays(7), Duration.ofMinutes(10), () -> NOW);
        assertThat(retention.sweep()).isZero();
        assertThat(sink.forgotten).isEmpty();
        assertThat(view.status("old")).isPresent();
    }

    /**
     * Erasers run for every deletion, after the frames and before the status; one that fails keeps
     * the job for the next sweep; jobs a file owns are never swept.
     */
    @Test
    void erasersRunBeforeTheStatusGoesAndFileJobsStay() {
        JobView view = new JobView();
        view.apply(status("old-url-job", JobState.FINISHED, NOW - 8 * DAY));
        view.apply(status("old-file-job", JobState.FINISHED, NOW - 8 * DAY));
        view.apply(status("old-kafka-down", JobState.FINISHED, NOW - 8 * DAY));
        ForgettingSink sink = new ForgettingSink();
        JobDeleter deleter = new JobDeleter(view, sink, prefix -> 0);
        List<String> erased = new CopyOnWriteArrayList<>();
        deleter.onDelete(job -> {
            assertThat(sink.forgotten).as("erased before its status is forgotten").doesNotContain(job);
            if (job.equals("old-kafka-down")) {
                throw new IllegalStateException("Kafka does not answer");
            }
            erased.add(job);
        });
        JobRetention retention = new JobRetention(view, deleter, Duration.ofDays(7), Duration.ofMinutes(10), () -> NOW);
        retention.keep(job -> job.equals("old-file-job"));

        assertThat(retention.sweep()).isEqualTo(1);
        assertThat(erased).containsExactly("old-url-job");
        assertThat(sink.forgotten).containsExactly("old-url-job");
        assertThat(view.status("old-file-job")).as("a file's job lives as long as the file").isPresent();
        assertThat(view.status("old-kafka-down")).as("kept: the next sweep retries").isPresent();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deleter.delete("old-kafka-down"))
                .isInstanceOf(io.argus.edge.submit.JobSinkException.class).hasMessageContaining("Kafka does not answer");
    }
}
