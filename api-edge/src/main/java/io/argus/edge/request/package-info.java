/**
 * Parsing and validation of {@code POST /v1/video/<video_id>} bodies into
 * {@link io.argus.schemas.avro.JobRequest} records ({@code argus-video-api.md}, POST__/v1/video).
 * Pure code: no Kafka, no HTTP.
 */
package io.argus.edge.request;
