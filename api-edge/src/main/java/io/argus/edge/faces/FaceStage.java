package io.argus.edge.faces;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.argus.edge.files.FileView;
import io.argus.edge.files.FilesBackend;
import io.argus.edge.frames.StoredFrames;
import io.argus.edge.http.Routes;
import io.argus.edge.submit.AckedProducer;
import io.argus.schemas.avro.FileInfo;
import io.argus.schemas.kafka.KafkaSettings;
import io.argus.schemas.topics.Topics;
import io.javalin.http.Context;

/**
 * The faces part of the edge, put together: the views of {@code argus.faces} and
 * {@code argus.identities} (awaited at start, like the file view), and the trace, identity and face
 * search routes over them and the face index.
 */
public final class FaceStage implements AutoCloseable {

    private final FaceView faces;
    private final IdentityView identities;
    private final List<Routes> routes = new ArrayList<>();
    private final TraceVideos videos;
    private final Topics topics;
    private final AckedProducer eraser;

    /**
     * Starts the views and makes the routes.
     *
     * @param topics   topic registry
     * @param kafka    connection settings
     * @param backend  the media API's file backend (renders trace videos)
     * @param face     blur measure and photo faces
     * @param frames   the frame store (crops)
     * @param files    the file view
     * @param find     the file of a request, access checked ({@code FileRoutes.readable})
     * @param index    the face search index
     * @param startTimeout longest wait for the views to catch up
     * @throws IllegalStateException when a view does not catch up in time
     */
    public FaceStage(Topics topics, KafkaSettings kafka, FilesBackend backend, FaceBackend face, StoredFrames frames,
                     FileView files, Function<Context, Optional<FileInfo>> find, FaceIndex index, Duration startTimeout) {
        this.topics = topics;
        this.eraser = new AckedProducer(kafka, "argus-api-edge-face-eraser", Duration.ofSeconds(30));
        this.faces = new FaceView(topics, kafka);
        this.identities = new IdentityView(topics, kafka);
        faces.start();
        identities.start();
        try {
            faces.caughtUp().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            identities.caughtUp().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the face views", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("face views did not catch up: " + e, e);
        }
        FaceCrops crops = new FaceCrops(frames);
        this.videos = new TraceVideos(backend);
        TraceRoutes traces = new TraceRoutes(find, faces, identities, crops, face, videos);
        routes.add(traces);
        routes.add(new IdentityRoutes(find, files, faces, identities, traces, topics,
                new AckedProducer(kafka, "argus-api-edge-identities", Duration.ofSeconds(30))));
        routes.add(new FaceSearchRoutes(index, face, crops, files));
    }

    /** @return the routes to serve */
    public List<Routes> routes() {
        return routes;
    }

    /** @return the faces of the traces */
    public FaceView faces() {
        return faces;
    }

    /**
     * Erases a deleted file's job's faces: a tombstone on {@code argus.faces} for each (so every
     * edge's views and face index drop them), and a {@code FORGET} command taking its traces out of
     * their identities.
     *
     * @param jobId the job
     * @throws IllegalStateException when Kafka does not take the records (the file is then kept and a
     *                               retry finishes)
     */
    public void forgetJob(String jobId) {
        java.util.List<String> keys = new ArrayList<>();
        java.util.List<String> traces = new ArrayList<>();
        faces.traces(jobId).forEach((trace, fs) -> {
            traces.add(jobId + "/" + trace);
            fs.forEach(f -> keys.add(jobId + "/" + trace + "/" + f.seq()));
        });
        if (keys.isEmpty()) {
            return;
        }
        try {
            eraser.deleteAll(topics.faces(), keys);
            eraser.write(topics.identityLog(), Topics.IDENTITY_LOG_KEY, io.argus.schemas.avro.IdentityInput.newBuilder()
                    .setCommand(io.argus.schemas.avro.IdentityCommand.newBuilder()
                            .setRequestId(java.util.UUID.randomUUID().toString())
                            .setAction(io.argus.schemas.avro.IdentityAction.FORGET).setIdentity("")
                            .setTraces(traces).build()).build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot erase the faces of job " + jobId + ": " + e.getMessage(), e);
        }
        faces.forget(jobId);
    }

    @Override
    public void close() {
        eraser.close();
        faces.close();
        identities.close();
        if (videos != null) {
            videos.close();
        }
    }
}
