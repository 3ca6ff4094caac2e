package io.argus.launcher.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.samples.SampleVideos;

/**
 * The frames of a clip by index: every video frame is decoded in order with FFmpeg (JavaCV
 * {@link FFmpegFrameGrabber}, as frame extraction does) and counted from 0; the wanted ones are
 * handed over as 8-bit 3-channel BGR, the layout ops take.
 */
public final class ClipFrames {

    /** Receives one decoded frame. */
    @FunctionalInterface
    public interface Consumer {
        /**
         * @param index frame index in the clip, from 0
         * @param bgr   the frame, 8-bit BGR; valid only during the call
         * @throws Exception to stop decoding; passed on to the caller as an IOException
         */
        void accept(int index, Mat bgr) throws Exception;
    }

    static {
        avutil.av_log_set_level(avutil.AV_LOG_FATAL); // as frame extraction: no FFmpeg chatter on stderr
    }

    private ClipFrames() {
    }

    /**
     * Finds a clip of the evaluation set: {@code <clipsDir>/<clip>} when present, else a sample of
     * {@link SampleVideos} (vtest.avi, fetched from Debian's opencv-doc on first use).
     *
     * @param clip     clip file name as in the annotations
     * @param clipsDir directory of the committed clips ({@code eval/clips})
     * @return the clip's path
     * @throws IOException when it is in neither place, or the sample cannot be fetched
     */
    public static Path resolve(String clip, Path clipsDir) throws IOException {
        Path local = clipsDir.resolve(clip);
        if (Files.isRegularFile(local)) {
            return local;
        }
        if (SampleVideos.NAMES.contains(clip)) {
            return SampleVideos.ensure(clip);
        }
        throw new IOException("clip " + clip + " is neither in " + clipsDir + " nor a sample video " + SampleVideos.NAMES);
    }

    /**
     * Decodes a clip from the start up to its last wanted frame.
     *
     * @param clip     the video file
     * @param frames   wanted frame indices
     * @param consumer receives each wanted frame, in index order
     * @throws IOException when the clip cannot be opened or decoded, ends before a wanted frame
     *                     (the message names the clip and its frame count), or the consumer fails
     */
    public static void decode(Path clip, SortedSet<Integer> frames, Consumer consumer) throws IOException {
        if (frames.isEmpty()) {
            return;
        }
        int last = frames.last();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            int index = -1;
            Frame f;
            while (index < last && (f = grabber.grabImage()) != null) {
                index++;
                if (frames.contains(index)) {
                    Mat bgr = converter.convert(f);
                    if (bgr == null || bgr.channels() != 3) {
                        throw new IOException(clip.getFileName() + " frame " + index + " did not decode to 3-channel BGR");
                    }
                    consumer.accept(index, bgr);
                }
            }
            if (index < last) {
                throw new IOException(clip.getFileName() + " has " + (index + 1) + " frames; frame " + last + " wanted");
            }
            grabber.stop();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot decode " + clip + ": " + e.getMessage(), e);
        }
    }
}
