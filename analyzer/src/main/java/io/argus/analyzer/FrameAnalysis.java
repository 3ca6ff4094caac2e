package io.argus.analyzer;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.op.OpRegistry;
import io.argus.extractor.store.FrameStore;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameResult;

/**
 * Runs a frame event's ops on its frame: reads the JPEG from the frame store once, decodes it to
 * BGR with OpenCV, and gives one {@link FrameResult} per op named on the event, in that order.
 * Each op gets an {@link OpContext}: the event, its params from {@code op_params} and the store.
 * A failure (unreadable frame, unknown op, op error) becomes that result's {@code error}, so one
 * bad frame never stops a job.
 *
 * <p>Holds one instance of each op: use one FrameAnalysis per thread.
 */
public final class FrameAnalysis implements AutoCloseable {

    private final OpRegistry registry;
    private final FrameStore store;
    private final Map<String, Op> ops = new HashMap<>();

    /**
     * @param registry ops by name
     * @param store    where frames are read from
     */
    public FrameAnalysis(OpRegistry registry, FrameStore store) {
        this.registry = registry;
        this.store = store;
    }

    /**
     * @param frame a FRAME event
     * @return one result per op of the event
     */
    public List<FrameResult> analyze(FrameEvent frame) {
        List<FrameResult> results = new ArrayList<>(frame.getOps().size());
        Mat image = null;
        byte[] jpeg = null;
        String readError = null;
        try {
            jpeg = store.get(URI.create(frame.getUri()));
            try (BytePointer data = new BytePointer(jpeg); Mat buf = new Mat(data)) {
                image = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
            }
            if (image.empty()) {
                readError = "cannot decode frame " + frame.getUri();
            }
        } catch (Exception e) {
            readError = "cannot read frame " + frame.getUri() + ": " + e.getMessage();
        }
        try {
            for (String name : frame.getOps()) {
                results.add(readError != null ? failed(frame, name, readError, 0) : run(frame, name, image, jpeg));
            }
        } finally {
            if (image != null) {
                image.close();
            }
        }
        return results;
    }

    private FrameResult run(FrameEvent frame, String name, Mat image, byte[] jpeg) {
        long t0 = System.nanoTime();
        try {
            Optional<OpProvider> provider = registry.get(name);
            if (provider.isEmpty()) {
                return failed(frame, name, "bad op", 0);
            }
            Op op = ops.computeIfAbsent(name, n -> provider.get().create());
            OpOutput out = op.apply(image, new OpContext(frame, name, store, jpeg));
            return base(frame, name)
                    .setLabels(out.labels())
                    .setDetections(out.detections())
                    .setResultJson(out.resultJson())
                    .setProcessingMs((System.nanoTime() - t0) / 1e6)
                    .build();
        } catch (Exception e) {
            return failed(frame, name, name + " failed: " + e.getMessage(), (System.nanoTime() - t0) / 1e6);
        }
    }

    private static FrameResult failed(FrameEvent frame, String op, String error, double ms) {
        return base(frame, op).setLabels(List.of()).setResultJson("{}").setError(error).setProcessingMs(ms).build();
    }

    private static FrameResult.Builder base(FrameEvent frame, String op) {
        return FrameResult.newBuilder()
                .setJobId(frame.getJobId())
                .setVideoId(frame.getVideoId())
                .setOp(op)
                .setSeq(frame.getSeq())
                .setOffsetMs(frame.getOffsetMs())
                .setCaptureTimeMs(frame.getCaptureTimeMs())
                .setUri(frame.getUri());
    }

    @Override
    public void close() {
        ops.values().forEach(Op::close);
        ops.clear();
    }
}
