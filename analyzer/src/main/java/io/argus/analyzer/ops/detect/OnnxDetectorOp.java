package io.argus.analyzer.ops.detect;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpContext;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;
import io.argus.schemas.ops.OpParam;

/**
 * An object detector run with ONNX Runtime, described by a {@link DetectorSpec}: frame →
 * {@link ImagePrep} → model → {@link SsdDecoder}, {@link YoloDecoder}, {@link NanoDetDecoder} or
 * {@link CenterNetDecoder} → {@link ClassNms} per
 * class → optional label filter → at most {@code maxDetections} boxes mapped back to frame pixels
 * and clipped to the frame.
 *
 * <p>The session is shared across instances and threads ({@link SharedSessions}); an instance
 * owns only its input buffer and image scratch, and is used by one thread.
 *
 * <p>Raw result, the shape of the other detection ops:
 * {@code {"detections":[{"index":1,"class":"person","score":0.83,"pts":[[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}]}},
 * frame pixels clockwise from the top-left corner; {@code index} is the class's 1-based position
 * in the label list (for COCO models, the COCO category id: person = 1).
 */
public final class OnnxDetectorOp implements Op {

    /**
     * Road-vehicle classes suppressed across each other ({@link ClassNms#acrossGroup}): a vehicle
     * is one car, truck, bus or motorcycle, not two boxes of different classes (the per-class NMS
     * keeps both). Bicycles are left out: a bicycle box lies inside its rider's and a motorcycle's
     * is not the same object.
     */
    public static final java.util.Set<String> VEHICLES = java.util.Set.of("car", "truck", "bus", "motorcycle");
    /** IoU above which two vehicle boxes of different classes are one vehicle (Ultralytics' default NMS IoU, 0.7). */
    public static final float VEHICLE_IOU = 0.7f;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DetectorSpec spec;
    private final SharedSessions.Lease lease;
    private final String inputName;
    private final long[] inputShape;
    private final String boxes;
    private final String scores;
    /** NANODET: per level, {scores output, distributions output}; empty otherwise. */
    private final List<String[]> levels = new ArrayList<>();
    /** NANODET: per level, {stride, width, height}. */
    private final List<int[]> levelGrid = new ArrayList<>();
    private final ImagePrep prep;
    private final FloatBuffer input;
    private final Defaults defaults;

    /**
     * What the op does when the job's params do not say otherwise.
     *
     * @param tiles           tiles per side, 1 (whole frame only) to {@value TiledPass#MAX_GRID}
     * @param classThresholds per-class score thresholds (may be empty)
     */
    public record Defaults(int tiles, ClassThresholds classThresholds) {
        /** The whole frame once, the spec's threshold for every class. */
        public static final Defaults PLAIN = new Defaults(1, new ClassThresholds(Map.of()));

        /** Validates. */
        public Defaults {
            if (tiles < 1 || tiles > TiledPass.MAX_GRID) {
                throw new IllegalArgumentException("tiles must be 1 to " + TiledPass.MAX_GRID + ": " + tiles);
            }
        }
    }

    /**
     * @param spec the detector
     * @throws IllegalStateException when the model file is missing or cannot be loaded, or its
     *     input/outputs do not match the spec (message names the op and the file)
     */
    public OnnxDetectorOp(DetectorSpec spec) {
        this(spec, Defaults.PLAIN);
    }

