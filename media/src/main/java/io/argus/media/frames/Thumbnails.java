package io.argus.media.frames;

import java.io.IOException;
import java.nio.file.Path;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * One exact frame of a video as JPEG (media-api.html, {@code GET /api/v1/file/:file_uuid/thumbnail}):
 * the frame {@link ExactFrameReader} finds, optionally cropped, encoded by OpenCV at JPEG quality
 * {@value #QUALITY}.
 */
public final class Thumbnails {

    /** JPEG quality, 0–100: high, as a thumbnail is often cropped further or compared. */
    public static final int QUALITY = 95;

    private Thumbnails() {
    }

    /**
     * @param file  a video file
     * @param frame zero-based frame number
     * @param x     crop left edge, pixels (ignored without a crop)
     * @param y     crop top edge, pixels
     * @param w     crop width, pixels; 0 for the whole frame
     * @param h     crop height, pixels; 0 for the whole frame
     * @return the JPEG, or null when the video has no such frame
     * @throws IOException              when the file cannot be decoded
     * @throws IllegalArgumentException when the crop leaves the frame
     */
    public static byte[] jpeg(Path file, long frame, int x, int y, int w, int h) throws IOException {
        try (ExactFrameReader reader = new ExactFrameReader(file, 0)) {
            Frame f = reader.seek(frame);
            return f == null ? null : encode(f, x, y, w, h);
        }
    }

    /**
     * @param f a BGR24 frame
     * @param x crop left edge, pixels
     * @param y crop top edge, pixels
     * @param w crop width, pixels; 0 for the whole frame
     * @param h crop height, pixels; 0 for the whole frame
     * @return the JPEG of the frame or the crop
     * @throws IllegalArgumentException when the crop leaves the frame
     */
    public static byte[] encode(Frame f, int x, int y, int w, int h) {
        if (w > 0 && (x < 0 || y < 0 || h < 1 || x + w > f.imageWidth || y + h > f.imageHeight)) {
            throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " leaves the "
                    + f.imageWidth + "x" + f.imageHeight + " frame");
        }
        try (OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            Mat whole = conv.convert(f);
            Mat part = w > 0 ? new Mat(whole, new Rect(x, y, w, h)) : whole;
            try (BytePointer out = new BytePointer();
                 IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY)) {
                opencv_imgcodecs.imencode(".jpg", part, out, params);
                byte[] bytes = new byte[(int) out.limit()];
                out.get(bytes);
                return bytes;
            } finally {
                if (part != whole) {
                    part.close();
                }
            }
        }
    }
}
