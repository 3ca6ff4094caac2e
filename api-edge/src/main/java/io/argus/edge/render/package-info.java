/**
 * Rendering of Avro records ({@link io.argus.schemas.avro.OpResult},
 * {@link io.argus.schemas.avro.JobStatus}) into the JSON shapes of {@code argus-video-api.md}.
 */
package io.argus.edge.render;
