package io.argus.edge.files;

import static io.argus.edge.http.Replies.send;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.edge.media.ByteSource;
import io.argus.edge.media.RangeResponder;
import io.argus.edge.render.ApiJson;
import io.argus.edge.traffic.JobRecords;
import io.argus.edge.view.JobView;
import io.argus.schemas.avro.ErrorInfo;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.avro.FrameResult;
import io.argus.schemas.avro.JobState;
import io.argus.schemas.avro.JobStatus;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/file/{file_uuid}/video/bbox}: the file with every stored box of its analysis
 * job drawn (box, class, track id, score, in the bitmap font), rendered once and kept in the store,
 * then served with HTTP ranges like {@code /video}.
 *
 * <p>Why rendered and kept rather than streamed: a player seeks, and seeking needs ranges over a
 * file of known length; the boxes of a file never change once its job is done; and an encode costs
 * about as much as the video lasts on one core, which should be paid once, not per viewer. The
 * traffic API serves its annotated video the same way.
 *
 * <p>Answers:
 * <ul>
 *   <li>409 {@code "no analysis"}: the file was uploaded with {@code ops=none} (or none of the
 *       default ops could run), so there are no boxes to draw;
 *   <li>202 {@code {"status": "analysing"}} with {@code Retry-After} while the job runs, and
 *       202 {@code {"status": "rendering"}} while the video is rendered;
 *   <li>409 {@code "analysis failed"} / {@code "analysis cancelled"} with the job's error;
 *   <li>500 {@code "cannot render"} when the render failed (the next request tries again);
 *   <li>200/206/304/416 with the MP4 once rendered: the media routes' {@code Cache-Control} ({@code public, max-age=86400} on an open edge),
 *       an {@code ETag} of the file, job, {@code mode}, {@code audio} and the render's length.
 * </ul>
 * When the job finishes, the default rendering ({@code mode=normal&audio=on}) is started at once,
 * so that it is usually ready when asked for; the others are rendered on the first request. One
 * render runs at a time; each variant is rendered once (the store keeps it under
 * {@code files/<file_uuid>/bbox-<job>[-debug][-audio].mp4}, deleted with the file).
 */
