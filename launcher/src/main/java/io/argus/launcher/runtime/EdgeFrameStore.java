package io.argus.launcher.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

import io.argus.edge.extract.ExtractionStorage;
import io.argus.edge.frames.StoredFrames;
import io.argus.extractor.store.FrameStore;

/**
 * The frame store as the edge uses it: deletes extraction files ({@link ExtractionStorage}) and
 * reads stored objects for {@code GET /v1/frames} ({@link StoredFrames}). The store itself checks
 * that a URI is one of its own (same kind, inside its root, a valid key); a local directory (a
 * job's folder) is no stored object and reads as missing.
 */
final class EdgeFrameStore implements ExtractionStorage, StoredFrames {

    private final FrameStore store;

    /** @param store the deployment's frame store */
    EdgeFrameStore(FrameStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        return store.deletePrefix(prefix);
    }

    @Override
    public byte[] read(String uri) throws IOException {
        try {
            URI u = new URI(uri);
            if ("file".equals(u.getScheme()) && u.getAuthority() == null && u.getPath() != null
                    && Files.isDirectory(Path.of(u.getPath()))) {
                throw new NoSuchFileException(uri, null, "a directory, not a stored object");
            }
            return store.get(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + e.getMessage(), e);
        }
    }
}
