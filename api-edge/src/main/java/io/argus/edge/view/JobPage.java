package io.argus.edge.view;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.argus.schemas.avro.JobStatus;

/**
 * One page of the job listing ({@link JobView#page}).
 *
 * @param jobs the page's jobs, in {@link JobMarker#ORDER}
 * @param next the marker of the page's last job when more jobs follow it, empty on the last page
 */
public record JobPage(List<JobStatus> jobs, Optional<JobMarker> next) {

    /**
     * @param jobs the page's jobs, in {@link JobMarker#ORDER} (copied)
     * @param next the marker to ask for the following page, empty on the last page
     */
    public JobPage {
        jobs = List.copyOf(jobs);
        Objects.requireNonNull(next, "next");
    }
}
