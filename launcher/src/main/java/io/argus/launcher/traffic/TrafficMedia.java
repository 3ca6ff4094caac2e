package io.argus.launcher.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.aggregator.counting.CountEvent;
import io.argus.aggregator.counting.IntervalTotals;
import io.argus.aggregator.counting.LineTotals;
import io.argus.aggregator.counting.Recount;
import io.argus.aggregator.counting.TrackingSpecs;
import io.argus.edge.media.ByteSource;
import io.argus.edge.traffic.TrafficBackend;
import io.argus.extractor.source.SourceException;
import io.argus.extractor.store.FrameStore;
import io.argus.extractor.store.LocalFrameStore;
import io.argus.media.render.AnnotatedVideoWriter;
import io.argus.media.render.Annotations;
import io.argus.media.render.CountingLine;
import io.argus.media.render.FrameAnnotator;
import io.argus.media.render.Overlay;
import io.argus.media.render.StoredVideoRenderer;
import io.argus.media.upload.FileRecord;
import io.argus.media.upload.UploadException;
import io.argus.media.upload.VideoUploads;
import io.argus.schemas.avro.CountKind;
import io.argus.schemas.avro.CountLine;
import io.argus.schemas.avro.JobRequest;
import io.argus.schemas.avro.LinePoint;
import io.argus.schemas.avro.TrackBox;
import io.argus.schemas.avro.TrackFrame;
import io.argus.schemas.avro.TrackPhase;
import io.argus.schemas.avro.TrafficCount;

/**
 * The traffic API's backend over the deployment's frame store: uploads through
 * {@link VideoUploads}, annotated videos through {@link StoredVideoRenderer}, frames drawn with
 * {@link FrameAnnotator}, recounts with the aggregator's {@link Recount}.
 *
 * <p>Drawn: each track that is confirmed and matched on a frame (the boxes the counts count), with
 * class and id; the counting lines; and a caption with the people and vehicles in view and the
 * passes so far ({@code people N  vehicles M  passes P/V}).
 */
public final class TrafficMedia implements TrafficBackend {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrameStore store;
    private final VideoUploads uploads;
    private final StoredVideoRenderer renderer;
    /** Sizes of the videos this backend rendered (or measured), bytes, by store URI. */
    private final java.util.Map<String, Long> sizes = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param store    the frame store (uploads and videos are kept there too)
     * @param workDir  scratch directory for spooled uploads and renders
     * @param maxBytes largest upload, bytes
     * @throws IOException when the directories cannot be created
     */
    public TrafficMedia(FrameStore store, Path workDir, long maxBytes) throws IOException {
        this.store = store;
        this.uploads = new VideoUploads(store, Files.createDirectories(workDir.resolve("uploads")), maxBytes,
                new io.argus.media.upload.VideoProber(io.argus.extractor.source.SourceOpener.UNRESTRICTED));
        this.renderer = new StoredVideoRenderer(store, new AnnotatedVideoWriter(), workDir.resolve("renders"));
    }

    @Override
    public long maxUploadBytes() {
        return uploads.maxBytes();
    }

    @Override
    public Upload upload(InputStream in, String fileName) throws UploadRefused, IOException {
        FileRecord f;
        try {
            f = uploads.upload(in, fileName);
        } catch (UploadException e) {
            throw new UploadRefused(e.status(), e.status() == 400 ? "cannot open the file" : e.getMessage());
        }
        String uri = store instanceof LocalFrameStore local ? local.pathOf(f.uri()).toString() : f.uri().toString();
        return new Upload(f.fileUuid(), uri, f.durationMs(), f.width(), f.height(),
                io.argus.launcher.files.FileMedia.info(f, fileName));
    }

    @Override
    public String render(String sourceUri, JobRequest request, List<TrackFrame> tracks, List<TrafficCount> counts,
                         String key) throws IOException {
        Annotations.Builder a = Annotations.builder();
        for (TrackFrame f : tracks) {
            if (!f.getEnd()) {
                a.frame(f.getOffsetMs(), overlays(f));
            }
        }
        lines(request).forEach(a::line);
        int passesP = 0;
        int passesV = 0;
        for (TrafficCount c : counts) {
            if (c.getKind() == CountKind.EVENT && c.getEvent() != null && "pass".equals(c.getEvent().getDirection())) {
                if ("pedestrian".equals(c.getEvent().getCategory())) {
                    passesP++;
                } else if ("vehicle".equals(c.getEvent().getCategory())) {
                    passesV++;
                }
            } else if (c.getKind() == CountKind.FRAME && c.getFrame() != null) {
                a.caption(c.getOffsetMs(), List.of(String.format("people %d  vehicles %d  passes %d/%d",
                        c.getFrame().getPeopleCount(), c.getFrame().getVehicleCount(), passesP, passesV)));
            }
        }
        URI source = sourceUri.startsWith("/") ? Path.of(sourceUri).toUri() : URI.create(sourceUri);
        try {
            StoredVideoRenderer.Stored stored = renderer.render(source, a.build(), key);
            sizes.put(stored.uri().toString(), stored.result().bytes());
            return stored.uri().toString();
        } catch (SourceException e) {
            throw new IOException("cannot render " + sourceUri + ": " + e.getMessage(), e);
        }
    }

