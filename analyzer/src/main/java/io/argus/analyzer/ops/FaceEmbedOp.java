package io.argus.analyzer.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.onnxruntime.OrtException;
import io.argus.analyzer.models.InstalledModel;
import io.argus.analyzer.models.ModelInstaller;
import io.argus.analyzer.models.ModelSpec;
import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.op.OpProvider;
import io.argus.analyzer.ops.face.EmbeddingModel;
import io.argus.analyzer.ops.face.Face;
import io.argus.analyzer.ops.face.FaceAligner;
import io.argus.analyzer.ops.face.FaceEmbedder;
import io.argus.schemas.avro.Box;
import io.argus.schemas.avro.Detection;

/**
 * Op {@code face_embed}: the faces {@code face_detect} finds ({@link BlazeFaceOp}, same model and
 * threshold), each aligned on its eyes, nose and mouth to the ArcFace template ({@link FaceAligner})
 * and embedded by HSE FaceRes ({@link EmbeddingModel#FACERES} through {@link FaceEmbedder}). A
 * separate op rather than an option of {@code face_detect}, so detection alone stays as cheap as it
 * was. No params.
 *
 * <p>Per face, the {@link Detection} carries label {@value BlazeFaceOp#LABEL}, the detector score,
 * the box in frame pixels, {@code embedding} (unit length, {@link FaceEmbedder#dimension()} floats:
 * 1024 for FaceRes) and {@code blur} ({@link FaceEmbedder#blur}, variance of the Laplacian of the
 * 112×112 ArcFace crop). The raw result is {@code face_detect}'s with those two fields and the four
 * landmarks used ({@code "landmarks": [[x, y] ×4]}, frame pixels: right eye, left eye, nose, mouth)
 * added to each detection. A face whose landmarks coincide (no alignment is possible) is kept
 * without embedding and blur.
 */
public final class FaceEmbedOp implements Op {

    /** Op name. */
    public static final String NAME = "face_embed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlazeFaceOp detector;
    private final FaceEmbedder embedder;
    private final Mat crop = new Mat();

    /**
     * @param detector the face detector (closed with this op)
     * @param embedder the embedder (closed with this op)
     */
    public FaceEmbedOp(BlazeFaceOp detector, FaceEmbedder embedder) {
        this.detector = detector;
        this.embedder = embedder;
    }

    /** @return the embedding dimension */
    public int dimension() {
        return embedder.dimension();
    }

    @Override
    public OpOutput apply(Mat bgr) throws OrtException {
        List<Detection> detections = new ArrayList<>();
        ObjectNode result = JSON.createObjectNode();
        ArrayNode list = result.putArray("detections");
        for (Face f : detector.detect(bgr)) {
            Box b = detector.toFrame(f, bgr);
            if (b == null) {
                continue;
            }
            float[] k = detector.keypointsToFrame(f);
            float[] e;
            try {
                e = embedder.embed(bgr, k);
            } catch (IllegalArgumentException degenerate) {
                // landmarks that coincide: no alignment, so the face is kept without an embedding
                detections.add(OpOutput.detection(BlazeFaceOp.LABEL, f.score(), b));
                OpOutput.addDetection(list, 1, BlazeFaceOp.LABEL, f.score(), b);
                continue;
            }
            FaceAligner.warp(bgr, FaceAligner.toTemplate(k), crop);
            float blur = FaceEmbedder.blur(crop);
            List<Float> vector = new ArrayList<>(e.length);
            for (float v : e) {
                vector.add(v);
            }
            detections.add(Detection.newBuilder(OpOutput.detection(BlazeFaceOp.LABEL, f.score(), b))
                    .setEmbedding(vector).setBlur(blur).build());
            ObjectNode d = OpOutput.addDetection(list, 1, BlazeFaceOp.LABEL, f.score(), b);
            ArrayNode lm = d.putArray("landmarks");
            for (int i = 0; i < 4; i++) {
                lm.addArray().add(k[2 * i]).add(k[2 * i + 1]);
            }
            d.put("blur", blur);
            ArrayNode emb = d.putArray("embedding");
            for (float v : e) {
                emb.add(v);
            }
        }
        return new OpOutput(OpOutput.labelsOf(detections), detections, result.toString());
    }

    @Override
    public void close() {
        try {
            detector.close();
        } finally {
            embedder.close();
            crop.close();
        }
    }

    /** Creates one detector and one embedder per analyzer thread from the installed models. */
    public static final class Provider implements OpProvider {
        private final Path modelsDir;

        /** @param modelsDir models directory holding {@code faces/} and {@code faceres/} */
        public Provider(Path modelsDir) {
            this.modelsDir = modelsDir;
        }

        /**
         * @param modelsDir models directory
         * @return true when the {@code faces} and {@code faceres} models are installed there
         */
        public static boolean available(Path modelsDir) {
            try {
                ModelInstaller.locate(ModelSpec.FACES, modelsDir);
                ModelInstaller.locate(EmbeddingModel.FACERES.spec(), modelsDir);
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
            return List.of(BlazeFaceOp.LABEL);
        }

        @Override
        public Op create() {
            InstalledModel faces = ModelInstaller.locate(ModelSpec.FACES, modelsDir);
            EmbeddingModel model = EmbeddingModel.FACERES;
            InstalledModel installed = ModelInstaller.locate(model.spec(), modelsDir);
            FaceEmbedder embedder = new FaceEmbedder(model, installed.file(model.onnxFile()));
            try {
                return new FaceEmbedOp(new BlazeFaceOp(faces.file(BlazeFaceOp.MODEL_FILE), BlazeFaceOp.MIN_SCORE),
                        embedder);
            } catch (RuntimeException e) {
                embedder.close();
                throw e;
            }
        }
    }
}
