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
import io.argus.extractor.source.FileRoots;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.media.frames.ClipEncoder;
import io.argus.media.frames.StreamCopyCut;
import io.argus.media.frames.Thumbnails;
import io.argus.media.render.AnnotatedVideoWriter;
import io.argus.media.render.Annotations;
import io.argus.media.render.AudioMux;
import io.argus.media.render.StoredVideoRenderer;
import io.argus.media.upload.FileRecord;
import io.argus.media.upload.UploadException;
import io.argus.media.upload.VideoProber;
import io.argus.media.upload.VideoUploads;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.net.UrlGuard;

/**
 * The media API's file backend over the deployment's frame store: uploads through
 * {@link VideoUploads} (kept under {@code files/<file_uuid>/}), thumbnails through
 * {@link Thumbnails}, clips through {@link ClipEncoder}, zero-loss cuts through {@link StreamCopyCut},
 * the video with its boxes ({@code /video/bbox}) drawn from the job's records by
 * {@link BboxAnnotations} and rendered by {@link StoredVideoRenderer} (H.264 MP4, silent), the
 * source's audio then copied next to it by {@link AudioMux} when asked for.
 *
 * <p>A file in the local store is read where it lies. From another store (S3) {@code /video}
 * streams the object (a range skips to its first byte; nothing is held in memory), and the
 * decoders, which seek, read a local copy made once under {@code <workDir>/cache/} and removed
 * with the file.
 */
public final class FileMedia implements FilesBackend {

    private final FrameStore store;
    private final VideoUploads uploads;
    private final UriImport imports;
    private final Path cacheDir;
    private final Path renderDir;
    private final StoredVideoRenderer renderer;
    /** Renders made here: store key -> URI and size (a remote store cannot say without reading). */
    private final java.util.Map<String, Rendered> renders = new java.util.concurrent.ConcurrentHashMap<>();

    private record Rendered(URI uri, long bytes, Instant at) {
    }

    /**
     * @param store    the frame store
     * @param workDir  scratch directory (spooled uploads, copies of remote files)
     * @param maxBytes largest upload, bytes
     * @throws IOException when the directories cannot be created
     */
    public FileMedia(FrameStore store, Path workDir, long maxBytes) throws IOException {
        this(store, workDir, maxBytes, new UriImport(UrlGuard.defaults(), FileRoots.any()));
    }

    /**
     * @param store    where files go
     * @param workDir  scratch directory (spooled uploads, copies of remote files)
     * @param maxBytes largest upload, bytes
     * @param imports  how registrations by URI reach their videos (the deployment's URL guard and
     *                 file roots)
     * @throws IOException when the directories cannot be created
     */
    public FileMedia(FrameStore store, Path workDir, long maxBytes, UriImport imports) throws IOException {
        this.imports = imports;
        this.store = store;
        this.uploads = new VideoUploads(store, Files.createDirectories(workDir.resolve("uploads")), maxBytes,
                new VideoProber(SourceOpener.UNRESTRICTED));
        this.cacheDir = Files.createDirectories(workDir.resolve("cache"));
        this.renderDir = Files.createDirectories(workDir.resolve("renders"));
        this.renderer = new StoredVideoRenderer(store, new AnnotatedVideoWriter(), renderDir);
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

    @Override
    public FileInfo register(String uri) throws UploadRefused, IOException {
        UriImport.Opened source = imports.open(uri);
        try (InputStream in = source.in()) {
            return upload(in, source.name());
        } catch (UriImport.SlowSource e) { // VideoUploads passes the source's read errors on as they are
            throw new UploadRefused(424, "cannot find the video", e.getMessage());
        }
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
        renders.keySet().removeIf(k -> k.startsWith("files/" + file.getFileUuid() + "/"));
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

    @Override
    public void cut(FileInfo file, long first, long last, boolean audio, CutSink sink) throws NoSuchFrame, IOException {
        Path local = local(file);
        StreamCopyCut.Plan plan;
        try {
            plan = StreamCopyCut.plan(local, first, last, audio);
        } catch (StreamCopyCut.PastTheEnd e) {
            throw new NoSuchFrame("frame " + last + " is past the end of the video: it has " + e.frames() + " frames");
        }
        java.io.OutputStream out = sink.open(new Cut(first, last, plan.startFrame(), plan.endFrame(), plan.frames(),
                plan.videoCodec(), plan.audio()));
        if (out != null) {
            StreamCopyCut.copy(local, plan, out);
        }
    }

    @Override
    public java.util.Optional<ByteSource> rendered(FileInfo file, String key) throws IOException {
        Rendered r = renders.get(key);
        if (r == null && store instanceof LocalFrameStore local) {
            Path p = local.root().resolve(key);
            if (Files.isRegularFile(p)) {
                return java.util.Optional.of(ByteSource.of(p));
            }
        }
        return r == null ? java.util.Optional.empty() : java.util.Optional.of(source(file, r));
    }

    @Override
    public ByteSource renderBbox(FileInfo file, Bbox bbox) throws IOException {
        Annotations annotations = BboxAnnotations.of(bbox.tracks(), bbox.results(), file.getWidth(), file.getHeight(),
                bbox.debug());
        Path source = local(file);
        String silentKey = bbox.audio() ? bbox.key().replace("-audio.mp4", ".mp4") : bbox.key();
        StoredVideoRenderer.Stored silent;
        Rendered known = renders.get(silentKey);
        if (known == null) {
            try {
                silent = renderer.render(URI.create(file.getUri()), annotations, silentKey);
            } catch (io.argus.extractor.source.SourceException e) {
                throw new IOException("cannot render " + file.getFileUuid() + ": " + e.getMessage(), e);
            }
            known = new Rendered(silent.uri(), silent.result().bytes(), Instant.now());
            renders.put(silentKey, known);
        }
        if (!bbox.audio()) {
            return source(file, known);
        }
        Path video = Files.createTempFile(renderDir, "silent-", ".mp4");
        Path muxed = Files.createTempFile(renderDir, "audio-", ".mp4");
        try {
            try (InputStream in = store.open(known.uri())) {
                Files.copy(in, video, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!AudioMux.mux(video, source, muxed)) {
                return source(file, known);
            }
            long bytes = Files.size(muxed);
            URI uri = store.moveIn(bbox.key(), muxed);
            Rendered r = new Rendered(uri, bytes, Instant.now());
            renders.put(bbox.key(), r);
            return source(file, r);
        } finally {
            Files.deleteIfExists(video);
            Files.deleteIfExists(muxed);
        }
    }

    /** @return a render's bytes, by range from any store */
    private ByteSource source(FileInfo file, Rendered r) throws IOException {
        if (store instanceof LocalFrameStore local) {
            return ByteSource.of(local.pathOf(r.uri()));
        }
        String etag = "\"" + file.getFileUuid() + "-" + Integer.toHexString(r.uri().hashCode()) + "-"
                + Long.toHexString(r.bytes()) + "\"";
        return ByteSource.of(r.bytes(), etag, Instant.ofEpochSecond(r.at().getEpochSecond()), (from, to) -> {
            InputStream in = store.open(r.uri());
            in.skipNBytes(from);
            return ByteSource.limited(in, to - from + 1);
        });
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
