package io.argus.media.render;

import java.nio.file.Path;

/**
 * What {@link AnnotatedVideoWriter#render} wrote.
 *
 * @param output     the MP4 file
 * @param frames     frames written (equal to the frames decoded from the source)
 * @param width      frame width, pixels
 * @param height     frame height, pixels
 * @param fps        frame rate of the output (the source's), frames per second
 * @param durationMs duration of the output, {@code frames × 1000 / fps}, ms
 * @param boxes      boxes drawn over all frames (interpolated ones included)
 * @param bytes      size of the output file, bytes
 * @param elapsedMs  wall time of the whole render (open, decode, draw, encode, mux), ms
 */
public record RenderResult(Path output, long frames, int width, int height, double fps, long durationMs, long boxes,
        long bytes, double elapsedMs) {
}
