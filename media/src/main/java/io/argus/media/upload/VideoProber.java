package io.argus.media.upload;

import java.nio.file.Path;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;

/**
 * Probes a local video file with FFmpeg (JavaCV), as ingest opens sources ({@link SourceOpener}:
 * same error mapping, pixel limit and file roots).
 *
 * <p>Two passes: the first opens the file and decodes its first video frame (a file FFmpeg opens
 * but cannot decode a frame of is not a video); the second reads every packet without decoding and
 * counts those of the video stream, because header frame counts lie (DESIGN.md: tree.avi claims
 * 444 frames and has 68). The second pass reads the whole file: about the time of a sequential
 * read of it (no decoding).
 */
public final class VideoProber {

    private final SourceOpener opener;

    /** @param opener opens the files (file roots, pixel limit) */
    public VideoProber(SourceOpener opener) {
        this.opener = opener;
    }

    /**
     * @param file a local file
     * @return what it holds
     * @throws SourceException 400 "cannot open the file" for an empty file, one that is not a
     *                         video FFmpeg can read, or one with no decodable video frame; 400
     *                         "frames too large" above the opener's pixel limit; 424 "cannot find
     *                         the video" for a missing file or one outside the opener's roots
     */
    public VideoInfo probe(Path file) throws SourceException {
        SourceUri source = SourceUri.parse(file.toAbsolutePath().toString());
        FFmpegFrameGrabber grabber = opener.open(source, false, 0);
        int width;
        int height;
        double fps;
        long durationUs;
        String videoCodec;
        String audioCodec;
        String format;
        try {
            if (grabber.grabImage() == null) {
                throw SourceException.cannotOpen(null);
            }
            width = grabber.getImageWidth();
            height = grabber.getImageHeight();
            fps = grabber.getVideoFrameRate();
            long container = grabber.getFormatContext().duration(); // AV_TIME_BASE units (µs)
            durationUs = container > 0 ? container : grabber.getLengthInTime();
            videoCodec = grabber.getVideoCodecName();
            audioCodec = grabber.getAudioStream() >= 0 && grabber.hasAudio() ? grabber.getAudioCodecName() : null;
            format = grabber.getFormatContext().iformat().name().getString();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw SourceException.cannotOpen(e);
        } finally {
            SourceOpener.closeQuietly(grabber);
        }
        long frames = countVideoPackets(file);
        if (!(fps > 0) || !Double.isFinite(fps)) {
            fps = durationUs > 0 ? frames * 1e6 / durationUs : 0;
        }
        long durationMs = durationUs > 0 ? Math.round(durationUs / 1000.0) : fps > 0 ? Math.round(frames * 1000 / fps) : 0;
        return new VideoInfo(durationMs, fps, frames, width, height, videoCodec, audioCodec, format);
    }

    /**
     * @return packets of the first video stream, read without decoding
     * @throws SourceException 400 when FFmpeg cannot read the file on the second pass
     */
    private static long countVideoPackets(Path file) throws SourceException {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        try {
            g.start();
            int video = g.getVideoStream();
            AVFormatContext oc = g.getFormatContext();
            long n = 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (p.stream_index() == video && oc.streams(video) != null) {
                    n++;
                }
            }
            return n;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw SourceException.cannotOpen(e);
        } finally {
            SourceOpener.closeQuietly(g);
        }
    }
}
