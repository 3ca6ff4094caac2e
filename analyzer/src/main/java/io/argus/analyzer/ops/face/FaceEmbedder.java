package io.argus.analyzer.ops.face;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * Embeds faces with an ONNX face-recognition model ({@link EmbeddingModel}) whose input is
 * {@code [1, S, S, 3]} float NHWC and whose single output is {@code [1, D]}: HSE FaceRes
 * (S = 224, D = 1024, the default) or MobileFaceNet (S = 112, D = 192). The dimension D is read
 * from the model.
 *
 * <p>Each face is aligned on its landmarks ({@link FaceAligner}, the model's crop size and margin),
 * given as RGB scaled {@code (p − mean) / std} per the model, and the output is L2-normalised here,
 * so the cosine similarity of two embeddings is their dot product.
 *
 * <p>One session with one intra-op thread (the analyzer parallelises over frames); not thread-safe.
 */
public final class FaceEmbedder implements AutoCloseable {

    private final EmbeddingModel model;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final int dimension;
    private final FloatBuffer input;
    private final Mat crop = new Mat();

    /**
     * @param model what the model takes
     * @param modelFile its ONNX file
     * @throws IllegalStateException when the model cannot be loaded or its input or output is not
     *     of the expected shape
     */
    public FaceEmbedder(EmbeddingModel model, Path modelFile) {
        this.model = model;
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
            long[] in = ((TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
            long[] out = ((TensorInfo) session.getOutputInfo().values().iterator().next().getInfo()).getShape();
            if (in.length != 4 || in[1] != model.size() || in[2] != model.size() || in[3] != 3
                    || out.length != 2 || out[1] <= 0) {
                throw new IllegalStateException("model " + modelFile.getFileName() + " is not a " + model.size()
                        + "×" + model.size() + " NHWC face embedder: input " + java.util.Arrays.toString(in)
                        + ", output " + java.util.Arrays.toString(out));
            }
            dimension = (int) out[1];
        } catch (OrtException | RuntimeException e) {
            close();
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getMessage(), e);
        }
        input = ByteBuffer.allocateDirect(model.size() * model.size() * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** @return the model description */
    public EmbeddingModel model() {
        return model;
    }

    /** @return the embedding dimension D */
    public int dimension() {
        return dimension;
    }

    /**
     * Fills a model input from an aligned crop: RGB, {@code (p − mean) / std}, NHWC.
     *
     * @param model the model's input description
     * @param alignedBgr {@code size}×{@code size} 8-bit BGR crop
     * @param out receives size·size·3 floats from its position (left at its end)
     * @throws IllegalArgumentException when the crop is not of the model's size
     */
    public static void prepare(EmbeddingModel model, Mat alignedBgr, FloatBuffer out) {
        int n = model.size();
        if (alignedBgr.rows() != n || alignedBgr.cols() != n || alignedBgr.channels() != 3) {
            throw new IllegalArgumentException("need a " + n + "×" + n + " BGR crop, got " + alignedBgr.cols() + "×"
                    + alignedBgr.rows() + "×" + alignedBgr.channels());
        }
        float mean = model.mean();
        float k = 1 / model.std();
        try (UByteIndexer ix = alignedBgr.createIndexer()) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    out.put((ix.get(y, x, 2) - mean) * k);
                    out.put((ix.get(y, x, 1) - mean) * k);
                    out.put((ix.get(y, x, 0) - mean) * k);
                }
            }
        }
    }

    /**
     * @param bgr a frame, 8-bit BGR
     * @param keypoints the face's BlazeFace keypoints in frame pixels (at least eyes, nose, mouth)
     * @return the unit-length embedding, {@link #dimension()} floats
     * @throws OrtException when ONNX Runtime fails
     */
    public float[] embed(Mat bgr, float[] keypoints) throws OrtException {
        FaceAligner.warp(bgr, FaceAligner.toTemplate(keypoints, model.size(), model.margin()), model.size(), crop);
        return embedCrop(crop);
    }

    /**
     * @param alignedBgr an aligned crop of the model's size
     * @return the unit-length embedding, {@link #dimension()} floats
     * @throws OrtException when ONNX Runtime fails
     */
    public float[] embedCrop(Mat alignedBgr) throws OrtException {
        input.clear();
        prepare(model, alignedBgr, input);
        input.flip();
        return run(input);
    }

    /**
     * @param prepared one input as {@link #prepare} writes it (position 0, limit size·size·3)
     * @return the unit-length embedding
     * @throws OrtException when ONNX Runtime fails
     */
    public float[] run(FloatBuffer prepared) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, prepared, new long[] {1, model.size(), model.size(), 3});
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] e = new float[b.remaining()];
            b.get(e);
            return normalise(e);
        }
    }

    /**
     * @param v a vector
     * @return v scaled in place to unit length (left as is when it is all zeros)
     */
    public static float[] normalise(float[] v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        if (n > 0) {
            float k = (float) (1 / Math.sqrt(n));
            for (int i = 0; i < v.length; i++) {
                v[i] *= k;
            }
        }
        return v;
    }

    /**
     * @param a a unit vector
     * @param b another of the same dimension
     * @return their dot product, the cosine similarity in [-1, 1]
     */
    public static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimensions differ: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return (float) s;
    }

    /**
     * Sharpness of a crop: the variance of its Laplacian (Pech-Pacheco et al., "Diatom autofocusing
     * in brightfield microscopy: a comparative study", ICPR 2000), on the grey image (0–255) with
     * OpenCV's 3×3 aperture in double precision. Higher is sharper; measure it on crops of one
     * size ({@code face_embed} uses the 112×112 ArcFace crop) for comparable values.
     *
     * @param alignedBgr 8-bit BGR crop
     * @return the variance, ≥ 0
     */
    public static float blur(Mat alignedBgr) {
        try (Mat grey = new Mat(); Mat lap = new Mat(); Mat mean = new Mat(); Mat std = new Mat()) {
            cvtColor(alignedBgr, grey, COLOR_BGR2GRAY);
            Laplacian(grey, lap, CV_64F);
            meanStdDev(lap, mean, std);
            try (DoubleIndexer ix = std.createIndexer()) {
                double s = ix.get(0);
                return (float) (s * s);
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release
        } finally {
            crop.close();
        }
    }
}
