package io.argus.launcher.files;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.bytedeco.javacv.Java2DFrameUtils;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.analyzer.op.Op;
import io.argus.analyzer.op.OpOutput;
import io.argus.analyzer.ops.FaceEmbedOp;
import io.argus.edge.faces.FaceBackend;
import io.argus.media.quality.BlurDetect;
import io.argus.schemas.avro.Detection;

/**
 * The face routes' backend in the one-JVM runtime and the edge process: FFmpeg's blur measure
 * ({@link BlurDetect}) and the faces of a photo found and embedded exactly as the {@code face_embed}
 * op does (the same {@link FaceEmbedOp}: BlazeFace, alignment, FaceRes), from the models directory.
 * The op is created on first use and shared (calls are serialised: one photo at a time).
 */
public final class FaceTools implements FaceBackend {

    /** The embedding model of {@code face_embed}. */
    static final String MODEL = "faceres";

    private final Path modelsDir;
    private Op op;

    /** @param modelsDir the models directory holding {@code faces/} and {@code faceres/} */
    public FaceTools(Path modelsDir) {
        this.modelsDir = modelsDir;
    }

    @Override
    public double blur(BufferedImage crop) {
        return BlurDetect.score(crop);
    }

    @Override
    public synchronized List<PhotoFace> faces(BufferedImage photo) {
        if (op == null) {
            if (!FaceEmbedOp.Provider.available(modelsDir)) {
                throw new IllegalStateException("the face models (faces, faceres) are not installed in " + modelsDir
                        + ": run 'argus models install'");
            }
            op = new FaceEmbedOp.Provider(modelsDir).create();
        }
        BufferedImage bgr = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(photo, 0, 0, null);
        OpOutput out;
        try (Mat mat = Java2DFrameUtils.toMat(bgr)) {
            out = op.apply(mat);
        } catch (Exception e) {
            throw new IllegalStateException("face_embed failed on the photo: " + e.getMessage(), e);
        }
        List<PhotoFace> faces = new ArrayList<>();
        for (Detection d : out.detections()) {
            if (d.getEmbedding() == null) {
                continue;
            }
            float[] e = new float[d.getEmbedding().size()];
            for (int i = 0; i < e.length; i++) {
                e[i] = d.getEmbedding().get(i);
            }
            faces.add(new PhotoFace(d.getBox().getLeft(), d.getBox().getTop(), d.getBox().getRight(),
                    d.getBox().getBottom(), d.getScore(), e, MODEL));
        }
        faces.sort(Comparator.comparingLong(PhotoFace::area).reversed());
        return faces;
    }
}
