package io.argus.media.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * A zero-loss cut of a video (media-api.html, {@code GET /api/v1/file/:file_uuid/video?start_frame=&end_frame=},
 * "-c copy (zero encoding)"): the compressed packets of the source copied into MPEG-TS without
 * decoding or encoding, so the pictures are bit-exact and the codec is the source's.
 *
 * <p>A copy can only start on a keyframe, so the cut starts at the <b>keyframe at or before</b>
 * {@code start_frame}. It ends at {@code end_frame} inclusive: the video packets copied are those
 * from that keyframe, in decode order, up to the last packet that presents a frame ≤ {@code end_frame}.
 * Without B-frames that is exactly frames {@code keyframe..end_frame}. With B-frames a reference
 * frame that is presented after {@code end_frame} may be decoded before a B-frame of the range and
 * is then copied too (dropping it would break the B-frame), with the frames presented between
 * them, so that the copied frames are always the contiguous run {@code startFrame..endFrame}:
 * {@link Plan#endFrame()} then says how far past {@code end_frame} the cut goes (at most the reorder
 * depth, 1 or 2 frames for common B-frame settings).
 * Leading pictures of an open GOP that present before the keyframe are dropped.
 *
 * <p>Frame numbers are presentation order from the stream's start, zero-based (as
 * {@link ExactFrameReader} and FFmpeg's {@code select=eq(n\,N)} count), found from the packets'
 * presentation times (decode times, then packet order, where a container has none). Planning reads
 * packet headers and data from the start of the file up to {@code end_frame} plus
 * {@value #REORDER_MARGIN} packets (the largest H.264 reorder depth is 16) and keeps 17 bytes a
 * frame; nothing is decoded.
 *
 * <p>Output: MPEG-TS (streamable, no index; FFmpeg's muxer adds the H.264/HEVC Annex-B start codes
 * and the AAC ADTS headers an MP4 source lacks), timestamps shifted so that the keyframe's decode
 * time is 0. Audio, when kept: the source's audio packets copied unchanged whose start lies in
 * {@code [t(keyframe), t(last frame) + one frame)}. Written to the stream as the muxer produces it;
 * memory is bounded by the muxer's interleaving queue.
 */
public final class StreamCopyCut {

    /** Video packets read past {@code end_frame} to learn the presentation order (H.264 reorders up to 16). */
    static final int REORDER_MARGIN = 32;
    /** Packets read past the last video packet copied while waiting for audio of the range. */
    static final int AUDIO_TAIL_PACKETS = 1_000;

    private StreamCopyCut() {
    }

    /**
     * What a cut copies.
     *
     * @param startFrame   first frame copied: the keyframe at or before the frame asked for, zero-based
     * @param endFrame     last frame copied (presentation order), ≥ the frame asked for
     * @param frames       video frames copied
     * @param firstPacket  decode-order index of the keyframe's packet among the video packets
     * @param lastPacket   decode-order index of the last video packet copied
     * @param startPts     the keyframe's presentation time, the video stream's time base
     * @param shiftDts     the keyframe's decode time, the video stream's time base (subtracted from
     *                     every timestamp)
     * @param endSeconds   end of the range, seconds of the source (audio before it is kept)
     * @param videoCodec   the video codec's FFmpeg name (copied, so the output's too), e.g. {@code h264}
     * @param audio        true when audio is copied
     * @param audioCodec   its codec's FFmpeg name, or null
     */
    public record Plan(long startFrame, long endFrame, long frames, long firstPacket, long lastPacket, long startPts,
                       long shiftDts, double endSeconds, String videoCodec, boolean audio, String audioCodec) {
    }

    /** The video has fewer frames than asked for. */
    public static final class PastTheEnd extends Exception {
        private final long frames;

        /** @param frames the frames the video has, at least as far as it was read */
        PastTheEnd(long frames) {
            super("the video has " + frames + " frames");
            this.frames = frames;
        }

        /** @return the frames the video has */
        public long frames() {
            return frames;
        }
    }

    /**
     * Finds what to copy (reads packets, decodes nothing).
     *
     * @param file  a video file
     * @param first first frame asked for, zero-based, ≥ 0
     * @param last  last frame asked for, inclusive, ≥ first
     * @param audio true to keep the audio (ignored when the file has none)
     * @return the plan
     * @throws PastTheEnd when the video has no frame {@code last}
     * @throws IOException when the file cannot be read or has no keyframe at or before {@code first}
     */
    public static Plan plan(Path file, long first, long last, boolean audio) throws PastTheEnd, IOException {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad frame range " + first + ".." + last);
        }
        FFmpegFrameGrabber g = open(file);
        try {
            AVFormatContext oc = g.getFormatContext();
            int vi = stream(oc, avutil.AVMEDIA_TYPE_VIDEO);
            int ai = audio ? stream(oc, avutil.AVMEDIA_TYPE_AUDIO) : -1;
            if (vi < 0) {
                throw new IOException("no video stream in " + file.getFileName());
            }
            long limit = Math.addExact(last, 1 + REORDER_MARGIN);
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.min(limit, 1 << 16));
            long[] pts = new long[cap];
            long[] dts = new long[cap];
            boolean[] key = new boolean[cap];
            int n = 0;
            AVPacket p;
            while (n < limit && (p = g.grabPacket()) != null) {
                if (p.stream_index() != vi) {
                    continue;
                }
                if (n == pts.length) {
                    int grown = (int) Math.min(limit, (long) n * 2);
                    pts = Arrays.copyOf(pts, grown);
                    dts = Arrays.copyOf(dts, grown);
                    key = Arrays.copyOf(key, grown);
                }
                long d = p.dts() != avutil.AV_NOPTS_VALUE ? p.dts() : n;
                pts[n] = p.pts() != avutil.AV_NOPTS_VALUE ? p.pts() : d;
                dts[n] = d;
                key[n] = (p.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                n++;
            }
            if (n <= last) {
                throw new PastTheEnd(n);
            }
            // presentation index of each packet: its rank by presentation time among those read
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            final long[] times = pts;
            Arrays.sort(order, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : Integer.compare(a, b));
            long[] presented = new long[n];
            for (int rank = 0; rank < n; rank++) {
                presented[order[rank]] = rank;
            }
            int k = -1; // the keyframe at or before first, in presentation order
            for (int rank = (int) first; rank >= 0 && k < 0; rank--) {
                if (key[order[rank]]) {
                    k = rank;
                }
            }
            if (k < 0) {
                throw new IOException("no keyframe at or before frame " + first + " in " + file.getFileName());
            }
            int firstPacket = order[k];
            // the packets up to the last one presented by `last`; when that takes in a reference
            // presented later, also the frames presented before it, until the frames are contiguous
            int lastPacket = firstPacket;
            long endFrame = last;
            long frames;
            while (true) {
                for (int i = lastPacket; i < n; i++) {
                    if (presented[i] >= k && presented[i] <= endFrame) {
                        lastPacket = i;
                    }
                }
                frames = 0;
                long highest = k;
                for (int i = firstPacket; i <= lastPacket; i++) {
                    if (presented[i] >= k) {
                        frames++;
                        highest = Math.max(highest, presented[i]);
                    }
                }
                if (highest <= endFrame || highest >= n - 1) {
                    endFrame = Math.max(highest, k);
                    break;
                }
                endFrame = highest;
            }
            AVRational vtb = oc.streams(vi).time_base();
            double endSeconds;
            if (endFrame + 1 < n) {
                endSeconds = pts[order[(int) endFrame + 1]] * avutil.av_q2d(vtb);
            } else {
                double fps = g.getVideoFrameRate() > 0 ? g.getVideoFrameRate() : 25;
                endSeconds = pts[order[(int) endFrame]] * avutil.av_q2d(vtb) + 1 / fps;
            }
            return new Plan(k, endFrame, frames, firstPacket, lastPacket, pts[firstPacket], dts[firstPacket],
                    endSeconds, codecName(oc.streams(vi)), ai >= 0, ai >= 0 ? codecName(oc.streams(ai)) : null);
        } finally {
            close(g);
        }
    }

    /**
     * Copies the planned packets into MPEG-TS on {@code out} while reading them.
     *
     * @param file the file planned
     * @param plan the plan ({@link #plan})
     * @param out  where the MPEG-TS goes (not closed)
     * @return video packets written
     * @throws IOException when reading, muxing or writing fails (e.g. the client left)
     */
    public static long copy(Path file, Plan plan, OutputStream out) throws IOException {
        FFmpegFrameGrabber g = open(file);
        FFmpegFrameRecorder r = null;
        try {
            AVFormatContext oc = g.getFormatContext();
            int vi = stream(oc, avutil.AVMEDIA_TYPE_VIDEO);
            int ai = plan.audio() ? stream(oc, avutil.AVMEDIA_TYPE_AUDIO) : -1;
            AVStream vs = oc.streams(vi);
            r = new FFmpegFrameRecorder(out, vs.codecpar().width(), vs.codecpar().height(),
                    ai >= 0 ? oc.streams(ai).codecpar().ch_layout().nb_channels() : 0);
            r.setFormat("mpegts");
            double fps = g.getVideoFrameRate();
            if (fps > 0 && Double.isFinite(fps)) {
                r.setFrameRate(fps);
            }
            r.start(oc);
            double vtb = avutil.av_q2d(vs.time_base());
            double shiftSeconds = plan.shiftDts() * vtb;
            double startSeconds = plan.startPts() * vtb;
            long audioShift = ai >= 0 ? Math.round(shiftSeconds / avutil.av_q2d(oc.streams(ai).time_base())) : 0;
            double atb = ai >= 0 ? avutil.av_q2d(oc.streams(ai).time_base()) : 0;
            long index = -1;
            long written = 0;
            long tail = 0;
            boolean audioDone = ai < 0;
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                int s = p.stream_index();
                if (s == vi) {
                    index++;
                    if (index > plan.lastPacket()) {
                        if (audioDone) {
                            break;
                        }
                        continue;
                    }
                    if (index < plan.firstPacket()) {
                        continue;
                    }
                    long pts = p.pts() != avutil.AV_NOPTS_VALUE ? p.pts() : (p.dts() != avutil.AV_NOPTS_VALUE ? p.dts()
                            : index);
                    if (pts < plan.startPts()) {
                        continue; // a leading picture of an open GOP: it needs the previous GOP
                    }
                    shift(p, plan.shiftDts());
                    r.recordPacket(p);
                    written++;
                } else if (s == ai && p.pts() != avutil.AV_NOPTS_VALUE) {
                    double t = p.pts() * atb;
                    if (t >= plan.endSeconds()) {
                        audioDone = true;
                        if (index >= plan.lastPacket()) {
                            break;
                        }
                    } else if (t >= startSeconds - 1e-9) {
                        shift(p, audioShift);
                        r.recordPacket(p);
                    }
                }
                if (index >= plan.lastPacket() && ++tail > AUDIO_TAIL_PACKETS) {
                    break;
                }
            }
            r.stop();
            return written;
        } catch (FrameRecorder.Exception | FrameGrabber.Exception e) {
            throw new IOException("cannot copy the cut: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.release();
                } catch (FrameRecorder.Exception ignored) {
                    // nothing more can be done
                }
            }
            close(g);
        }
    }

    private static void shift(AVPacket p, long by) {
        if (p.pts() != avutil.AV_NOPTS_VALUE) {
            p.pts(p.pts() - by);
        }
        if (p.dts() != avutil.AV_NOPTS_VALUE) {
            p.dts(p.dts() - by);
        }
    }

    private static FFmpegFrameGrabber open(Path file) throws IOException {
        return io.argus.media.Grabbers.open(file);
    }

    private static void close(FFmpegFrameGrabber g) {
        io.argus.media.Grabbers.close(g);
    }

    /** @return the index of the first stream of that media type, or -1 */
    private static int stream(AVFormatContext oc, int type) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == type) {
                return i;
            }
        }
        return -1;
    }

    private static String codecName(AVStream s) {
        return avcodec.avcodec_get_name(s.codecpar().codec_id()).getString();
    }
}
