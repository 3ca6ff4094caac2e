package io.argus.media.render;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.LocalFrameStore;

/**
 * Renders a video held in the store and keeps the annotated MP4 in the store: the source is read
 * in place from a local store, or streamed from S3 to a temporary file first (FFmpeg needs to seek
 * an MP4); the output is rendered to a temporary file and moved into the store
 * ({@link FrameStore#moveIn}) under the caller's key, e.g. {@code files/<file_uuid>/annotated.mp4}.
 * Temporary files are deleted whatever happens. Thread-safe.
 */
public final class StoredVideoRenderer {

    private final FrameStore store;
    private final AnnotatedVideoWriter writer;
    private final Path workDir;

    /**
     * @param store   where sources are read and outputs kept
     * @param writer  the renderer
     * @param workDir directory for temporary files (created when missing); on the local store's
     *                file system the output is renamed into place rather than copied
     * @throws IOException when the directory cannot be created
     */
    public StoredVideoRenderer(FrameStore store, AnnotatedVideoWriter writer, Path workDir) throws IOException {
        this.store = store;
        this.writer = writer;
        this.workDir = Files.createDirectories(workDir);
    }

    /**
     * What was rendered and where it is kept.
     *
     * @param uri    the store URI of the annotated MP4
     * @param result frames, size and timing of the render
     */
    public record Stored(URI uri, RenderResult result) {
    }

    /**
     * @param source      store URI of the source video
     * @param annotations what to draw
     * @param outputKey   store key of the MP4, e.g. {@code files/<file_uuid>/annotated.mp4}
     * @return the stored output
     * @throws SourceException          400 "cannot open the file" when the source is not a video
     * @throws java.nio.file.NoSuchFileException when the source is not in the store
     * @throws IllegalArgumentException for a URI of another store or a key the store refuses
     * @throws IOException              when reading, rendering or storing fails
     */
    public Stored render(URI source, Annotations annotations, String outputKey) throws SourceException, IOException {
        io.argus.extractor.store.StoreKeys.check(outputKey);
        Path copy = null;
        Path out = Files.createTempFile(workDir, "render-", ".mp4");
        try {
            Path input;
            if (store instanceof LocalFrameStore local) {
                input = local.pathOf(source);
                if (!Files.isRegularFile(input)) {
                    throw new java.nio.file.NoSuchFileException(source.toString());
                }
            } else {
                copy = Files.createTempFile(workDir, "source-", ".video");
                try (InputStream in = store.open(source)) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                input = copy;
            }
            RenderResult r = writer.render(input, annotations, out);
            URI uri = store.moveIn(outputKey, out);
            return new Stored(uri, r);
        } finally {
            Files.deleteIfExists(out);
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }
}
