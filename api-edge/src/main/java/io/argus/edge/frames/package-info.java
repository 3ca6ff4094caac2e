/**
 * Stored frames over HTTP: {@link io.argus.edge.frames.StoredFrames}, the edge's read access to the
 * frame store, and the relative URL of a stored object on the API.
 */
package io.argus.edge.frames;
