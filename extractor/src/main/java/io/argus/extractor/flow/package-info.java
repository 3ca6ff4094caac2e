/**
 * Dense optical flow between two frames: {@link io.argus.extractor.flow.FlowComputer} (OpenCV DIS or
 * Farneback, one instance per thread), its result {@link io.argus.extractor.flow.FlowField}
 * (interleaved u, v in pixels per frame pair), Middlebury {@code .flo} files
 * ({@link io.argus.extractor.flow.FloFile}), the HSV colour-wheel picture
 * ({@link io.argus.extractor.flow.FlowVisualizer}) and summary statistics
 * ({@link io.argus.extractor.flow.FlowStats}). The bare-loop benchmark over
 * {@link io.argus.extractor.flow.FlowComputer#computeMat} is the launcher's
 * {@code io.argus.launcher.bench.FlowBench}.
 *
 * <p>Coordinates are image coordinates throughout: x grows to the right, y grows downwards, so
 * a positive v is downward motion and 90 degrees points down.
 */
package io.argus.extractor.flow;
