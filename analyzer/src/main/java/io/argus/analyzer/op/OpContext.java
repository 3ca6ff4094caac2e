package io.argus.analyzer.op;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.FrameEvent;

/**
 * What an op may know about the frame it runs on besides its pixels: the FRAME event (job, seq,
 * offset in ms, size in pixels, previous frame), the op's params from the job request and read
 * access to the frame store (to look at another frame of the job, e.g. the previous one).
 *
 * <p>The op's params come from the event's {@code op_params} map (the job request's
 * {@code ops[].params} as JSON, copied by ingest onto every FRAME event), so an analyzer needs no
 * per-job state: any analyzer thread or instance can run any frame.
 *
 * <p>One context per (frame, op); not thread-safe.
 */
public final class OpContext {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrameEvent event;
    private final String op;
    private final FrameStore store;
    private final byte[] jpeg;
    private ObjectNode params;

    /**
     * @param event the FRAME event
     * @param op    name of the op the context is for (the key in {@code op_params})
     * @param store the frame store the event's URIs point into
     * @param jpeg  the frame's JPEG bytes as stored, or null when not at hand (then read on demand)
     */
    public OpContext(FrameEvent event, String op, FrameStore store, byte[] jpeg) {
        this.event = event;
        this.op = op;
        this.store = store;
        this.jpeg = jpeg;
    }

    /** @return the FRAME event (job id, seq, offset in ms, width and height in pixels, URIs) */
    public FrameEvent event() {
        return event;
    }

    /** @return the op's name */
    public String op() {
        return op;
    }

    /**
     * The op's {@code params} object from the job request ({@code ops[].params}: it also holds
     * the generic keys {@code labels}, {@code terminate} and {@code ignore_empty_labels}).
     *
     * @return the params, an empty object when the request gave none
     * @throws IllegalArgumentException when the params are not a JSON object
     */
    public ObjectNode params() {
        if (params == null) {
            String json = event.getOpParams() == null ? null : event.getOpParams().get(op);
            if (json == null || json.isBlank()) {
                params = JSON.createObjectNode();
            } else {
                JsonNode node;
                try {
                    node = JSON.readTree(json);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("params of op " + op + " are not JSON: "
                            + e.getOriginalMessage(), e);
                }
                if (!(node instanceof ObjectNode o)) {
                    throw new IllegalArgumentException("params of op " + op + " must be a JSON object");
                }
                params = o;
            }
        }
        return params;
    }

    /** @return frame-store URI of the job's previous sampled frame; empty on the first frame */
    public Optional<String> previousUri() {
        String prev = event.getPrevUri();
        return prev == null || prev.isBlank() ? Optional.empty() : Optional.of(prev);
    }

    /**
     * @return the frame's JPEG bytes as stored
     * @throws IOException when the frame cannot be read from the store
     */
    public byte[] jpeg() throws IOException {
        return jpeg != null ? jpeg : read(event.getUri());
    }

    /**
     * @param uri a frame-store URI (e.g. {@link #previousUri()})
     * @return the stored bytes
     * @throws IOException when the object is missing or unreadable
     * @throws IllegalArgumentException when the URI is malformed or not in the store
     */
    public byte[] read(String uri) throws IOException {
        return store.get(URI.create(uri));
    }

    /**
     * Reads and decodes another frame of the store.
     *
     * @param uri a frame-store URI of a JPEG
     * @return the frame as 8-bit 3-channel BGR; the caller closes it
     * @throws IOException when the object is missing, unreadable or not a decodable image
     * @throws IllegalArgumentException when the URI is malformed or not in the store
     */
    public Mat readFrame(String uri) throws IOException {
        byte[] bytes = read(uri);
        Mat image;
        try (BytePointer data = new BytePointer(bytes); Mat buf = new Mat(data)) {
            image = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
        }
        if (image.empty()) {
            image.close();
            throw new IOException("cannot decode frame " + uri);
        }
        return image;
    }
}
