package io.argus.edge.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.media.ByteSource;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrafficCount;

/**
 * What the traffic API needs from the rest of Argus, outside the edge: the store (uploads, frames,
 * rendered videos), the renderer of annotated videos and the counting rules for a recount. The
 * launcher implements it over the frame store, the media module and the aggregator's counting, so
 * the edge does not depend on any of them.
 */
public interface TrafficBackend {

    /**
     * A video stored for a job.
     *
     * @param fileUuid   32 lowercase hex digits
     * @param uri        where the job reads it (a store URI or local path ingest opens)
     * @param durationMs duration, ms
     * @param width      pixels
     * @param height     pixels
     * @param file       its record as a file of the media API (traffic uploads are files too)
     */
    record Upload(String fileUuid, String uri, long durationMs, int width, int height, FileInfo file) {
    }

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

    /** @return the largest upload accepted, bytes */
    long maxUploadBytes();

    /**
     * Streams an upload into the store and probes it; never holds it whole in memory.
     *
     * @param in       the upload's bytes
     * @param fileName the client's file name (for the record only), or null
     * @return the stored video
     * @throws UploadRefused when it is too large or not a video
     * @throws IOException   when the store fails
     */
    Upload upload(InputStream in, String fileName) throws UploadRefused, IOException;

    /**
     * Renders the annotated video of a tracked job: the source with each track's box, class and id,
     * the counting lines and the running counts, as H.264 MP4, into the store.
     *
     * @param sourceUri the job's source ({@link Upload#uri()})
     * @param request   the job's request (its tracking lines)
     * @param tracks    the job's {@code argus.tracks} records
     * @param counts    the job's {@code argus.counts} records
     * @param key       store key of the MP4
     * @return the stored MP4's URI
     * @throws IOException when reading, rendering or storing fails
     */
    String render(String sourceUri, JobRequest request, List<TrackFrame> tracks, List<TrafficCount> counts, String key)
            throws IOException;

    /**
     * @param uri a store URI
     * @return its bytes, readable by range
     * @throws IOException when it is not stored or cannot be read
     */
    ByteSource open(String uri) throws IOException;

    /**
     * Draws one frame's tracks on its JPEG (as {@link #render} draws video frames).
     *
     * @param frame  the frame's tracks (its {@code uri} names the JPEG)
     * @param request the job's request (lines)
     * @return the annotated JPEG
     * @throws IOException when the frame cannot be read
     */
    byte[] annotatedFrame(TrackFrame frame, JobRequest request) throws IOException;

    /**
     * Counts a job again from its stored tracks with other lines (no detection).
     *
     * @param request the job's request
     * @param tracks  its {@code argus.tracks} records
     * @param lines   the new lines (validated)
     * @return {@code {"events": [...], "intervals": [...], "total": {...}}}
     */
    ObjectNode recount(JobRequest request, List<TrackFrame> tracks, List<io.argus.schemas.avro.CountLine> lines);
}
