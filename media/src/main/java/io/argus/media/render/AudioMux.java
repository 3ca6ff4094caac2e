package io.argus.media.render;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Puts a source's audio next to a rendered (silent) video without re-encoding either: the video
 * packets of one file and the audio packets of another copied into one MP4 ({@code -c copy}), in
 * time order, index at the front ({@code movflags +faststart}). Used for the annotated videos of
 * {@link AnnotatedVideoWriter}, which renders pictures only. Audio past the video's last frame is
 * left out. The output is written to {@code <output>.part} and renamed into place.
 */
public final class AudioMux {

    private AudioMux() {
    }

    /**
     * @param video       a file whose first video stream is kept
     * @param audioSource a file whose first audio stream is kept
     * @param output      the MP4 to write (replaced)
     * @return true when audio was added; false when {@code audioSource} has none (nothing written)
     * @throws IOException when a file cannot be read or the output written
     */
    public static boolean mux(Path video, Path audioSource, Path output) throws IOException {
        Path part = output.resolveSibling(output.getFileName() + ".part");
        FFmpegFrameGrabber v = open(video);
        FFmpegFrameGrabber a = null;
        AVFormatContext oc = null;
        try {
            a = open(audioSource);
            int vi = stream(v.getFormatContext(), avutil.AVMEDIA_TYPE_VIDEO);
            int ai = stream(a.getFormatContext(), avutil.AVMEDIA_TYPE_AUDIO);
            if (vi < 0) {
                throw new IOException("no video stream in " + video.getFileName());
            }
            if (ai < 0) {
                return false;
            }
            AVStream vin = v.getFormatContext().streams(vi);
            AVStream ain = a.getFormatContext().streams(ai);
            oc = new AVFormatContext(null);
            check(avformat_alloc_output_context2(oc, null, "mp4", part.toString()), "output context");
            AVStream vout = copyStream(oc, vin);
            AVStream aout = copyStream(oc, ain);
            AVIOContext pb = new AVIOContext(null);
            check(avio_open(pb, part.toString(), AVIO_FLAG_WRITE), "open " + part.getFileName());
            oc.pb(pb);
            AVDictionary opts = new AVDictionary(null);
            avutil.av_dict_set(opts, "movflags", "+faststart", 0);
            check(avformat_write_header(oc, opts), "write header");
            avutil.av_dict_free(opts);
            double vtb = avutil.av_q2d(vin.time_base());
            double atb = avutil.av_q2d(ain.time_base());
            double videoEnd = 0;
            AVPacket vp = next(v, vi);
            AVPacket ap = next(a, ai);
            while (vp != null || ap != null) {
                double vt = vp == null ? Double.MAX_VALUE : time(vp) * vtb;
                double at = ap == null ? Double.MAX_VALUE : time(ap) * atb;
                if (vp != null && vt <= at) {
                    long end = (vp.pts() != avutil.AV_NOPTS_VALUE ? vp.pts() : time(vp)) + Math.max(0, vp.duration());
                    videoEnd = Math.max(videoEnd, end * vtb);
                    write(oc, vp, vin, vout);
                    vp = next(v, vi);
                } else {
                    if (vp == null && at >= videoEnd) {
                        break; // audio past the video's end
                    }
                    write(oc, ap, ain, aout);
                    ap = next(a, ai);
                }
            }
            check(av_write_trailer(oc), "write trailer");
        } catch (FrameGrabber.Exception e) {
            Files.deleteIfExists(part);
            throw new IOException("cannot add the audio: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        } finally {
            if (oc != null) {
                if (oc.pb() != null) {
                    avio_closep(oc.pb());
                }
                avformat_free_context(oc);
            }
            close(v);
            if (a != null) {
                close(a);
            }
        }
        if (!Files.exists(part)) {
            return false;
        }
        Files.move(part, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static AVStream copyStream(AVFormatContext oc, AVStream in) throws IOException {
        AVStream out = avformat_new_stream(oc, null);
        if (out == null) {
            throw new IOException("cannot add a stream");
        }
        check(avcodec_parameters_copy(out.codecpar(), in.codecpar()), "copy codec parameters");
        out.codecpar().codec_tag(0);
        out.time_base(in.time_base());
        return out;
    }

    private static void write(AVFormatContext oc, AVPacket p, AVStream in, AVStream out) throws IOException {
        av_packet_rescale_ts(p, in.time_base(), out.time_base());
        p.stream_index(out.index());
        p.pos(-1);
        check(av_interleaved_write_frame(oc, p), "write packet");
    }

    /** @return the packet's decode time, else its presentation time, in its stream's time base */
    private static long time(AVPacket p) {
        return p.dts() != avutil.AV_NOPTS_VALUE ? p.dts() : p.pts() != avutil.AV_NOPTS_VALUE ? p.pts() : 0;
    }

    /** @return the grabber's next packet of that stream (valid until its next read), or null at the end */
    private static AVPacket next(FFmpegFrameGrabber g, int stream) throws FrameGrabber.Exception {
        AVPacket p;
        while ((p = g.grabPacket()) != null) {
            if (p.stream_index() == stream) {
                return p;
            }
        }
        return null;
    }

    private static int stream(AVFormatContext oc, int type) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == type) {
                return i;
            }
        }
        return -1;
    }

    private static void check(int ret, String what) throws IOException {
        if (ret < 0) {
            throw new IOException("cannot " + what + ": FFmpeg error " + ret);
        }
    }

    private static FFmpegFrameGrabber open(Path file) throws IOException {
        return io.argus.media.Grabbers.open(file);
    }

    private static void close(FFmpegFrameGrabber g) {
        io.argus.media.Grabbers.close(g);
    }
}
