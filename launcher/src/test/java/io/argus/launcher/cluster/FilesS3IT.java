package io.argus.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.edge.files.FilesBackend;
import io.argus.edge.media.ByteSource;
import io.argus.extractor.store.S3FrameStore;
import io.argus.extractor.store.S3StoreConfig;
import io.argus.launcher.files.FileMedia;
import io.argus.schemas.avro.FileInfo;

/**
 * The media API's file backend over a real S3-compatible server (s3proxy in its own JVM): an
 * uploaded file is streamed back by ranges from the object, thumbnails and clips decode a local
 * copy, and deleting removes the object and the copy.
 */
class FilesS3IT {

    @TempDir
    Path dir;

    @Test
    void filesInS3AreServedByRangeDecodedAndDeleted() throws Exception {
        Path car = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && car == null; d = d.getParent()) {
            Path f = d.resolve("eval/clips/car-detection.mp4");
            car = Files.isRegularFile(f) ? f : null;
        }
        assertThat(car).isNotNull();
        byte[] bytes = Files.readAllBytes(car);
        try (S3ProxyProcess s3 = S3ProxyProcess.start(dir, "argus-files");
             S3FrameStore store = new S3FrameStore(S3StoreConfig.of("argus-files", "argus", s3.endpoint())
                     .withCredentials(S3ProxyProcess.ACCESS_KEY, S3ProxyProcess.SECRET_KEY))) {
            Path work = dir.resolve("work");
            FileMedia media = new FileMedia(store, work, 1L << 30);
            FileInfo f;
            try (InputStream in = Files.newInputStream(car)) {
                f = media.upload(in, "car-detection.mp4");
            }
            assertThat(f.getUri()).startsWith("s3:");
            assertThat(f.getFrameCount()).isEqualTo(377);

            ByteSource src = media.open(f);
            assertThat(src.length()).isEqualTo(bytes.length);
            try (InputStream in = src.open(100_000, 163_535)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100_000, 163_536));
            }
            try (InputStream in = src.open(bytes.length - 10, bytes.length - 1)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
            }

            byte[] jpeg = media.thumbnail(f, 200, new FilesBackend.Crop(0, 0, 64, 32));
            assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
            assertThatThrownBy(() -> media.thumbnail(f, 377, null)).isInstanceOf(FilesBackend.NoSuchFrame.class);
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            media.clip(f, new FilesBackend.Clip(10, 20, true, false), ts);
            assertThat(ts.size()).isPositive();
            assertThat(ts.toByteArray()[0]).as("MPEG-TS sync byte").isEqualTo((byte) 0x47);
            assertThat(Files.exists(work.resolve("cache").resolve(f.getFileUuid()))).isTrue();

            media.delete(f);
            assertThatThrownBy(() -> store.get(URI.create(f.getUri()))).isInstanceOf(NoSuchFileException.class);
            assertThat(Files.exists(work.resolve("cache").resolve(f.getFileUuid()))).isFalse();
        }
    }
}
