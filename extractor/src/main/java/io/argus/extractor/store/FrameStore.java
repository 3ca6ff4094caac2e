package io.argus.extractor.store;

import java.io.IOException;
import java.net.URI;

/**
 * Where frames (JPEG) and other per-frame artefacts live. Frames travel on Kafka by reference:
 * events carry the URI {@link #put} returns and readers call {@link #get}.
 *
 * <p>Keys are relative, slash-separated paths such as {@code <job>/<seq>.jpg}; an
 * implementation refuses keys that would escape its root. Implementations are thread-safe.
 */
public interface FrameStore {

    /**
     * Stores bytes under a key, replacing what was there.
     *
     * @param key  relative key, segments of [A-Za-z0-9._-], no "." or ".." segments
     * @param data bytes to store
     * @return the URI readers pass to {@link #get}
     * @throws IOException when the store cannot write
     * @throws IllegalArgumentException for a key that is not allowed
     */
    URI put(String key, byte[] data) throws IOException;

    /**
     * @param uri a URI returned by {@link #put}
     * @return the stored bytes
     * @throws IOException when the object is missing or unreadable
     * @throws IllegalArgumentException for a URI that is not in this store
     */
    byte[] get(URI uri) throws IOException;

    /**
     * Deletes every object whose key starts with {@code prefix/}.
     *
     * @param prefix relative key prefix, e.g. a job id
     * @return number of objects deleted
     * @throws IOException when deletion fails
     */
    int deletePrefix(String prefix) throws IOException;
}
