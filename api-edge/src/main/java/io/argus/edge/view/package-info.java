/**
 * The edge's read model: {@link io.argus.edge.view.JobView} keeps the latest
 * {@link io.argus.schemas.avro.JobStatus} and the {@link io.argus.schemas.avro.OpResult}s of every
 * job, fed from the job-status and op-results topics, and answers the GET routes and synchronous
 * POSTs of {@code argus-video-api.md}.
 */
package io.argus.edge.view;
