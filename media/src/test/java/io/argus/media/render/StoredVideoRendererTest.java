package io.argus.media.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.extractor.store.LocalFrameStore;
import io.argus.media.TestVideos;
import io.argus.media.upload.FileRecord;
import io.argus.media.upload.VideoUploads;

/** An uploaded file rendered from the store into the store. */
class StoredVideoRendererTest {

    private Path dir;
    private LocalFrameStore store;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("argus-stored-render");
        store = new LocalFrameStore(dir.resolve("store"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestVideos.deleteTree(dir);
    }

    @Test
    void anUploadedFileIsRenderedIntoTheStore() throws Exception {
        FileRecord file;
        try (InputStream in = Files.newInputStream(TestVideos.clip("person-bicycle-car-detection-preview.mp4"))) {
            file = new VideoUploads(store, dir.resolve("spool")).upload(in, "clip.mp4");
        }
        Annotations a = Annotations.builder().frame(0, List.of(Overlay.of(10, 20, 50, 40, "car", 1, 0.8)))
                .frame(2000, List.of(Overlay.of(110, 60, 50, 40, "car", 1, 0.8))).build();
        StoredVideoRenderer renderer = new StoredVideoRenderer(store, new AnnotatedVideoWriter(), dir.resolve("work"));
        String key = "files/" + file.fileUuid() + "/annotated.mp4";
        StoredVideoRenderer.Stored out = renderer.render(file.uri(), a, key);
        assertEquals(store.root().resolve(key).toUri(), out.uri());
        Map<String, String> probe = TestVideos.probe(store.pathOf(out.uri()));
        assertEquals("h264", probe.get("codec_name"));
        assertEquals(Long.toString(file.frameCount()), probe.get("nb_read_frames"));
        assertEquals(file.frameCount(), out.result().frames());
        try (var left = Files.list(dir.resolve("work"))) {
            assertEquals(0, left.count(), "no temporary file left");
        }
        URI missing = store.root().resolve("files/none/video.mp4").toUri();
        assertThrows(NoSuchFileException.class, () -> renderer.render(missing, a, "files/none/annotated.mp4"));
    }
}
