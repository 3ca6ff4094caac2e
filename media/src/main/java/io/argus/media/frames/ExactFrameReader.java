package io.argus.media.frames;

import java.io.IOException;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads a video file from an exact zero-based frame number: seeks to the keyframe at or before it
 * and decodes forward, so the frame is the one FFmpeg's {@code select=eq(n\,N)} picks, not the
 * nearest keyframe.
 *
 * <p>Frame numbers come from presentation times and the stream's frame rate: frame
 * {@code round((pts - pts₀) × fps)}, {@code pts₀} the first decoded frame's time. For a
 * constant-frame-rate stream (every file the probe accepts with a fixed rate) that is the frame's
 * position in decode-output order from the stream's start, which is what {@code select} counts. A
 * seek that lands past the frame (a file whose index puts the keyframe late) is retried from 2, 4,
 * 8... s earlier, and at last from the start, so the answer never depends on the index.
 *
 * <p>Frames come as packed BGR24 ({@link Frame#image}[0], {@link Frame#imageStride} bytes a row),
 * or in another pixel format chosen at opening (a clip without overlay asks for YUV420P, the
 * encoder's own format, which saves a colour conversion each way); a returned frame is the
 * grabber's buffer, valid until the next read. The decoder runs with FFmpeg's automatic thread
 * count ({@code threads=auto}, as the ffmpeg CLI's default): frame threads on a multi-core machine,
 * which decode the frames between the keyframe and the target in parallel. Not thread-safe.
 */
public final class ExactFrameReader implements AutoCloseable {

    private final FFmpegFrameGrabber grabber;
    private final double fps;
    private final long firstPtsUs;
    private long lastIndex = -1;

    /**
     * Opens the file and decodes its first frame (for {@code pts₀}).
     *
     * @param file a video file
     * @param fps  frames/s to number frames by; ≤ 0 for the stream's own rate
     * @throws IOException when it cannot be opened or has no video frame
     */
    public ExactFrameReader(Path file, double fps) throws IOException {
        this(file, fps, avutil.AV_PIX_FMT_BGR24);
    }

    /**
     * Opens the file and decodes its first frame (for {@code pts₀}).
     *
     * @param file        a video file
     * @param fps         frames/s to number frames by; ≤ 0 for the stream's own rate
     * @param pixelFormat the pixel format wanted, an {@code AV_PIX_FMT_*} of {@link avutil}. A planar
     *                    format is kept only when the decoder's rows come unpadded (the width a
     *                    multiple of FFmpeg's row alignment, e.g. 640, 1280, 1920, 3840), since
     *                    JavaCV's recorder reads planar frames as packed one plane after another;
     *                    otherwise the frames are BGR24. {@link #pixelFormat()} says which.
     * @throws IOException when it cannot be opened or has no video frame
     */
    public ExactFrameReader(Path file, double fps, int pixelFormat) throws IOException {
        grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.setPixelFormat(pixelFormat);
        grabber.setVideoOption("threads", "auto");
        try {
            grabber.start();
            double rate = fps > 0 ? fps : grabber.getVideoFrameRate();
            this.fps = rate > 0 && Double.isFinite(rate) ? rate : 25;
            Frame first = grabber.grabImage();
            if (first != null && pixelFormat != avutil.AV_PIX_FMT_BGR24 && first.imageChannels == 1
                    && first.imageStride != first.imageWidth) {
                grabber.stop(); // padded planar rows: decode as packed BGR24 instead
                grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
                grabber.start();
                first = grabber.grabImage();
            }
            if (first == null) {
                throw new IOException("no video frame in " + file.getFileName());
            }
            firstPtsUs = grabber.getTimestamp();
            lastIndex = 0;
        } catch (FrameGrabber.Exception e) {
            close();
            throw new IOException("cannot open " + file.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the frames' pixel format, an {@code AV_PIX_FMT_*} of {@link avutil} */
    public int pixelFormat() {
        return grabber.getPixelFormat();
    }

    /** @return the frame rate frames are numbered by, frames/s */
    public double fps() {
        return fps;
    }

    /** @return the grabber (its audio settings), started */
    public FFmpegFrameGrabber grabber() {
        return grabber;
    }

    /**
     * @param frame a video frame just read
     * @return its zero-based number
     */
    public long index(Frame frame) {
        return Math.round((frame.timestamp - firstPtsUs) * fps / 1e6);
    }

    /**
     * Positions the reader on a frame and returns it.
     *
     * @param n zero-based frame number, ≥ 0
     * @return frame n (BGR24), or null when the video ends before it
     * @throws IOException when decoding fails
     */
    public Frame seek(long n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("frame numbers start at 0: " + n);
        }
        try {
            long targetUs = Math.round(n * 1e6 / fps);
            for (long backUs = 0; ; backUs = backUs == 0 ? 2_000_000 : backUs * 2) {
                long at = Math.max(0, targetUs - backUs);
                if (at == 0) {
                    grabber.restart();
                } else {
                    grabber.setVideoTimestamp(at);
                }
                Frame f = forwardTo(n);
                if (f != null || lastIndex < n) {
                    return f; // the frame, or the video ended before it
                }
                if (at == 0) {
                    return null; // decoded from the start and still past: no frame has that number
                }
            }
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode frame " + n + ": " + e.getMessage(), e);
        }
    }

    /** Decodes forward to frame n; null when past it (lastIndex > n) or at the end (lastIndex < n). */
    private Frame forwardTo(long n) throws FrameGrabber.Exception {
        while (true) {
            Frame f = grabber.grabImage();
            if (f == null) {
                lastIndex = Long.MIN_VALUE;
                return null;
            }
            lastIndex = index(f);
            if (lastIndex == n) {
                return f;
            }
            if (lastIndex > n) {
                return null;
            }
        }
    }

    /**
     * @return the next frame after the last one read, video or audio ({@link Frame#image} or
     *         {@link Frame#samples} set), or null at the end
     * @throws IOException when decoding fails
     */
    public Frame next() throws IOException {
        try {
            return grabber.grab();
        } catch (FrameGrabber.Exception e) {
            throw new IOException("cannot decode: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            // closing: nothing left to do
        }
    }
}