    /**
     * @param spec     the detector
     * @param defaults tiling and per-class thresholds when a job's params give none
     * @throws IllegalStateException as {@link #OnnxDetectorOp(DetectorSpec)}
     */
    public OnnxDetectorOp(DetectorSpec spec, Defaults defaults) {
        this.spec = spec;
        this.defaults = defaults;
        if (!Files.isRegularFile(spec.model())) {
            throw new IllegalStateException("op " + spec.name() + ": model file " + spec.model() + " not found");
        }
        lease = SharedSessions.acquire(spec.model(), spec.intraOpThreads());
        try {
            OrtSession s = lease.session();
            if (s.getInputNames().size() != 1) {
                throw new IllegalStateException("has " + s.getInputNames().size() + " inputs, expected 1");
            }
            inputName = s.getInputNames().iterator().next();
            InputSpec in = spec.input();
            inputShape = in.nchw() ? new long[] {1, 3, in.height(), in.width()} : new long[] {1, in.height(), in.width(), 3};
            long[] declared = ((TensorInfo) s.getInputInfo().get(inputName).getInfo()).getShape();
            if (declared.length != 4) {
                throw new IllegalStateException("input " + inputName + " has shape " + Arrays.toString(declared));
            }
            for (int i = 1; i < 4; i++) {
                if (declared[i] > 0 && declared[i] != inputShape[i]) {
                    throw new IllegalStateException("input " + inputName + " has shape " + Arrays.toString(declared)
                            + " but the op gives " + Arrays.toString(inputShape));
                }
            }
            Map<String, NodeInfo> outs = s.getOutputInfo();
            if (spec.family() == DetectorSpec.Family.SSD) {
                String[] bs = ssdOutputs(outs);
                boxes = bs[0];
                scores = bs[1];
            } else if (spec.family() == DetectorSpec.Family.NANODET) {
                nanodetOutputs(outs);
                boxes = null;
                scores = null;
            } else if (spec.family() == DetectorSpec.Family.CENTERNET) {
                boxes = outs.keySet().iterator().next();
                scores = null;
                long[] shape = ((TensorInfo) outs.get(boxes).getInfo()).getShape();
                if (outs.size() != 1 || shape.length != 3 || shape[2] != 6) {
                    throw new IllegalStateException("CenterNet model needs one [1, K, 6] output, has " + outs.keySet()
                            + " (" + boxes + " " + Arrays.toString(shape) + ")");
                }
            } else {
                boxes = outs.keySet().iterator().next();
                scores = null;
                long[] shape = ((TensorInfo) outs.get(boxes).getInfo()).getShape();
                if (Arrays.stream(shape).allMatch(d -> d > 0)) {
                    YoloDecoder.decode(new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)], shape,
                            spec.labels(), 1.1f);
                }
            }
        } catch (OrtException | RuntimeException e) {
            lease.close();
            throw new IllegalStateException("op " + spec.name() + " (model " + spec.model() + "): " + e.getMessage(), e);
        }
        prep = new ImagePrep(spec.input());
        input = ByteBuffer.allocateDirect(spec.input().width() * spec.input().height() * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Pairs NanoDet's outputs by level: {@code [1, cells, C]} scores (C = non-empty labels) and
     * {@code [1, cells, 4·(R+1)]} distributions with the same cells; a level's grid is the input
     * divided by its stride, {@code stride = sqrt(W·H / cells)}.
     */
    private void nanodetOutputs(Map<String, NodeInfo> outs) throws OrtException {
        int c = ClassColumns.of(spec.labels()).length;
        Map<Long, String> sc = new java.util.TreeMap<>();
        Map<Long, String> di = new java.util.TreeMap<>();
        for (Map.Entry<String, NodeInfo> e : outs.entrySet()) {
            long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
            if (shape.length != 3 || shape[1] <= 0) {
                throw new IllegalStateException("NanoDet output " + e.getKey() + " has shape " + Arrays.toString(shape));
            }
            (shape[2] == c ? sc : di).put(shape[1], e.getKey());
        }
        if (sc.isEmpty() || !sc.keySet().equals(di.keySet())) {
            throw new IllegalStateException("NanoDet outputs do not pair into levels of " + c + " class scores and "
                    + "box distributions: " + outs.keySet());
        }
        InputSpec in = spec.input();
        for (long cells : sc.keySet()) {
            int stride = (int) Math.round(Math.sqrt((double) in.width() * in.height() / cells));
            int w = (in.width() + stride - 1) / stride;
            int h = (in.height() + stride - 1) / stride;
            if ((long) w * h != cells) {
                throw new IllegalStateException("NanoDet level of " + cells + " cells does not tile the "
                        + in.width() + "×" + in.height() + " input");
            }
            levels.add(new String[] {sc.get(cells), di.get(cells)});
            levelGrid.add(new int[] {stride, w, h});
        }
    }

    /** Picks the SSD boxes and scores outputs by name or, failing that, by shape. */
    private String[] ssdOutputs(Map<String, NodeInfo> outs) throws OrtException {
        String b = spec.boxesOutput();
        String sc = spec.scoresOutput();
        if (b == null || sc == null) {
            for (Map.Entry<String, NodeInfo> e : outs.entrySet()) {
                long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                boolean boxLike = shape[shape.length - 1] == 4 && (shape.length == 4 || spec.labels().size() != 4);
                if (b == null && boxLike && !e.getKey().equals(sc)) {
                    b = e.getKey();
                } else if (sc == null && !e.getKey().equals(b)) {
                    sc = e.getKey();
                }
            }
        }
        if (b == null || sc == null || !outs.containsKey(b) || !outs.containsKey(sc)) {
            throw new IllegalStateException("cannot find SSD boxes and scores outputs among " + outs.keySet()
                    + " (set outputs.boxes and outputs.scores)");
        }
        long[] ss = ((TensorInfo) outs.get(sc).getInfo()).getShape();
        if (ss[ss.length - 1] > 0 && ss[ss.length - 1] != spec.labels().size()) {
            throw new IllegalStateException("scores output " + sc + " has " + ss[ss.length - 1] + " classes but "
                    + spec.labels().size() + " labels are given");
        }
        return new String[] {b, sc};
    }

    /** @return the spec this op runs */
    public DetectorSpec spec() {
        return spec;
    }

    /**
     * Runs the model and decodes boxes.
     *
     * @param bgr frame, 8-bit BGR
     * @return kept boxes in frame pixels (clipped), best first; classes index {@link DetectorSpec#labels()}
     * @throws OrtException when inference fails
     */
    public List<Candidate> detect(Mat bgr) throws OrtException {
        return detect(bgr, spec.threshold());
    }

    /**
     * Runs the model and decodes boxes with another score threshold.
     *
     * @param bgr frame, 8-bit BGR
     * @param threshold minimum score kept, in [0, 1]
     * @return kept boxes in frame pixels (clipped), best first
     * @throws OrtException when inference fails
     */
    public List<Candidate> detect(Mat bgr, float threshold) throws OrtException {
        prep.apply(bgr, input);
        InputSpec in = spec.input();
        List<Candidate> candidates;
        try (OnnxTensor t = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), input, inputShape);
             OrtSession.Result r = lease.session().run(Map.of(inputName, t))) {
            if (spec.family() == DetectorSpec.Family.SSD) {
                OnnxTensor sc = (OnnxTensor) r.get(scores).orElseThrow();
                long[] shape = sc.getInfo().getShape();
                int n = (int) shape[shape.length - 2];
                candidates = SsdDecoder.decode(floats(sc), floats((OnnxTensor) r.get(boxes).orElseThrow()), n,
                        spec.labels(), threshold, spec.yxyx(), in.width(), in.height());
            } else if (spec.family() == DetectorSpec.Family.NANODET) {
                List<NanoDetDecoder.Level> ls = new ArrayList<>();
                for (int i = 0; i < levels.size(); i++) {
                    int[] g = levelGrid.get(i);
                    ls.add(new NanoDetDecoder.Level(floats((OnnxTensor) r.get(levels.get(i)[0]).orElseThrow()),
                            floats((OnnxTensor) r.get(levels.get(i)[1]).orElseThrow()), g[0], g[1], g[2]));
                }
                candidates = NanoDetDecoder.decode(ls, spec.labels(), threshold);
            } else if (spec.family() == DetectorSpec.Family.CENTERNET) {
                OnnxTensor out = (OnnxTensor) r.get(boxes).orElseThrow();
                candidates = CenterNetDecoder.decode(floats(out), (int) out.getInfo().getShape()[1], spec.labels(),
                        threshold);
            } else {
                OnnxTensor out = (OnnxTensor) r.get(boxes).orElseThrow();
                candidates = YoloDecoder.decode(floats(out), out.getInfo().getShape(), spec.labels(), threshold);
            }
        }
        List<Candidate> kept = new ArrayList<>();
        int fw = bgr.cols();
        int fh = bgr.rows();
        for (Candidate c : ClassNms.apply(candidates, spec.nmsIou(), Integer.MAX_VALUE)) {
            if (spec.keep() != null && !spec.keep().contains(spec.labels().get(c.cls()))) {
                continue;
            }
            float x0 = clamp(prep.frameX(c.x0()), fw);
            float y0 = clamp(prep.frameY(c.y0()), fh);
            float x1 = clamp(prep.frameX(c.x1()), fw);
            float y1 = clamp(prep.frameY(c.y1()), fh);
            if (x1 - x0 >= 1 && y1 - y0 >= 1) {
                kept.add(new Candidate(x0, y0, x1, y1, c.cls(), c.score()));
            }
            if (kept.size() == spec.maxDetections()) {
                break;
            }
        }
        return kept;
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /**
     * Runs with the job's params:
     * <ul>
     *   <li>{@code threshold}: a number in [0, 1] replacing the op's score threshold;
     *   <li>{@code tiles}: 1 (the whole frame, default) to {@value TiledPass#MAX_GRID}: also run
     *       an n×n grid of overlapping tiles and merge ({@link TiledPass}), for small objects, at
     *       {@code 1 + n²} times the cost;
     *   <li>{@code class_thresholds}: {@code "label:score,…"}, per-class thresholds over the op's
     *       ({@link ClassThresholds}). Without it, the op's default class thresholds apply, unless
     *       the job sets {@code threshold}, which then holds for every class (a tracker asking for
     *       low-score boxes gets them for every class).
     * </ul>
     * Other keys are ignored.
     *
     * @throws IllegalArgumentException when a param has a bad value (the message names it)
     */
    @Override
    public OpOutput apply(Mat bgr, OpContext context) throws OrtException {
        com.fasterxml.jackson.databind.JsonNode params = context.params();
        com.fasterxml.jackson.databind.JsonNode t = params.get("threshold");
        float threshold = spec.threshold();
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 1) {
                throw new IllegalArgumentException("op " + spec.name()
                        + ": params.threshold must be a number in [0, 1], got " + t);
            }
            threshold = (float) t.asDouble();
        }
        int grid = defaults.tiles();
        com.fasterxml.jackson.databind.JsonNode g = params.get("tiles");
        if (g != null && !g.isNull()) {
            if (!g.canConvertToInt() || !g.isIntegralNumber() || g.asInt() < 1 || g.asInt() > TiledPass.MAX_GRID) {
                throw new IllegalArgumentException("op " + spec.name() + ": params.tiles must be an integer from 1 to "
                        + TiledPass.MAX_GRID + ", got " + g);
            }
            grid = g.asInt();
        }
        // an explicit threshold is for every class, unless the job gives class thresholds too
        ClassThresholds per = t != null && !t.isNull() ? new ClassThresholds(Map.of()) : defaults.classThresholds();
        com.fasterxml.jackson.databind.JsonNode ct = params.get("class_thresholds");
        if (ct != null && !ct.isNull()) {
            if (!ct.isTextual()) {
                throw new IllegalArgumentException("op " + spec.name()
                        + ": params.class_thresholds must be text like \"person:0.3,car:0.45\", got " + ct);
            }
            per = ClassThresholds.parse(ct.asText(), spec.labels());
        }
        return output(detect(bgr, threshold, grid, per));
    }

    @Override
    public OpOutput apply(Mat bgr) throws OrtException {
        return output(detect(bgr, spec.threshold(), defaults.tiles(), defaults.classThresholds()));
    }

    /**
     * Runs the model with tiling and per-class thresholds.
     *
     * @param bgr       frame, 8-bit BGR
     * @param threshold score threshold of classes {@code perClass} does not name, in [0, 1]
     * @param grid      tiles per side, 1 for the whole frame only ({@link TiledPass})
     * @param perClass  per-class thresholds
     * @return kept boxes in frame pixels (clipped), best first
     * @throws OrtException when inference fails
     */
    public List<Candidate> detect(Mat bgr, float threshold, int grid, ClassThresholds perClass) throws OrtException {
        float low = perClass.lowest(threshold);
        List<Candidate> found;
        if (grid <= 1) {
            found = detect(bgr, low);
        } else {
            try {
                found = TiledPass.detect(bgr, grid, m -> detect(m, low), spec.maxDetections());
            } catch (OrtException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        found = ClassNms.acrossGroup(found, c -> VEHICLES.contains(spec.labels().get(c)), VEHICLE_IOU);
        if (perClass.byLabel().isEmpty()) {
            return found;
        }
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : found) {
            if (c.score() >= perClass.of(spec.labels().get(c.cls()), threshold)) {
                kept.add(c);
            }
        }
        return kept;
    }

    private OpOutput output(List<Candidate> found) {
        List<Detection> detections = new ArrayList<>();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode list = result.putArray("detections");
        for (Candidate c : found) {
            Box b = new Box(Math.round(c.x0()), Math.round(c.y0()), Math.round(c.x1()), Math.round(c.y1()));
            if (b.getRight() <= b.getLeft() || b.getBottom() <= b.getTop()) {
                continue;
            }
            String label = spec.labels().get(c.cls());
            detections.add(io.argus.analyzer.op.OpOutput.detection(label, c.score(), b));
            OpOutput.addDetection(list, c.cls() + 1, label, c.score(), b);
        }
        return new OpOutput(OpOutput.labelsOf(detections), detections, result.toString());
    }

    @Override
    public void close() {
        prep.close();
        lease.close();
    }

    /** Creates {@link OnnxDetectorOp} instances (sharing one session) for one spec. */
    public static final class Provider implements OpProvider {
        private final DetectorSpec spec;
        private final Defaults defaults;

        /** @param spec the detector */
        public Provider(DetectorSpec spec) {
            this(spec, Defaults.PLAIN);
        }

        /**
         * @param spec     the detector
         * @param defaults tiling and per-class thresholds when a job's params give none
         */
        public Provider(DetectorSpec spec, Defaults defaults) {
            this.spec = spec;
            this.defaults = defaults;
        }

        /** @return the tiling and per-class thresholds used when a job's params give none */
        public Defaults defaults() {
            return defaults;
        }

        /** @return the spec */
        public DetectorSpec spec() {
            return spec;
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public List<String> labels() {
            return spec.reportedLabels();
        }

        /**
         * @return {@code threshold} (number in [0, 1]), {@code tiles} (integer 1 to
         *         {@value TiledPass#MAX_GRID}) and {@code class_thresholds} (text
         *         {@code "label:score,…"}); see {@link OnnxDetectorOp#apply(Mat, OpContext)}
         */
        @Override
        public List<OpParam> params() {
            return List.of(
                    OpParam.number("threshold", 0.0, 1.0,
                            "score below which detections are dropped; default " + spec.threshold()),
                    OpParam.integer("tiles", 1L, (long) TiledPass.MAX_GRID,
                            "also detect on an n x n grid of overlapping tiles (small objects; 1 + n^2 model runs); "
                                    + "default " + defaults.tiles()),
                    OpParam.string("class_thresholds",
                            "per-class score thresholds over threshold, e.g. \"person:0.3,car:0.45\""));
        }

        @Override
        public Op create() {
            return new OnnxDetectorOp(spec, defaults);
        }
    }
}
