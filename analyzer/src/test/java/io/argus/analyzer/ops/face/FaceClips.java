package io.argus.analyzer.ops.face;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.analyzer.ops.BlazeFaceOp;

/**
 * Faces of the committed verification clips ({@code src/test/resources/faces/}, see the README
 * there): every frame decoded, BlazeFace run on it, and each face kept with its frame, box and
 * keypoints in frame pixels.
 */
final class FaceClips {

    /** The clips' directory. */
    static final Path DIR = Path.of("src", "test", "resources", "faces");

    /** One detected face. */
    record Found(String clip, int frame, float score, float[] box, float[] keypoints, Mat frameBgr) {
        float centreX() {
            return (box[0] + box[2]) / 2;
        }

        float width() {
            return box[2] - box[0];
        }
    }

    private FaceClips() {
    }

    /**
     * @param clip a clip file name
     * @param detector a detector
     * @return every face of every frame, frames kept (the caller closes them)
     */
    static List<Found> faces(String clip, BlazeFaceOp detector) throws Exception {
        List<Found> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(DIR.resolve(clip).toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.start();
            Frame f;
            int i = 0;
            while ((f = g.grabImage()) != null) {
                Mat bgr = conv.convert(f).clone();
                for (Face face : detector.detect(bgr)) {
                    var b = detector.toFrame(face, bgr);
                    if (b == null) {
                        continue;
                    }
                    out.add(new Found(clip, i, face.score(),
                            new float[] {b.getLeft(), b.getTop(), b.getRight(), b.getBottom()},
                            detector.keypointsToFrame(face), bgr));
                }
                i++;
            }
            g.stop();
        }
        return out;
    }
}