    /** @return the confirmed tracks matched on the frame, as overlays */
    static List<Overlay> overlays(TrackFrame f) {
        List<Overlay> out = new ArrayList<>();
        for (TrackBox t : f.getTracks()) {
            if (t.getState() != TrackPhase.CONFIRMED || !t.getMatched()) {
                continue;
            }
            double x = Math.max(0, t.getLeft());
            double y = Math.max(0, t.getTop());
            double w = Math.min(f.getWidth(), t.getRight()) - x;
            double h = Math.min(f.getHeight(), t.getBottom()) - y;
            if (w > 0 && h > 0) {
                out.add(Overlay.of(x, y, w, h, t.getLabel(), t.getTrackId(), Math.max(0, Math.min(1, t.getScore()))));
            }
        }
        return out;
    }

    static List<CountingLine> lines(JobRequest request) {
        List<CountingLine> out = new ArrayList<>();
        if (request.getTracking() != null) {
            for (CountLine l : request.getTracking().getLines()) {
                List<double[]> points = new ArrayList<>();
                for (LinePoint p : l.getPoints()) {
                    points.add(new double[] {p.getX(), p.getY()});
                }
                out.add(new CountingLine(l.getName(), points, CountingLine.YELLOW));
            }
        }
        return out;
    }

    @Override
    public ByteSource open(String uri) throws IOException {
        if (store instanceof LocalFrameStore local) {
            return ByteSource.of(local.pathOf(URI.create(uri)));
        }
        // other stores: streamed by range; the length is the render's, or counted once and kept
        URI object = URI.create(uri);
        Long known = sizes.get(uri);
        long length;
        if (known != null) {
            length = known;
        } else {
            try (InputStream in = store.open(object)) {
                length = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            sizes.put(uri, length);
        }
        String etag = "\"" + Integer.toHexString(uri.hashCode()) + "-" + Long.toHexString(length) + "\"";
        return ByteSource.of(length, etag, Instant.ofEpochSecond(Instant.now().getEpochSecond()), (from, to) -> {
            InputStream in = store.open(object);
            in.skipNBytes(from);
            return ByteSource.limited(in, to - from + 1);
        });
    }

    @Override
    public byte[] annotatedFrame(TrackFrame frame, JobRequest request) throws IOException {
        byte[] jpeg = store.get(URI.create(frame.getUri()));
        Annotations.Builder a = Annotations.builder().frame(frame.getOffsetMs(), overlays(frame));
        lines(request).forEach(a::line);
        try (BytePointer in = new BytePointer(jpeg);
             Mat buf = new Mat(1, jpeg.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, in);
             Mat bgr = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            Frame f = conv.convert(bgr);
            new FrameAnnotator(a.build()).annotate(f, frame.getOffsetMs(), 1);
            try (BytePointer out = new BytePointer()) {
                opencv_imgcodecs.imencode(".jpg", bgr, out);
                byte[] bytes = new byte[(int) out.limit()];
                out.get(bytes);
                return bytes;
            }
        }
    }

    @Override
    public ObjectNode recount(JobRequest request, List<TrackFrame> tracks, List<CountLine> lines) {
        int width = 0;
        int height = 0;
        for (TrackFrame f : tracks) {
            width = f.getWidth();
            height = f.getHeight();
        }
        Recount r = Recount.of(tracks, TrackingSpecs.settings(request.getTracking(), request.getVframe(), width, height)
                .withLines(TrackingSpecs.lines(lines)));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        for (CountEvent e : r.events()) {
            ObjectNode o = events.addObject();
            o.put("track_id", e.trackId());
            o.put("label", e.label());
            o.put("offset_ms", e.offsetMs());
            o.put("line", e.line());
            o.put("direction", e.direction());
        }
        ArrayNode intervals = out.putArray("intervals");
        r.intervals().forEach(t -> intervals.add(totals(t)));
        out.set("total", totals(r.total()));
        return out;
    }

    private static ObjectNode totals(IntervalTotals t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", t.index());
        o.put("start_ms", t.startMs());
        o.put("end_ms", t.endMs());
        o.put("pedestrians", t.pedestrians());
        o.put("vehicles", t.vehicles());
        ArrayNode lines = o.putArray("lines");
        for (LineTotals l : t.lines()) {
            lines.addObject().put("line", l.line()).put("direction", l.direction())
                    .put("pedestrians", l.pedestrians()).put("vehicles", l.vehicles());
        }
        return o;
    }
}
