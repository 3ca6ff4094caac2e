package io.argus.edge.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.argus.edge.submit.JobSink;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.JobStatus;

/** An in-memory {@link JobSink} recording what it is given and running an optional reaction. */
final class RecordingSink implements JobSink {

    final List<JobStatus> statuses = new CopyOnWriteArrayList<>();
    final List<JobRequest> requests = new CopyOnWriteArrayList<>();
    volatile BiConsumer<JobStatus, JobRequest> onSubmit = (s, r) -> { };
    volatile boolean closed;

    @Override
    public void submit(JobStatus waiting, JobRequest request) {
        onSubmit.accept(waiting, request);
        statuses.add(waiting);
        requests.add(request);
    }

    final List<String> forgotten = new CopyOnWriteArrayList<>();

    @Override
    public void forget(String jobId) {
        forgotten.add(jobId);
    }

    @Override
    public void close() {
        closed = true;
    }
}
