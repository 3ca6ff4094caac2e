package io.argus.aggregator.state;

/**
 * One frame of a segment.
 *
 * @param offsetMs   frame offset in ms from the source start
 * @param uri        frame-store URI of the JPEG, or null
 * @param resultJson the op's raw result for the frame, as JSON
 */
public record CutData(long offsetMs, String uri, String resultJson) {
}
