package io.argus.edge.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Bytes of a stored object (a video file, a rendered MP4) that can be read from any position,
 * without loading the whole object into memory.
 */
public interface ByteSource {

    /** @return the length in bytes */
    long length();

    /**
     * @return a strong entity tag, quoted as RFC 9110 §8.8.3 writes it (e.g. {@code "\"1a2b-3c\""}),
     *         that changes whenever the bytes change
     */
    String etag();

    /** @return when the bytes last changed (second precision is what HTTP dates carry) */
    Instant lastModified();

    /**
     * @param from first byte, 0-based, {@code 0 <= from < length()}
     * @param to   last byte, inclusive, {@code from <= to < length()}
     * @return a stream of exactly {@code to - from + 1} bytes; the caller closes it
     * @throws IOException when the object cannot be read
     */
    InputStream open(long from, long to) throws IOException;

    /**
     * @param file a regular file
     * @return the file as a byte source; its ETag is made of its size and modification time in ms
     *         (as nginx and Apache do), so a rewritten file gets a new one
     * @throws IOException when the file cannot be read
     */
    static ByteSource of(Path file) throws IOException {
        long length = Files.size(file);
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        String etag = "\"" + Long.toHexString(length) + "-" + Long.toHexString(modified.toEpochMilli()) + "\"";
        return of(length, etag, modified, (from, to) -> {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(from);
            return limited(Channels.newInputStream(ch), to - from + 1);
        });
    }

    /** Opens a range of bytes; see {@link ByteSource#open}. */
    @FunctionalInterface
    interface RangeOpener {
        /**
         * @param from first byte, 0-based
         * @param to   last byte, inclusive
         * @return exactly those bytes
         * @throws IOException when they cannot be read
         */
        InputStream open(long from, long to) throws IOException;
    }

    /**
     * @param length   bytes
     * @param etag     strong entity tag, quoted
     * @param modified last change
     * @param opener   reads a range
     * @return a byte source of these parts
     */
    static ByteSource of(long length, String etag, Instant modified, RangeOpener opener) {
        return new ByteSource() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public String etag() {
                return etag;
            }

            @Override
            public Instant lastModified() {
                return modified;
            }

            @Override
            public InputStream open(long from, long to) throws IOException {
                return opener.open(from, to);
            }
        };
    }

    /**
     * @param in    a stream, positioned at the first byte wanted
     * @param count how many bytes to give, at most
     * @return a stream ending after {@code count} bytes (closing it closes {@code in})
     */
    public static InputStream limited(InputStream in, long count) {
        return new java.io.FilterInputStream(in) {
            private long left = count;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }
}
