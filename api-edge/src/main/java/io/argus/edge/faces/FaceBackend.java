package io.argus.edge.faces;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What the face routes need that the edge does not hold itself (the launcher implements it with the
 * media and analyzer modules): FFmpeg's blur measure, and the faces of a photo with their embeddings.
 */
public interface FaceBackend {

    /**
     * FFmpeg's {@code blurdetect} measure of a crop (libavfilter {@code vf_blurdetect.c}, default
     * options, luma plane), as the media spec's representative face uses it.
     *
     * @param crop a face crop, at least 8×8 px
     * @return the blur score, lower is sharper
     * @throws IllegalArgumentException when the crop is too small
     */
    double blur(BufferedImage crop);

    /**
     * The faces of a photo, as {@code face_embed} finds and embeds them (BlazeFace, alignment,
     * FaceRes).
     *
     * @param photo an RGB photo
     * @return its faces, largest first; empty when there is none
     * @throws IllegalStateException when the face models are not installed
     */
    List<PhotoFace> faces(BufferedImage photo);

    /**
     * A face of a photo.
     *
     * @param left      box, px of the photo
     * @param top       px
     * @param right     px
     * @param bottom    px
     * @param score     detection confidence, [0, 1]
     * @param embedding L2-normalised embedding
     * @param model     the embedding model (e.g. {@code faceres})
     */
    record PhotoFace(int left, int top, int right, int bottom, float score, float[] embedding, String model) {

        /** @return box area, px² */
        public long area() {
            return (long) Math.max(0, right - left) * Math.max(0, bottom - top);
        }
    }
}
