package io.argus.media.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.media.DecodeAhead;

/**
 * Renders an annotated copy of a video: every frame of the source decoded, the
 * {@link Annotations} drawn on it ({@link FrameAnnotator}) and encoded as H.264 in MP4
 * (issue "Objects over time", annotated video; media-api.html {@code GET …/video/bbox}). The
 * boxes come from stored results: nothing is detected here.
 *
 * <p>Output: H.264 from the bundled FFmpeg's {@code libopenh264} encoder (the LGPL build has no
 * libx264), {@code yuv420p}, the source's frame size and frame rate, one output frame per decoded
 * source frame (so the frame count is the source's and the duration {@code frames / fps}),
 * numbered from 0 at constant rate (a variable-rate source is evened out), a keyframe every 2 s,
 * MP4 with the index at the front ({@code movflags +faststart}) so that it plays while it
 * downloads. Bit rate: {@code bitsPerPixel × width × height × fps}, at least 300 kb/s. No audio.
 * The file is written to {@code <output>.part} and renamed into place: a reader never sees a
 * partial file.
 *
 * <p>Decoding runs one thread ahead of drawing and encoding ({@link DecodeAhead}), so that the two
 * overlap on two cores; the encoder itself runs on the calling thread.
 *
 * <p>Frame times for {@link Annotations#overlaysAt} are the decoder's timestamps in ms (the same
 * clock as a job's frame offsets, which ingest takes from the same grabber), with half a frame
 * period of tolerance.
 *
 * <p>Thread-safe: each call opens its own decoder and encoder.
 */
public final class AnnotatedVideoWriter {

    /** The encoder of the bundled FFmpeg build. */
    public static final String ENCODER = "libopenh264";
    /**
     * Default bits per pixel and frame of the output's bit rate: 0.1 gives ~5.2 Mb/s at 1920×1080
     * and 25 fps, ~415 kb/s at 768×432 and 12.5 fps.
     */
    public static final double DEFAULT_BITS_PER_PIXEL = 0.1;
    /** Lowest output bit rate, bits/s. */
    public static final int MIN_BITRATE = 300_000;

    private final SourceOpener opener;
    private final double bitsPerPixel;

    /** A writer reading any local file, at {@link #DEFAULT_BITS_PER_PIXEL}. */
    public AnnotatedVideoWriter() {
        this(SourceOpener.UNRESTRICTED, DEFAULT_BITS_PER_PIXEL);
    }

    /**
     * @param opener       opens the sources (file roots, pixel limit)
     * @param bitsPerPixel bits per pixel and frame of the output bit rate, &gt; 0
     * @throws IllegalArgumentException when bitsPerPixel is not positive
     */
    public AnnotatedVideoWriter(SourceOpener opener, double bitsPerPixel) {
        if (!(bitsPerPixel > 0)) {
            throw new IllegalArgumentException("bits per pixel must be > 0: " + bitsPerPixel);
        }
        this.opener = opener;
        this.bitsPerPixel = bitsPerPixel;
    }

    /**
     * @param source      the source video, a local file
     * @param annotations what to draw
     * @param output      the MP4 to write (replaced when it exists)
     * @return what was written
     * @throws SourceException 424 "cannot find the video" for a missing source, 400 "cannot open
     *                         the file" for one FFmpeg cannot read or with no video frame
     * @throws IOException     when decoding fails midway, the encoder fails or the output cannot
     *                         be written (no partial output is left)
     */
    public RenderResult render(Path source, Annotations annotations, Path output) throws SourceException, IOException {
        long started = System.nanoTime();
        Path part = output.resolveSibling(output.getFileName() + ".part");
        long frames = 0;
        long boxes = 0;
        int width;
        int height;
        double fps;
        FFmpegFrameGrabber grabber = opener.open(SourceUri.parse(source.toAbsolutePath().toString()), false, 0);
        try {
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            fps = frameRate(grabber);
            long tolerance = Math.max(1, Math.round(500 / fps));
            FrameAnnotator annotator = new FrameAnnotator(annotations);
            try (FFmpegFrameRecorder recorder = recorder(part, width, height, fps);
                 DecodeAhead decoded = new DecodeAhead(grabber, "argus-render-decode")) {
                recorder.start();
                DecodeAhead.Decoded d;
                while ((d = decoded.next()) != null) {
                    boxes += annotator.annotate(d.frame(), d.tMs(), tolerance).size();
                    recorder.record(d.frame());
                    decoded.release(d);
                    frames++;
                }
                if (frames == 0) {
                    throw SourceException.cannotOpen(null);
                }
                recorder.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(part);
            throw new java.io.InterruptedIOException("rendering " + source.getFileName() + " interrupted");
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            Files.deleteIfExists(part);
            throw new IOException("cannot render " + source.getFileName() + ": " + e.getMessage(), e);
        } catch (SourceException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        } catch (IOException e) { // the decoder failed midway
            Files.deleteIfExists(part);
            throw new IOException("cannot render " + source.getFileName() + ": " + e.getMessage(), e);
        } finally {
            SourceOpener.closeQuietly(grabber);
        }
        Files.move(part, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new RenderResult(output, frames, width, height, fps, Math.round(frames * 1000 / fps), boxes,
                Files.size(output), (System.nanoTime() - started) / 1e6);
    }

    /**
     * @param grabber a started grabber
     * @return its video frame rate (average, else the stream's base rate), 25 when it has neither
     */
    static double frameRate(FFmpegFrameGrabber grabber) {
        double fps = grabber.getVideoFrameRate();
        return fps > 0 && Double.isFinite(fps) ? fps : 25;
    }

    private FFmpegFrameRecorder recorder(Path file, int width, int height, double fps) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
        r.setFormat("mp4");
        r.setVideoCodecName(ENCODER);
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(Math.max(1, (int) Math.round(fps * 2)));
        r.setVideoBitrate((int) Math.max(MIN_BITRATE, Math.min(Integer.MAX_VALUE, bitsPerPixel * width * height * fps)));
        r.setOption("movflags", "+faststart");
        r.setVideoOption("allow_skip_frames", "0"); // rate control must not drop frames: one out per frame in
        return r;
    }
}