final class BboxVideos implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BboxVideos.class);
    /** Seconds a client is asked to wait before asking again. */
    static final int RETRY_AFTER_S = 5;
    /** Longest an analysis job is waited for to start its default rendering. */
    static final Duration LONGEST_JOB = Duration.ofHours(12);
    /** Seconds waited for the tracker's end record of a finished job. */
    static final int END_WAIT_TRIES = 30;

    private final FilesBackend backend;
    private final FileView files;
    private final JobView jobs;
    private final Topics topics;
    private final JobRecords records;
    private final Map<String, CompletableFuture<ByteSource>> renders = new ConcurrentHashMap<>();
    private final ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-files-bbox");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param backend the renderer and the store
     * @param files   the file view (a file deleted meanwhile is not rendered)
     * @param jobs    the job view (the analysis job's state)
     * @param topics  topic registry ({@link Topics#tracks()}, {@link Topics#frameResults()})
     * @param kafka   connection settings to read them
     */
    BboxVideos(FilesBackend backend, FileView files, JobView jobs, Topics topics, KafkaSettings kafka) {
        this.backend = backend;
        this.files = files;
        this.jobs = jobs;
        this.topics = topics;
        this.records = new JobRecords(kafka);
    }

    /** @return the store key of a rendering */
    static String key(FileInfo file, boolean debug, boolean audio) {
        return "files/" + file.getFileUuid() + "/bbox-" + file.getJobId() + (debug ? "-debug" : "")
                + (audio ? "-audio" : "") + ".mp4";
    }

    /**
     * Starts the default rendering once the file's job is done (nothing when it has none, or the
     * job fails).
     *
     * @param file a file with a job
     */
    void renderWhenDone(FileInfo file) {
        if (file.getJobId() == null) {
            return;
        }
        jobs.awaitDone(file.getJobId()).orTimeout(LONGEST_JOB.toMillis(), TimeUnit.MILLISECONDS)
                .thenAccept(outcome -> {
                    if (outcome.state() == JobState.FINISHED && files.get(file.getFileUuid()).isPresent()) {
                        render(file, false, file.getHasAudio());
                    }
                });
    }

    /**
     * Answers a request for the file's annotated video.
     *
     * @param ctx   the request
     * @param file  the file
     * @param debug {@code mode=debug}
     * @param audio {@code audio=on} (and the file has audio)
     * @throws IOException when the render cannot be read
     */
    void serve(Context ctx, FileInfo file, boolean debug, boolean audio) throws IOException {
        String job = file.getJobId();
        if (job == null) {
            send(ctx, 409, ApiJson.error("no analysis").put("detail", "file " + file.getFileUuid()
                    + " was uploaded without an analysis job (ops=none), so it has no boxes to draw; upload it again "
                    + "without ops for the default analysis (" + UploadAnalysis.DEFAULT_OPS + ")"));
            return;
        }
        Optional<JobStatus> status = jobs.status(job);
        JobState state = status.map(JobStatus::getStatus).orElse(JobState.WAITING);
        if (state == JobState.FAILED || state == JobState.CANCELLED) {
            ErrorInfo e = status.get().getError();
            ObjectNode out = ApiJson.error(state == JobState.FAILED ? "analysis failed" : "analysis cancelled");
            out.put("job", job);
            out.put("detail", e != null ? e.getMessage() : "the analysis job " + job + " is " + state);
            send(ctx, 409, out);
            return;
        }
        if (state != JobState.FINISHED) {
            pending(ctx, file, "analysing", "the analysis job is " + state);
            return;
        }
        String key = key(file, debug, audio);
        Optional<ByteSource> stored = backend.rendered(file, key);
        if (stored.isPresent()) {
            answer(ctx, file, debug, audio, stored.get());
            return;
        }
        CompletableFuture<ByteSource> r = render(file, debug, audio);
        if (!r.isDone()) {
            pending(ctx, file, "rendering", "the video with its boxes is being rendered");
            return;
        }
        try {
            answer(ctx, file, debug, audio, r.join());
        } catch (CompletionException e) {
            renders.remove(key, r);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            send(ctx, 500, ApiJson.error("cannot render").put("detail", String.valueOf(cause.getMessage())));
        }
    }

    private CompletableFuture<ByteSource> render(FileInfo file, boolean debug, boolean audio) {
        String key = key(file, debug, audio);
        return renders.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            try {
                Optional<ByteSource> stored = backend.rendered(file, k);
                if (stored.isPresent()) {
                    return stored.get();
                }
                List<TrackFrame> tracks = records.read(topics.tracks(), file.getJobId());
                // the tracker's end record closes a tracked job's records: wait for it (briefly)
                for (int i = 0; i < END_WAIT_TRIES && !tracks.isEmpty() && !tracks.get(tracks.size() - 1).getEnd(); i++) {
                    Thread.sleep(1_000);
                    tracks = records.read(topics.tracks(), file.getJobId());
                }
                List<FrameResult> results = records.read(topics.frameResults(), file.getJobId());
                long started = System.nanoTime();
                ByteSource out = backend.renderBbox(file, new FilesBackend.Bbox(file.getJobId(), tracks, results,
                        debug, audio, k));
                LOG.info("File {}: rendered {} ({} bytes, {} tracked frames, {} results) in {} ms",
                        file.getFileUuid(), k, out.length(), tracks.size(), results.size(),
                        (System.nanoTime() - started) / 1_000_000);
                return out;
            } catch (IOException e) {
                LOG.warn("File {}: cannot render {}: {}", file.getFileUuid(), k, e.toString());
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, renderer));
    }

    private static void pending(Context ctx, FileInfo file, String status, String detail) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("file_uuid", file.getFileUuid());
        out.put("job", file.getJobId());
        out.put("status", status);
        out.put("detail", detail + "; ask again in " + RETRY_AFTER_S + " s");
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_S));
        ctx.header("Cache-Control", "no-store");
        send(ctx, 202, out);
    }

    private static void answer(Context ctx, FileInfo file, boolean debug, boolean audio, ByteSource render)
            throws IOException {
        String etag = "\"" + file.getFileUuid() + "-" + file.getJobId() + "-bbox" + (debug ? "-debug" : "")
                + (audio ? "-audio" : "") + "-" + Long.toHexString(render.length()) + "\"";
        ctx.header("Cache-Control", FileMediaRoutes.cacheControl(ctx));
        RangeResponder.send(ctx, new ByteSource() {
            @Override
            public long length() {
                return render.length();
            }

            @Override
            public String etag() {
                return etag;
            }

            @Override
            public Instant lastModified() {
                return render.lastModified();
            }

            @Override
            public InputStream open(long from, long to) throws IOException {
                return render.open(from, to);
            }
        }, "video/mp4");
    }

    /** @param fileUuid a deleted file: its renders are forgotten */
    void forget(String fileUuid) {
        renders.keySet().removeIf(k -> k.startsWith("files/" + fileUuid + "/"));
    }

    @Override
    public void close() {
        renderer.shutdownNow();
    }
}
