package io.argus.edge.frames;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Read access to the deployment's frame store for the edge, which serves stored frames and
 * extraction files over HTTP ({@code GET /v1/frames?uri=…}, {@link io.argus.edge.http.FrameRoutes}).
 * The launcher hands it to the edge as the {@link io.argus.edge.extract.ExtractionStorage} it
 * already passes (one object implementing both), so the edge never depends on a store's kind.
 */
public interface StoredFrames {

    /** Path of the route serving stored objects. */
    String PATH = "/v1/frames";

    /**
     * @param uri a frame-store URI as events, results and cuts carry it ({@code file:///…/frames/<job>/<seq>.jpg},
     *            {@code s3://bucket/prefix/<job>/<seq>.jpg})
     * @return the stored bytes
     * @throws java.nio.file.NoSuchFileException when nothing is stored there (e.g. deleted by retention)
     * @throws IOException              when the store cannot be read
     * @throws IllegalArgumentException when the URI is not one of this store's (another root, another
     *                                  kind of store, a key that is not allowed)
     */
    byte[] read(String uri) throws IOException;

    /**
     * @param uri a frame-store URI
     * @return the path and query on the edge's HTTP API that serves it, {@code /v1/frames?uri=<uri,
     *         percent-encoded>}: relative to the API's base URL, which only the client knows (the edge
     *         may sit behind a proxy)
     */
    static String url(String uri) {
        return PATH + "?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
    }
}
