package io.argus.media.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.StoreKeys;

/**
 * Takes a video upload as a stream and keeps it in the store as a file with a {@link FileRecord}
 * (issue "Objects over time", uploads; media-api.html files).
 *
 * <p>Steps: the stream is copied to a spool file through one {@value #BUFFER_BYTES}-byte buffer
 * (so an upload costs that much heap whatever its size), counting bytes; past {@link #maxBytes()}
 * the copy stops at once and the upload is refused ({@link UploadTooLargeException}, 413). The
 * spool file is then probed ({@link VideoProber}): an empty file or one that is not a readable video
 * is refused ({@link UnreadableUploadException}, 400 "cannot open the file"). A good file is moved
 * into the store under {@code files/<file_uuid>/video.<ext>} ({@link FrameStore#moveIn}: a
 * rename when the spool directory is on the local store's file system, one streamed PUT on S3).
 * Whatever happens, the spool file is gone afterwards.
 *
 * <p>The size limit defaults to {@value #DEFAULT_MAX_BYTES} bytes (2 GiB). The edge maps
 * {@link UploadException#status()} to the answer; it should hand over each multipart part's stream
 * as it arrives (Javalin/Jetty spool parts above their threshold to disk, not to the heap).
 *
 * <p>Thread-safe: uploads share nothing but the store and the spool directory.
 */
public final class VideoUploads {

    /** Default largest upload, bytes: 2 GiB. */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;
    /** Copy buffer, bytes: the heap one upload holds. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private final FrameStore store;
    private final Path spoolDir;
    private final long maxBytes;
    private final VideoProber prober;

    /**
     * Uploads of at most {@link #DEFAULT_MAX_BYTES}, probed with {@link SourceOpener#UNRESTRICTED}
     * (the pixel limit applies; the spool file is Argus's own).
     *
     * @param store    where files are kept
     * @param spoolDir directory for uploads in progress (created when missing): outside the local
     *                 store's root (whose every file is a stored object) but on its file system,
     *                 so that a finished file is renamed rather than copied
     * @throws IOException when the directory cannot be created
     */
    public VideoUploads(FrameStore store, Path spoolDir) throws IOException {
        this(store, spoolDir, DEFAULT_MAX_BYTES, new VideoProber(SourceOpener.UNRESTRICTED));
    }

    /**
     * @param store    where files are kept
     * @param spoolDir directory for uploads in progress (created when missing)
     * @param maxBytes largest upload, bytes, ≥ 1
     * @param prober   probes the spooled files; its opener's file roots must allow the spool directory
     * @throws IOException              when the directory cannot be created
     * @throws IllegalArgumentException when maxBytes is below 1
     */
    public VideoUploads(FrameStore store, Path spoolDir, long maxBytes, VideoProber prober) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the upload limit must be at least 1 byte: " + maxBytes);
        }
        this.store = store;
        this.spoolDir = Files.createDirectories(spoolDir);
        this.maxBytes = maxBytes;
        this.prober = prober;
    }

    /**
     * Reads a size limit as an operator writes it, e.g. for a setting such as
     * {@code ARGUS_UPLOAD_MAX_BYTES}: a number of bytes, or a number followed by {@code k},
     * {@code m}, {@code g} or {@code t} (binary multiples, 1024-based; {@code KiB}, {@code MB}
     * and the like are read the same way), case-insensitive, e.g. {@code 2g} = 2147483648.
     *
     * @param text the size
     * @return bytes, ≥ 1
     * @throws IllegalArgumentException naming the text when it is not such a size, below 1 byte or
     *                                  above {@link Long#MAX_VALUE}
     */
    public static long parseSize(String text) {
        var m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?\\s*",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (bytes, or a number with k, m, g or t)");
        }
        int shift = m.group(2) == null ? 0 : 10 * ("kmgt".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1);
        try {
            long n = Long.parseLong(m.group(1));
            if (n < 1 || n > Long.MAX_VALUE >> shift) {
                throw new IllegalArgumentException("size out of range: '" + text + "'");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size out of range: '" + text + "'");
        }
    }

    /** @return the largest upload accepted, bytes */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Reads the upload to its end (or to the first byte past the limit), probes it and stores it.
     * The stream is not closed.
     *
     * @param in       the upload's bytes
     * @param fileName the client's file name, for the stored file's extension only (may be null)
     * @return the stored file
     * @throws UploadTooLargeException   when the stream has more than {@link #maxBytes()} bytes
     * @throws UnreadableUploadException when it is empty or not a readable video
     * @throws IOException               when reading the stream, the spool file or the store fails
     */
    public FileRecord upload(InputStream in, String fileName) throws UploadException, IOException {
        String uuid = UUID.randomUUID().toString().replace("-", "");
        Path spool = spoolDir.resolve("upload-" + uuid + ".part");
        try {
            long size = copy(in, spool);
            VideoInfo info;
            try {
                info = prober.probe(spool);
            } catch (SourceException e) {
                if (e.code() == SourceException.NOT_FOUND) {
                    throw new IOException("the spooled upload " + spool + " cannot be read", e);
                }
                throw new UnreadableUploadException(e);
            }
            URI uri = store.moveIn(key(uuid, fileName), spool);
            return FileRecord.of(uuid, uri, size, info);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * @param uuid     the file's id
     * @param fileName the client's file name, or null
     * @return {@code files/<uuid>/video.<ext>}, the extension that of the file name when it is 1
     *         to 5 letters or digits, else {@code bin}
     */
    static String key(String uuid, String fileName) {
        String ext = "bin";
        if (fileName != null) {
            int dot = fileName.lastIndexOf('.');
            String e = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (e.matches("[a-z0-9]{1,5}")) {
                ext = e;
            }
        }
        return StoreKeys.check("files/" + uuid + "/video." + ext);
    }

    private long copy(InputStream in, Path spool) throws IOException, UploadTooLargeException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(spool)) {
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - total + 1))) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new UploadTooLargeException(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }
}
