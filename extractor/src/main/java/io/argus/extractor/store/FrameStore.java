package io.argus.extractor.store;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * Where frames (JPEG) and other per-frame artefacts live. Frames travel on Kafka by reference:
 * events carry the URI {@link #put} returns and readers call {@link #get}.
 *
 * <p>Keys are relative, slash-separated paths such as {@code <job>/<seq>.jpg}; an
 * implementation refuses keys that would escape its root. Implementations are thread-safe.
 *
 * <p>Every stage of one Argus deployment must use the same store: a URI written by one store is
 * refused by a store of another kind or root. {@link FrameStores#open} builds a store from its
 * {@code --frame-store} location. {@link #close} releases what the store holds (connections of a
 * remote store); the owner of the store closes it once every stage using it has stopped.
 */
public interface FrameStore extends Closeable {

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
     * Stores the concatenation of the buffers' remaining bytes under a key, replacing what was
     * there, without changing the buffers' positions. Lets a caller store data it holds in native
     * memory (a direct buffer) without copying it into a {@code byte[]} first; by default the
     * bytes are copied and {@link #put(String, byte[])} stores them.
     *
     * @param key  relative key, as {@link #put(String, byte[])}
     * @param data buffers to store one after the other
     * @return the URI readers pass to {@link #get}
     * @throws IOException when the store cannot write
     * @throws IllegalArgumentException for a key that is not allowed or more than 2 GB of data
     */
    default URI put(String key, ByteBuffer... data) throws IOException {
        long total = 0;
        for (ByteBuffer b : data) {
            total += b.remaining();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too much data for one object: " + total + " bytes");
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (ByteBuffer b : data) {
            int n = b.remaining();
            b.duplicate().get(all, at, n);
            at += n;
        }
        return put(key, all);
    }

    /**
     * Moves a local file into the store under a key, replacing what was there, without reading it
     * into memory: for large objects such as uploaded videos and rendered MP4s. The file is gone
     * afterwards whether the call succeeds or fails (moved into the store, or uploaded and
     * deleted). By default its bytes are read into memory and stored with {@link #put(String,
     * byte[])}, so stores that keep large objects override this.
     *
     * @param key  relative key, as {@link #put(String, byte[])}
     * @param file a regular file the store may take
     * @return the URI readers pass to {@link #get} or {@link #open}
     * @throws IOException when the store cannot write or the file cannot be read
     * @throws IllegalArgumentException for a key that is not allowed (the file is left in place)
     */
    default URI moveIn(String key, java.nio.file.Path file) throws IOException {
        StoreKeys.check(key);
        try {
            return put(key, java.nio.file.Files.readAllBytes(file));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * Opens a stored object for reading from its start, without reading it whole into memory
     * (the local store opens the file, the S3 store streams the GET). By default the bytes of
     * {@link #get} are wrapped.
     *
     * @param uri a URI returned by {@link #put} or {@link #moveIn}
     * @return a stream of its bytes; the caller closes it
     * @throws java.nio.file.NoSuchFileException when the object is missing
     * @throws IOException when the object is unreadable
     * @throws IllegalArgumentException for a URI that is not in this store
     */
    default java.io.InputStream open(URI uri) throws IOException {
        return new java.io.ByteArrayInputStream(get(uri));
    }

    /**
     * @param uri a URI returned by {@link #put}
     * @return the stored bytes
     * @throws java.nio.file.NoSuchFileException when the object is missing (e.g. deleted)
     * @throws IOException when the object is unreadable
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

    /**
     * @return bytes held by the store, when it can tell without listing a remote bucket (the local
     *         store sums its files; an S3 store answers empty)
     * @throws IOException when the store cannot be read
     */
    default java.util.OptionalLong usedBytes() throws IOException {
        return java.util.OptionalLong.empty();
    }

    /**
     * Releases the store's resources; the store is not used afterwards. Does nothing by default
     * (a local store holds nothing open).
     *
     * @throws IOException when releasing fails
     */
    @Override
    default void close() throws IOException {
    }
}
