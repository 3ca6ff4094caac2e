package io.argus.edge.faces;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import javax.imageio.ImageIO;

import io.argus.edge.frames.StoredFrames;

/**
 * Face crops cut from the stored frames the faces were found on (the analysed frames' JPEGs in the
 * frame store; no video is decoded).
 */
final class FaceCrops {

    /** Side of a trace thumbnail, px (media spec: "JPEG (320×320)"). */
    static final int THUMBNAIL = 320;
    /** Margin around the face box of a thumbnail: the square's side is this times the box's longer side. */
    static final double THUMBNAIL_MARGIN = 1.4;

    private final StoredFrames frames;

    /** @param frames the frame store */
    FaceCrops(StoredFrames frames) {
        this.frames = frames;
    }

    /**
     * @param face a face
     * @return its frame, empty when the frame is no longer stored
     * @throws IOException when the store cannot be read
     */
    Optional<BufferedImage> frame(FaceView.Face face) throws IOException {
        if (face.frameUri() == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(ImageIO.read(new ByteArrayInputStream(frames.read(face.frameUri()))));
        } catch (java.nio.file.NoSuchFileException | IllegalArgumentException gone) {
            return Optional.empty();
        }
    }

    /**
     * @param frame the face's frame
     * @param face  the face
     * @return the box, clipped to the frame (at least 1×1 px)
     */
    static BufferedImage box(BufferedImage frame, FaceView.Face face) {
        int x0 = Math.max(0, Math.min(frame.getWidth() - 1, face.left()));
        int y0 = Math.max(0, Math.min(frame.getHeight() - 1, face.top()));
        int x1 = Math.max(x0 + 1, Math.min(frame.getWidth(), face.right()));
        int y1 = Math.max(y0 + 1, Math.min(frame.getHeight(), face.bottom()));
        return frame.getSubimage(x0, y0, x1 - x0, y1 - y0);
    }

    /**
     * @param frame the face's frame
     * @param face  the face
     * @return a {@value #THUMBNAIL}×{@value #THUMBNAIL} px RGB square around the face: centred on the
     *         box, side {@value #THUMBNAIL_MARGIN} × its longer side, shifted (then clipped) to stay in
     *         the frame, scaled bilinearly
     */
    static BufferedImage thumbnail(BufferedImage frame, FaceView.Face face) {
        double side = THUMBNAIL_MARGIN * Math.max(face.right() - face.left(), face.bottom() - face.top());
        int s = (int) Math.max(1, Math.min(Math.min(frame.getWidth(), frame.getHeight()), Math.round(side)));
        double cx = (face.left() + face.right()) / 2.0;
        double cy = (face.top() + face.bottom()) / 2.0;
        int x0 = (int) Math.round(Math.max(0, Math.min(frame.getWidth() - s, cx - s / 2.0)));
        int y0 = (int) Math.round(Math.max(0, Math.min(frame.getHeight() - s, cy - s / 2.0)));
        BufferedImage out = new BufferedImage(THUMBNAIL, THUMBNAIL, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(frame.getSubimage(x0, y0, s, s), 0, 0, THUMBNAIL, THUMBNAIL, null);
        g.dispose();
        return out;
    }

    /**
     * @param image an image
     * @return it as JPEG
     * @throws IOException when encoding fails
     */
    static byte[] jpeg(BufferedImage image) throws IOException {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "jpg", out);
        return out.toByteArray();
    }
}
