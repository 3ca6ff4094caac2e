package io.argus.edge.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.argus.edge.media.ByteSource;
import io.argus.schemas.avro.FileInfo;

/**
 * What the media API's file routes need outside the edge: the store (uploads, reads, deletes) and
 * the decoders and encoders of thumbnails and clips. The launcher implements it over the frame
 * store and the media module, so the edge depends on neither.
 */
public interface FilesBackend {

    /** An upload refused: too large (413) or not a video (400 "cannot open the file"). */
    final class UploadRefused extends Exception {
        private final int status;

        /**
         * @param status  413 or 400
         * @param message the message to answer with
         */
        public UploadRefused(int status, String message) {
            super(message);
            this.status = status;
        }

        /** @return the HTTP status to answer */
        public int status() {
            return status;
        }
    }

    /** A frame asked for that the video does not have (answered 404). */
    final class NoSuchFrame extends Exception {
        /** @param message which frame, and how many the video has */
        public NoSuchFrame(String message) {
            super(message);
        }
    }

    /**
     * A crop rectangle inside a frame.
     *
     * @param x left edge, pixels, ≥ 0
     * @param y top edge, pixels, ≥ 0
     * @param w width, pixels, ≥ 1
     * @param h height, pixels, ≥ 1
     */
    record Crop(int x, int y, int w, int h) {
    }

    /**
     * A clip to encode.
     *
     * @param startFrame first frame, zero-based
     * @param endFrame   last frame, zero-based, inclusive, ≥ startFrame
     * @param audio      true to keep the audio (when the file has some)
     * @param debug      true to draw a "CLIP" overlay with each frame's number
     */
    record Clip(long startFrame, long endFrame, boolean audio, boolean debug) {
    }

    /** @return the largest upload accepted, bytes */
    long maxUploadBytes();

    /**
     * Streams an upload into the store and probes it; never holds it whole in memory.
     *
     * @param in       the upload's bytes
     * @param fileName the client's file name (for the record only), or null
     * @return the stored file's record (created_at set)
     * @throws UploadRefused when it is too large or not a video
     * @throws IOException   when the store fails
     */
    FileInfo upload(InputStream in, String fileName) throws UploadRefused, IOException;

    /**
     * @param file a stored file
     * @return where an analysis job reads it ({@code data.uri}): a local path in the local store,
     *         else the store URI
     */
    String jobSource(FileInfo file);

    /**
     * @param file a stored file
     * @return its bytes, readable by range without loading it whole
     * @throws IOException when it is gone or unreadable
     */
    ByteSource open(FileInfo file) throws IOException;

    /**
     * Removes the stored file and anything kept for it.
     *
     * @param file a stored file
     * @throws IOException when the store fails
     */
    void delete(FileInfo file) throws IOException;

    /**
     * The exact zero-based frame of the file as JPEG (decode order from the stream's start).
     *
     * @param file  a stored file
     * @param frame zero-based frame number, ≥ 0
     * @param crop  the rectangle to keep (checked inside the frame by the caller), or null
     * @return the JPEG bytes
     * @throws NoSuchFrame  when the video ends before that frame
     * @throws IOException  when the file cannot be decoded
     */
    byte[] thumbnail(FileInfo file, long frame, Crop crop) throws NoSuchFrame, IOException;

    /**
     * Encodes frames {@code startFrame..endFrame} of the file as MPEG-TS (H.264, and AAC when kept),
     * writing to {@code out} while it encodes.
     *
     * @param file a stored file
     * @param clip what to encode
     * @param out  where the MPEG-TS bytes go (not closed)
     * @throws NoSuchFrame when the video ends before the first frame
     * @throws IOException when decoding, encoding or writing fails
     */
    void clip(FileInfo file, Clip clip, OutputStream out) throws NoSuchFrame, IOException;
}
