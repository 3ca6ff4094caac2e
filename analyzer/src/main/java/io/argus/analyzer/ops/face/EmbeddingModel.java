package io.argus.analyzer.ops.face;

import io.argus.analyzer.models.ModelDerivations;
import io.argus.analyzer.models.ModelSpec;

/**
 * A face-embedding model and how faces are fed to it: the aligned crop's side and margin
 * ({@link FaceAligner#toTemplate(float[], int, double)}) and the pixel scaling
 * {@code (p − mean) / std} of RGB values 0–255.
 *
 * @param spec the installable model
 * @param onnxFile its converted ONNX file inside the model directory
 * @param size crop side the model takes, pixels
 * @param margin crop margin around the ArcFace template, fraction ≥ 0
 * @param mean subtracted from each 0–255 RGB value
 * @param std then divided by
 */
public record EmbeddingModel(ModelSpec spec, String onnxFile, int size, double margin, float mean, float std) {

    /**
     * HSE FaceRes, 1024-d, the default: 224×224 crops of RGB 0–255 as its TF.js users feed it
     * (human's {@code faceres.ts} multiplies 0–1 crops by 255), aligned with margin
     * {@value #FACERES_MARGIN} (the best of 0, 0.25 and 0.5 on the verification set; FaceRes was
     * trained on loosely cropped VGGFace2 faces, BENCHMARKS.md "Face embeddings").
     */
    public static final EmbeddingModel FACERES = new EmbeddingModel(ModelSpec.FACERES, ModelDerivations.FACERES_ONNX,
            ModelDerivations.FACERES_SIZE, EmbeddingModel.FACERES_MARGIN, 0f, 1f);

    /**
     * MobileFaceNet, 192-d: 112×112 ArcFace-template crops, {@code (p − 127.5) / 128} (the
     * MobileFaceNet_TF training normalisation).
     */
    public static final EmbeddingModel MOBILEFACENET = new EmbeddingModel(ModelSpec.MOBILEFACENET,
            ModelDerivations.MOBILEFACENET_ONNX, ModelDerivations.MOBILEFACENET_SIZE, 0, 127.5f, 128f);

    /** FaceRes crop margin. */
    public static final double FACERES_MARGIN = 0.25;

    /** Validates the fields. */
    public EmbeddingModel {
        if (size <= 0 || margin < 0 || std == 0) {
            throw new IllegalArgumentException("bad embedding model input: size " + size + ", margin " + margin
                    + ", std " + std);
        }
    }
}
