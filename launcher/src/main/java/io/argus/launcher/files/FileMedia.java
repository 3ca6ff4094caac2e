package io.argus.launcher.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import io.argus.edge.files.FilesBackend;
import io.argus.edge.media.ByteSource;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.media.frames.ClipEncoder;
import io.argus.media.frames.Thumbnails;
import io.argus.media.upload.FileRecord;
import io.argus.media.upload.UploadException;
import io.argus.media.upload.VideoProber;
import io.argus.media.upload.VideoUploads;
import io.argus.schemas.avro.FileInfo;

/**
 * The media API's file backend over the deployment's frame store: uploads through
 * {@link VideoUploads} (kept under {@code files/<file_uuid>/}), thumbnails through
 * {@link Thumbnails}, clips through {@link ClipEncoder}.
 *
 * <p>A file in the local store is read where it lies. From another store (S3) {@code /video}
 * streams the object (a range skips to its first byte; nothing is held in memory), and the
 * decoders, which seek, read a local copy made once under {@code <workDir>/cache/} and removed
 * with the file.
 */
public final class FileMedia implements FilesBackend {

    private final FrameStore store;
    private final VideoUploads uploads;
    private final Path cacheDir;

    /**
     * @param store    the frame store
     * @param workDir  scratch directory (spooled uploads, copies of remote files)
     * @param maxBytes largest upload, bytes
     * @throws IOException when the directories cannot be created
     */
    public FileMedia(FrameStore store, Path workDir, long maxBytes) throws IOException {
        this.store = store;
        this.uploads = new VideoUploads(store, Files.createDirectories(workDir.resolve("uploads")), maxBytes,
                new VideoProber(SourceOpener.UNRESTRICTED));
        this.cacheDir = Files.createDirectories(workDir.resolve("cache"));
    }

    @Override
    public long maxUploadBytes() {
        return uploads.maxBytes();
    }

    @Override
    public FileInfo upload(InputStream in, String fileName) throws UploadRefused, IOException {
        FileRecord f;
        try {
            f = uploads.upload(in, fileName);
        } catch (UploadException e) {
            throw new UploadRefused(e.status(), e.status() == 400 ? "cannot open the file" : e.getMessage());
        }
        return info(f, fileName);
    }

    /**
     * @param f        a stored, probed upload
     * @param fileName the client's file name, or null
     * @return its file record for {@code argus.files} (created_at now, no job yet); the traffic
     *         API's uploads are recorded the same way
     */
    public static FileInfo info(FileRecord f, String fileName) {
        return FileInfo.newBuilder()
                .setFileUuid(f.fileUuid())
                .setUri(f.uri().toString())
                .setName(fileName)
                .setSizeBytes(f.sizeBytes())
                .setDurationMs(f.durationMs())
                .setFps(f.fps())
                .setFrameCount(f.frameCount())
                .setWidth(f.width())
                .setHeight(f.height())
                .setVideoCodec(f.videoCodec())
                .setHasAudio(f.hasAudio())
                .setAudioCodec(f.audioCodec())
                .setCreatedAt(System.currentTimeMillis())
                .build();
    }

    @Override
    public String jobSource(FileInfo file) {
        URI uri = URI.create(file.getUri());
        return store instanceof LocalFrameStore local ? local.pathOf(uri).toString() : uri.toString();
    }

    @Override
    public ByteSource open(FileInfo file) throws IOException {
        URI uri = URI.create(file.getUri());
        if (store instanceof LocalFrameStore local) {
            return ByteSource.of(local.pathOf(uri));
        }
        long length = file.getSizeBytes();
        String etag = "\"" + file.getFileUuid() + "-" + Long.toHexString(length) + "\"";
        Instant modified = Instant.ofEpochSecond(file.getCreatedAt() / 1000);
        return ByteSource.of(length, etag, modified, (from, to) -> {
            InputStream in = store.open(uri);
            in.skipNBytes(from);
            return ByteSource.limited(in, to - from + 1);
        });
    }

    @Override
    public void delete(FileInfo file) throws IOException {
        store.deletePrefix("files/" + file.getFileUuid());
        Files.deleteIfExists(cacheDir.resolve(file.getFileUuid()));
    }

    @Override
    public byte[] thumbnail(FileInfo file, long frame, Crop crop) throws NoSuchFrame, IOException {
        byte[] jpeg = crop == null ? Thumbnails.jpeg(local(file), frame, 0, 0, 0, 0)
                : Thumbnails.jpeg(local(file), frame, crop.x(), crop.y(), crop.w(), crop.h());
        if (jpeg == null) {
            throw new NoSuchFrame("frame " + frame + " is past the end of the video (" + file.getFrameCount()
                    + " frames)");
        }
        return jpeg;
    }

    @Override
    public void clip(FileInfo file, Clip clip, OutputStream out) throws NoSuchFrame, IOException {
        long n = ClipEncoder.encode(local(file), clip.startFrame(), clip.endFrame(), clip.audio(), clip.debug(), out);
        if (n == 0) {
            throw new NoSuchFrame("frame " + clip.startFrame() + " is past the end of the video");
        }
    }

    /** @return the file on the local disk: where the local store keeps it, else a copy made once */
    private Path local(FileInfo file) throws IOException {
        URI uri = URI.create(file.getUri());
        if (store instanceof LocalFrameStore localStore) {
            return localStore.pathOf(uri);
        }
        Path copy = cacheDir.resolve(file.getFileUuid());
        if (!Files.exists(copy)) {
            Path part = Files.createTempFile(cacheDir, file.getFileUuid(), ".part");
            try (InputStream in = store.open(uri)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return copy;
    }
}
