package io.argus.media.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.media.TestVideos;

/** Uploads streamed into a real local store, probed with FFmpeg and checked against ffprobe. */
class VideoUploadsTest {

    private Path dir;
    private LocalFrameStore store;
    private Path spool;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("argus-uploads");
        store = new LocalFrameStore(dir.resolve("store"));
        spool = dir.resolve("store-spool");
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestVideos.deleteTree(dir);
    }

    @Test
    void aRealVideoIsStoredWithWhatFfprobeSeesInIt() throws Exception {
        for (String clip : new String[] {"car-detection.mp4", "person-bicycle-car-detection-preview.mp4"}) {
            Path source = TestVideos.clip(clip);
            FileRecord r;
            try (InputStream in = Files.newInputStream(source)) {
                r = new VideoUploads(store, spool).upload(in, clip);
            }
            Map<String, String> probe = TestVideos.probe(source);
            assertTrue(FileRecord.FILE_UUID.matcher(r.fileUuid()).matches(), r.fileUuid());
            assertEquals(store.root().resolve("files/" + r.fileUuid() + "/video.mp4").toUri(), r.uri());
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(store.pathOf(r.uri())), clip);
            assertEquals(Files.size(source), r.sizeBytes());
            assertEquals(Long.parseLong(probe.get("nb_read_frames")), r.frameCount(), clip + " frames");
            assertEquals(Integer.parseInt(probe.get("width")), r.width());
            assertEquals(Integer.parseInt(probe.get("height")), r.height());
            String[] rate = probe.get("avg_frame_rate").split("/");
            assertEquals(Double.parseDouble(rate[0]) / Double.parseDouble(rate[1]), r.fps(), 1e-6, clip + " fps");
            // FFmpeg's container duration; ffprobe's may differ by the audio's tail (car-detection: 30.160 / 30.208 s)
            assertEquals(Double.parseDouble(probe.get("format.duration")) * 1000, r.durationMs(), 1000 / r.fps(),
                    clip + " duration within one frame");
            assertEquals(probe.get("codec_name"), r.videoCodec());
            assertEquals("1".equals(probe.get("audio")), r.hasAudio(), clip + " audio");
            if (!r.hasAudio()) {
                assertNull(r.audioCodec());
            }
            System.out.println(clip + ": " + r);
        }
        assertEquals(true, r(car()).hasAudio(), "car-detection.mp4 has AAC audio");
        assertSpoolEmpty();
    }

    private static Path car() {
        return TestVideos.clip("car-detection.mp4");
    }

    private FileRecord r(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new VideoUploads(store, spool).upload(in, null);
        }
    }

    @Test
    void twoUploadsOfOneFileGetTwoIdsAndAnUnknownExtensionIsBin() throws Exception {
        FileRecord a = r(car());
        FileRecord b = r(car());
        assertFalse(a.fileUuid().equals(b.fileUuid()));
        assertTrue(a.uri().getPath().endsWith("/video.bin"), a.uri().toString());
        assertEquals("files/0123456789abcdef0123456789abcdef/video.avi",
                VideoUploads.key("0123456789abcdef0123456789abcdef", "Clip.AVI"));
        assertEquals("files/0123456789abcdef0123456789abcdef/video.bin",
                VideoUploads.key("0123456789abcdef0123456789abcdef", "../../etc/pass wd"));
    }

    @Test
    void sizeLimitsAreReadAsOperatorsWriteThem() {
        assertEquals(VideoUploads.DEFAULT_MAX_BYTES, VideoUploads.parseSize("2g"));
        assertEquals(2L << 30, VideoUploads.parseSize(" 2 GiB "));
        assertEquals(500L << 20, VideoUploads.parseSize("500MB"));
        assertEquals(1234, VideoUploads.parseSize("1234"));
        assertEquals(64L << 10, VideoUploads.parseSize("64k"));
        for (String bad : new String[] {"", "0", "-1", "2x", "1.5g", "99999999999999999999", "9000000000t", null}) {
            assertThrows(IllegalArgumentException.class, () -> VideoUploads.parseSize(bad), String.valueOf(bad));
        }
    }

    @Test
    void emptyAndNonVideoUploadsCannotBeOpenedAndLeaveNothing() throws Exception {
        VideoUploads uploads = new VideoUploads(store, spool);
        for (byte[] body : new byte[][] {new byte[0], "hello, this is not a video\n".getBytes(),
            new byte[100_000]}) {
            UnreadableUploadException e = assertThrows(UnreadableUploadException.class,
                    () -> uploads.upload(new ByteArrayInputStream(body), "x.mp4"));
            assertEquals("cannot open the file", e.getMessage());
            assertEquals(400, e.status());
        }
        // the start of a real MP4 cut short: FFmpeg may open the header but there is no frame
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(car()), 2000);
        UnreadableUploadException e = assertThrows(UnreadableUploadException.class,
                () -> uploads.upload(new ByteArrayInputStream(cut), "cut.mp4"));
        assertEquals("cannot open the file", e.getMessage());
        assertStoreEmpty();
        assertSpoolEmpty();
    }

    @Test
    void anUploadPastTheLimitIs413AndIsNotReadFurther() throws Exception {
        long limit = 1 << 20;
        VideoUploads uploads = new VideoUploads(store, spool, limit, new VideoProber(SourceOpener.UNRESTRICTED));
        GeneratedStream in = new GeneratedStream(10L << 20, 0);
        UploadTooLargeException e = assertThrows(UploadTooLargeException.class, () -> uploads.upload(in, "big.mp4"));
        assertEquals(413, e.status());
        assertEquals(limit, e.limitBytes());
        assertEquals(limit + 1, in.read, "reading stops at the first byte past the limit");
        // exactly at the limit is allowed (then refused as not a video)
        assertThrows(UnreadableUploadException.class,
                () -> uploads.upload(new GeneratedStream(limit, 0), "limit.mp4"));
        assertStoreEmpty();
        assertSpoolEmpty();
    }

    @Test
    void aLargeUploadIsStreamedNotHeldInMemory() throws Exception {
        long size = 200L << 20;
        GeneratedStream in = new GeneratedStream(size, 50L << 20); // heap after GC sampled every 50 MB
        VideoUploads uploads = new VideoUploads(store, spool);
        assertThrows(UnreadableUploadException.class, () -> uploads.upload(in, "big.mp4"));
        assertEquals(size, in.read, "the whole stream was read");
        assertTrue(in.samples >= 4, "samples " + in.samples);
        long growth = in.maxHeap - in.baseline;
        System.out.printf("200 MB upload: heap after GC grew by at most %.1f MB over %d samples%n", growth / 1e6,
                in.samples);
        assertTrue(growth < 64L << 20, "heap grew by " + growth + " bytes while streaming 200 MB");
        assertSpoolEmpty();
    }

    private void assertStoreEmpty() throws Exception {
        try (Stream<Path> s = Files.walk(store.root())) {
            assertEquals(0, s.filter(Files::isRegularFile).count(), "nothing stored");
        }
    }

    private void assertSpoolEmpty() throws Exception {
        try (Stream<Path> s = Files.list(spool)) {
            assertEquals(0, s.count(), "no spool file left");
        }
    }

    /**
     * A stream of generated bytes that, every {@code sampleEvery} bytes, runs a GC and records the
     * heap in use, so that a test sees the heap while the upload is in progress.
     */
    private static final class GeneratedStream extends InputStream {
        private final long size;
        private final long sampleEvery;
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long read;
        long baseline;
        long maxHeap;
        int samples;

        GeneratedStream(long size, long sampleEvery) {
            this.size = size;
            this.sampleEvery = sampleEvery;
            if (sampleEvery > 0) {
                baseline = heapAfterGc();
            }
        }

        private long heapAfterGc() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - read);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((read + i) * 31 >>> 3);
            }
            long before = read;
            read += n;
            if (sampleEvery > 0 && before / sampleEvery != read / sampleEvery) {
                maxHeap = Math.max(maxHeap, heapAfterGc());
                samples++;
            }
            return n;
        }
    }
}
