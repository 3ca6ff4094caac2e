package io.argus.launcher.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;

/**
 * Runs one op on every frame of an evaluation set, twice per frame: once as a job runs it (no
 * params: the op's own score threshold), for precision, recall and counts; once with params
 * {@code {"threshold": t}} at a low t, so that AP sees the ranking below the op's threshold (ops
 * that take no {@code threshold} param give the same boxes twice). The op runs on one thread with
 * an {@link OpContext} that has the frame event and params but no frame store, so ops that read
 * other frames (e.g. {@code motion}) fail and are not evaluated.
 */
public final class DetectorEval {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * What an op found on the set.
     *
     * @param op          op name
     * @param labels      labels the op can produce ({@link OpProvider#labels()})
     * @param atThreshold predictions at the op's own threshold, by image id
     * @param ranked      predictions at the low threshold, by image id
     * @param rankThreshold the low threshold
     * @param msPerFrame  mean wall time of the op on one frame at its own threshold, ms (decoding
     *                    excluded)
     */
    public record Run(String op, List<String> labels, Map<Integer, List<Prediction>> atThreshold,
                      Map<Integer, List<Prediction>> ranked, float rankThreshold, double msPerFrame) {
    }

    private DetectorEval() {
    }

    /**
     * @param provider      the op
     * @param set           the frames and their clips
     * @param clipsDir      directory of the committed clips ({@link ClipFrames#resolve})
     * @param rankThreshold score threshold of the ranking run, in [0, 1]
     * @return the op's predictions on every frame
     * @throws IOException when a clip is missing or cannot be decoded, or the op fails on a frame
     *                     (the message names the op and the frame)
     */
    public static Run run(OpProvider provider, CocoSet set, Path clipsDir, float rankThreshold) throws IOException {
        return run(provider, set, clipsDir, rankThreshold, JSON.createObjectNode());
    }

    /**
     * As {@link #run(OpProvider, CocoSet, Path, float)}, with params given to the op on every frame
     * (e.g. {@code {"tiles": 2}}); the ranking run adds its {@code threshold} to them.
     *
     * @param params the op's params for both runs (its {@code threshold} replaces the op's own
     *               in the first run; the ranking run leaves out {@code class_thresholds})
     * @return the predictions; {@link Run#op()} is the op name followed by the params when any
     * @throws IOException as {@link #run(OpProvider, CocoSet, Path, float)}
     */
    public static Run run(OpProvider provider, CocoSet set, Path clipsDir, float rankThreshold, ObjectNode params)
            throws IOException {
        Map<Integer, List<Prediction>> at = new TreeMap<>();
        Map<Integer, List<Prediction>> ranked = new TreeMap<>();
        long[] nanos = {0};
        Map<String, String> own = params.isEmpty() ? Map.of() : Map.of(provider.name(), params.toString());
        ObjectNode ranking = params.deepCopy().put("threshold", rankThreshold);
        ranking.remove("class_thresholds"); // AP needs the ranking below every threshold
        Map<String, String> low = Map.of(provider.name(), ranking.toString());
        try (Op op = provider.create()) {
            for (String clip : set.clips()) {
                Map<Integer, CocoSet.Image> byFrame = new HashMap<>();
                for (CocoSet.Image i : set.images()) {
                    if (i.clip().equals(clip)) {
                        byFrame.put(i.frame(), i);
                    }
                }
                ClipFrames.decode(ClipFrames.resolve(clip, clipsDir), new TreeSet<>(byFrame.keySet()), (index, bgr) -> {
                    CocoSet.Image image = byFrame.get(index);
                    if (bgr.cols() != image.width() || bgr.rows() != image.height()) {
                        throw new IOException(image.name() + " decodes to " + bgr.cols() + "×" + bgr.rows()
                                + ", annotated as " + image.width() + "×" + image.height());
                    }
                    long t0 = System.nanoTime();
                    at.put(image.id(), apply(op, provider.name(), image, bgr, own));
                    nanos[0] += System.nanoTime() - t0;
                    ranked.put(image.id(), apply(op, provider.name(), image, bgr, low));
                });
            }
        }
        String shown = params.isEmpty() ? provider.name() : provider.name() + " " + params;
        return new Run(shown, List.copyOf(provider.labels()), at, ranked, rankThreshold,
                nanos[0] / 1e6 / Math.max(1, set.images().size()));
    }

    private static List<Prediction> apply(Op op, String name, CocoSet.Image image, Mat bgr, Map<String, String> params)
            throws IOException {
        FrameEvent event = FrameEvent.newBuilder()
                .setJobId("eval").setVideoId(image.clip()).setKind(FrameKind.FRAME)
                .setSeq(image.frame()).setOffsetMs(0).setWidth(image.width()).setHeight(image.height())
                .setOps(List.of(name)).setOpParams(params).build();
        OpOutput out;
        try {
            out = op.apply(bgr, new OpContext(event, name, null, null));
        } catch (Exception e) {
            throw new IOException("op " + name + " failed on " + image.name() + ": " + e.getMessage(), e);
        }
        List<Prediction> predictions = new ArrayList<>(out.detections().size());
        for (Detection d : out.detections()) {
            predictions.add(new Prediction(d.getLabel(), EvalBox.of(d.getBox()), d.getScore()));
        }
        return predictions;
    }
}
