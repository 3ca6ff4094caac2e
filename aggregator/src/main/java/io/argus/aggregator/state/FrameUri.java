package io.argus.aggregator.state;

/**
 * A recent frame's URI, so a count about an earlier frame can name the frame to crop.
 *
 * @param offsetMs the frame's offset, ms
 * @param uri      its frame-store URI, or null
 */
public record FrameUri(long offsetMs, String uri) {
}
