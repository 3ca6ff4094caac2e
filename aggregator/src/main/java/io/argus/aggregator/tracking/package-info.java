/**
 * Multi-object tracking for one job as plain Java, with no Kafka in sight: ByteTrack
 * ({@link io.argus.aggregator.tracking.ByteTracker}; Zhang et al., ECCV 2022) over each frame's
 * detections, with its Kalman box filter ({@link io.argus.aggregator.tracking.KalmanBoxFilter}) and
 * minimum-cost assignment ({@link io.argus.aggregator.tracking.LinearAssignment}) written here.
 *
 * <p>Boxes are in pixels of the sampled frame, {@code (left, top, right, bottom)} as the detector's
 * Avro {@code Box}; scores are confidences in [0, 1]; offsets are ms from the source start. Times
 * the tracker keeps (how long a lost track lives) are in ms, not frames, because jobs sample frames
 * at an interval. The tracker's whole state is a
 * {@link io.argus.aggregator.tracking.TrackerSnapshot} of records and primitive arrays, so the caller
 * can persist it as JSON and resume with the same track ids.
 */
package io.argus.aggregator.tracking;
