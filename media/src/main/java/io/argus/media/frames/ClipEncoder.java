package io.argus.media.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import io.argus.media.DecodeAhead;
import io.argus.media.render.AnnotatedVideoWriter;
import io.argus.media.render.BitmapFont;

/**
 * A frame-exact clip of a video as MPEG-TS (media-api.html, {@code GET /api/v1/file/:file_uuid/clip}):
 * frames {@code first..last} (inclusive, zero-based, found by {@link ExactFrameReader}) re-encoded
 * as H.264 ({@value AnnotatedVideoWriter#ENCODER}, the bundled LGPL FFmpeg has no libx264) at the
 * source's frame rate and size, with the audio of the same span re-encoded as AAC (FFmpeg's native
 * encoder, {@value #AUDIO_BITRATE} b/s), written to a stream as the muxer produces it.
 *
 * <p>Every decoded frame of the range is encoded once ({@code allow_skip_frames=0}), so the clip has
 * exactly {@code last - first + 1} frames. Audio: the samples decoded after the seek whose time
 * falls in {@code [t(first), t(last) + 1/fps)}; the audio packet that straddles the first frame is
 * dropped, so audio may start up to one packet (about 20–60 ms) late.
 *
 * <p>Frames are decoded as YUV420P, the encoder's input, so no colour conversion runs (as the
 * ffmpeg CLI's {@code -c:v libopenh264} on a YUV420P source), when the width allows
 * ({@link ExactFrameReader#ExactFrameReader(Path, double, int)}); with {@code debug}, or a width
 * whose rows FFmpeg pads, they are decoded as BGR24 and converted back by the recorder.
 *
 * <p>Decoding runs on a thread of its own a few frames ahead of the encoder ({@link DecodeAhead}),
 * as the ffmpeg CLI runs its decoder and encoder on threads of their own.
 *
 * <p>{@code debug}: {@code CLIP <frame number>} drawn at the top left in {@link BitmapFont}
 * (white on a black shadow), at a scale of {@code max(2, height / 160)} pixels a dot.
 */
public final class ClipEncoder {

    /** AAC bitrate, bits/s. */
    public static final int AUDIO_BITRATE = 128_000;
    /** H.264 bitrate, bits per pixel per frame (as {@link AnnotatedVideoWriter}'s default). */
    public static final double BITS_PER_PIXEL = 0.15;

    private ClipEncoder() {
    }

    /**
     * @param file  a video file
     * @param first first frame, zero-based
     * @param last  last frame, inclusive, ≥ first
     * @param audio true to keep the audio (ignored when the file has none)
     * @param debug true to draw the "CLIP" overlay
     * @param out   where the MPEG-TS goes (not closed)
     * @return frames written; fewer than {@code last - first + 1} only when the video ends early,
     *         0 when it has no frame {@code first}
     * @throws IOException when decoding, encoding or writing fails
     */
    public static long encode(Path file, long first, long last, boolean audio, boolean debug, OutputStream out)
            throws IOException {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad frame range " + first + ".." + last);
        }
        try (ExactFrameReader reader = new ExactFrameReader(file, 0,
                debug ? avutil.AV_PIX_FMT_BGR24 : avutil.AV_PIX_FMT_YUV420P)) {
            int pixels = reader.pixelFormat();
            Frame f = reader.seek(first);
            if (f == null) {
                return 0;
            }
            FFmpegFrameGrabber g = reader.grabber();
            boolean withAudio = audio && g.getAudioChannels() > 0 && g.getSampleRate() > 0;
            double fps = reader.fps();
            long startUs = f.timestamp;
            long endUs = startUs + Math.round((last - first + 1) * 1e6 / fps);
            FFmpegFrameRecorder r = recorder(out, f.imageWidth, f.imageHeight, fps, withAudio ? g : null);
            long written = 0;
            try {
                r.start();
                written += write(r, f, reader.index(f), debug, pixels);
                try (DecodeAhead ahead = new DecodeAhead(g, "argus-clip-decode", withAudio)) {
                    DecodeAhead.Decoded d;
                    while ((d = ahead.next()) != null) {
                        Frame next = d.frame();
                        try {
                            if (next.image != null) {
                                long idx = reader.index(next);
                                if (idx > last) {
                                    break;
                                }
                                if (idx >= first) {
                                    written += write(r, next, idx, debug, pixels);
                                }
                            } else if (next.timestamp >= startUs && next.timestamp < endUs) {
                                r.record(next);
                            }
                        } finally {
                            ahead.release(d);
                        }
                    }
                }
                r.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("clip interrupted");
            } finally {
                r.release();
            }
            return written;
        } catch (FrameRecorder.Exception e) {
            throw new IOException("cannot encode the clip: " + e.getMessage(), e);
        }
    }

    private static int write(FFmpegFrameRecorder r, Frame f, long index, boolean debug, int pixels)
            throws FrameRecorder.Exception {
        if (debug) {
            overlay(f, "CLIP " + index);
        }
        r.record(f, pixels);
        return 1;
    }

    /** Draws the text at the top left of a BGR24 frame, white on a black shadow. */
    static void overlay(Frame f, String text) {
        ByteBuffer bgr = (ByteBuffer) f.image[0];
        int scale = Math.max(2, f.imageHeight / 160);
        BitmapFont font = BitmapFont.get();
        int at = 4 * scale;
        font.draw(bgr, f.imageWidth, f.imageHeight, f.imageStride, text, at + scale, at + scale, scale, 0x000000);
        font.draw(bgr, f.imageWidth, f.imageHeight, f.imageStride, text, at, at, scale, 0xFFFFFF);
    }

    private static FFmpegFrameRecorder recorder(OutputStream out, int width, int height, double fps,
                                                FFmpegFrameGrabber audioFrom) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, width, height, audioFrom == null ? 0
                : audioFrom.getAudioChannels());
        r.setFormat("mpegts");
        r.setVideoCodecName(AnnotatedVideoWriter.ENCODER);
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(Math.max(1, (int) Math.round(fps * 2)));
        r.setVideoBitrate((int) Math.max(500_000, Math.min(Integer.MAX_VALUE, BITS_PER_PIXEL * width * height * fps)));
        r.setVideoOption("allow_skip_frames", "0");
        if (audioFrom != null) {
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setSampleRate(audioFrom.getSampleRate());
            r.setAudioChannels(audioFrom.getAudioChannels());
            r.setAudioBitrate(AUDIO_BITRATE);
        }
        return r;
    }
}
