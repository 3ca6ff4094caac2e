/**
 * What happens to a job after it ends: {@link io.argus.edge.jobs.JobDeleter} removes a finished
 * job's stored frames and forgets it ({@code DELETE /v1/jobs/video/<id>}), and
 * {@link io.argus.edge.jobs.JobRetention} does the same for jobs that ended longer ago than the
 * job retention.
 */
package io.argus.edge.jobs;
