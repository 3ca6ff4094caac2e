/**
 * Serving stored media over HTTP: byte ranges of files ({@link io.argus.edge.media.RangeResponder},
 * RFC 9110 §14) from any {@link io.argus.edge.media.ByteSource}.
 */
package io.argus.edge.media;
