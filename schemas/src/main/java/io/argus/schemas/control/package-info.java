/**
 * The control topic as the stages that obey it read it: {@link io.argus.schemas.control.JobControls}
 * (was a job killed, which of its ops are stopped) and {@link io.argus.schemas.control.ControlListener},
 * which reads the whole topic without a consumer group. Ingest stops sources with it; the analyzer
 * drops the frames of killed jobs and stopped ops.
 */
package io.argus.schemas.control;
