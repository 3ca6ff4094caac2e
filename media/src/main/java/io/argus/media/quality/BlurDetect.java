package io.argus.media.quality;

import java.awt.image.BufferedImage;
import java.util.Locale;

import org.bytedeco.ffmpeg.avfilter.AVFilter;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * FFmpeg's {@code blurdetect} measure of a face crop, computed by the bundled libavfilter in process.
 *
 * <p>{@link #score} builds one small filter graph per call,
 * {@code buffer (rgb24 or gray) → format=gray → blurdetect → buffersink}, pushes the crop as a single
 * frame, pulls it back and returns the value the filter wrote into the frame's metadata as
 * {@code lavfi.blur}. The filter runs with its default options (FFmpeg 7.1, libavfilter/vf_blurdetect.c:
 * low 15/255, high 30/255, radius 50, block_pct 80, one block the size of the image, plane 0 only).
 * Its algorithm: Gaussian 5×5 smoothing, Sobel gradients, non-maximum suppression and double
 * thresholding (Canny-style edges), then for each edge pixel the distance between the local
 * extrema either side of it along the gradient direction (Marziliano et al., "A no-reference
 * perceptual blur metric", ICIP 2002); the score is the mean edge width in pixels over the sharpest
 * 80&nbsp;% of blocks. Lower is sharper. On the face crops of Argus's test clips (64–92 pixels wide,
 * 480×270 video) sharp faces score 5–7.5 and a Gaussian blur of σ 1.5 pixels adds 0.6–3.
 *
 * <p>The score is an edge width in pixels, so it depends on the crop's scale: the same face upscaled
 * from 92×110 to 112×112 scores 6.0 instead of 5.7, to 320×320 9.2. Compare crops at one size (resize
 * the candidates to a common side first) or a smaller face will look sharper only for being smaller.
 * On very small crops (about 24 pixels) the measure has few edges to go on and need not rise with a
 * mild blur.
 *
 * <p>The measured plane is luma: the crop is converted to {@code gray} by FFmpeg's own scaler
 * (full range, as {@code ffmpeg -i crop.png -vf format=gray,blurdetect} does), so the value equals that
 * command's {@code lavfi.blur}. Note that {@code ffmpeg -i crop.png -vf blurdetect} without
 * {@code format=gray} measures the green plane of an RGB image (FFmpeg negotiates {@code gbrp}), which
 * differs by a few per cent.
 *
 * <p>An image without edges (flat, or edges too weak for the thresholds) has no edge width to average:
 * the filter divides 0 by 0 and writes {@code nan}; {@link #score} then returns {@link Double#NaN}.
 *
 * <p>Thread-safe: every call has its own graph and frames, all freed before it returns. Loading this
 * class lowers FFmpeg's process-wide log level to {@code AV_LOG_ERROR} when it is above (the filter logs
 * a line at INFO each time a graph is freed).
 */
public final class BlurDetect {

    /** The smallest accepted width and height, pixels (the filter's 5×5 smoothing and 3×3 Sobel need room). */
    public static final int MIN_SIDE = 8;

    /** The frame metadata key {@code blurdetect} writes (vf_blurdetect.c, {@code set_meta}). */
    public static final String METADATA_KEY = "lavfi.blur";

    static {
        if (avutil.av_log_get_level() > avutil.AV_LOG_ERROR) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        }
    }

    private BlurDetect() {
    }

    /**
     * @param crop a face crop of at least {@value #MIN_SIDE}×{@value #MIN_SIDE} pixels; RGB/BGR types
     *             (as ImageIO reads PNG and JPEG: {@code TYPE_3BYTE_BGR}, {@code TYPE_INT_RGB}, ...,
     *             alpha ignored) are read as 8-bit sRGB, {@code TYPE_BYTE_GRAY} as its 8-bit grey levels
     * @return FFmpeg {@code blurdetect}'s {@code lavfi.blur} for the crop's luma plane: the mean edge
     *         width in pixels over the sharpest blocks, lower = sharper (six decimals, as the filter
     *         prints it); {@link Double#NaN} when the crop has no edges (flat)
     * @throws IllegalArgumentException when the crop is null or smaller than {@value #MIN_SIDE} pixels
     *                                  in either dimension
     * @throws IllegalStateException    when libavfilter fails (not for any valid image)
     */
    public static double score(BufferedImage crop) {
        if (crop == null) {
            throw new IllegalArgumentException("blur score: crop is null");
        }
        int w = crop.getWidth();
        int h = crop.getHeight();
        if (w < MIN_SIDE || h < MIN_SIDE) {
            throw new IllegalArgumentException("blur score: crop is " + w + "x" + h + " pixels, needs at least "
                    + MIN_SIDE + "x" + MIN_SIDE);
        }
        boolean gray = crop.getType() == BufferedImage.TYPE_BYTE_GRAY;
        byte[] pixels = gray ? grayBytes(crop) : rgbBytes(crop);
        return parse(run(pixels, w, h, gray ? avutil.AV_PIX_FMT_GRAY8 : avutil.AV_PIX_FMT_RGB24));
    }

    /** Rows of packed R,G,B bytes, w*3 per row. */
    private static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; i < argb.length; i++) {
            int p = argb[i];
            out[o++] = (byte) (p >> 16);
            out[o++] = (byte) (p >> 8);
            out[o++] = (byte) p;
        }
        return out;
    }

    /** The raw grey levels (not getRGB, which would apply Java's linear-grey to sRGB conversion). */
    private static byte[] grayBytes(BufferedImage img) {
        return (byte[]) img.getRaster().getDataElements(0, 0, img.getWidth(), img.getHeight(), null);
    }

    /** @return the {@code lavfi.blur} string of the filtered frame */
    private static String run(byte[] pixels, int w, int h, int pixFmt) {
        try (PointerScope scope = new PointerScope()) {
            AVFilterGraph graph = avfilter.avfilter_graph_alloc();
            if (graph == null || graph.isNull()) {
                throw new IllegalStateException("blur score: cannot allocate a filter graph");
            }
            AVFrame in = null;
            AVFrame out = null;
            try {
                graph.nb_threads(1); // one crop is small; keep the caller's thread the only one
                // as the ffmpeg program describes a decoded PNG: full-range RGB (or grey)
                String args = String.format(Locale.ROOT,
                        "video_size=%dx%d:pix_fmt=%d:time_base=1/25:pixel_aspect=1/1:range=pc%s",
                        w, h, pixFmt, pixFmt == avutil.AV_PIX_FMT_RGB24 ? ":colorspace=gbr" : "");
                AVFilterContext src = create(graph, "buffer", "in", args);
                AVFilterContext format = create(graph, "format", "luma", "pix_fmts=gray");
                AVFilterContext blur = create(graph, "blurdetect", "blur", null);
                AVFilterContext sink = create(graph, "buffersink", "out", null);
                check(avfilter.avfilter_link(src, 0, format, 0), "link buffer → format");
                check(avfilter.avfilter_link(format, 0, blur, 0), "link format → blurdetect");
                check(avfilter.avfilter_link(blur, 0, sink, 0), "link blurdetect → buffersink");
                check(avfilter.avfilter_graph_config(graph, null), "configure the graph");

                in = frame(pixels, w, h, pixFmt);
                check(avfilter.av_buffersrc_add_frame_flags(src, in, 0), "push the frame");
                check(avfilter.av_buffersrc_add_frame_flags(src, null, 0), "end the stream");
                out = avutil.av_frame_alloc();
                check(avfilter.av_buffersink_get_frame(sink, out), "pull the frame");
                AVDictionaryEntry e = avutil.av_dict_get(out.metadata(), METADATA_KEY, null, 0);
                if (e == null || e.isNull()) {
                    throw new IllegalStateException("blur score: blurdetect wrote no " + METADATA_KEY);
                }
                return e.value().getString();
            } finally {
                if (in != null) {
                    avutil.av_frame_free(in);
                }
                if (out != null) {
                    avutil.av_frame_free(out);
                }
                avfilter.avfilter_graph_free(graph);
            }
        }
    }

    private static AVFilterContext create(AVFilterGraph graph, String filter, String name, String args) {
        AVFilter f = avfilter.avfilter_get_by_name(filter);
        if (f == null || f.isNull()) {
            throw new IllegalStateException("blur score: the bundled libavfilter has no " + filter + " filter");
        }
        AVFilterContext ctx = new AVFilterContext((Pointer) null); // filled in by libavfilter, nothing allocated here
        check(avfilter.avfilter_graph_create_filter(ctx, f, name, args, null, graph), "create " + filter);
        return ctx;
    }

    /** A frame owning a copy of the pixels (rows of w*bytesPerPixel bytes), described as full range. */
    private static AVFrame frame(byte[] pixels, int w, int h, int pixFmt) {
        AVFrame f = avutil.av_frame_alloc();
        if (f == null || f.isNull()) {
            throw new IllegalStateException("blur score: cannot allocate a frame");
        }
        f.width(w).height(h).format(pixFmt).pts(0);
        f.color_range(avutil.AVCOL_RANGE_JPEG);
        if (pixFmt == avutil.AV_PIX_FMT_RGB24) {
            f.colorspace(avutil.AVCOL_SPC_RGB);
        }
        int ret = avutil.av_frame_get_buffer(f, 0);
        if (ret < 0) {
            avutil.av_frame_free(f);
            check(ret, "allocate the frame buffer");
        }
        int row = pixels.length / h;
        int stride = f.linesize(0);
        BytePointer data = f.data(0);
        for (int y = 0; y < h; y++) {
            data.position((long) y * stride).put(pixels, y * row, row);
        }
        data.position(0);
        return f;
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            byte[] buf = new byte[256];
            avutil.av_strerror(ret, buf, buf.length);
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            throw new IllegalStateException("blur score: cannot " + what + ": "
                    + new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII) + " (" + ret + ")");
        }
    }

    /** @param v the filter's {@code printf("%f")} of a float: digits, or "nan"/"-nan"/"inf" */
    static double parse(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.contains("nan")) {
            return Double.NaN;
        }
        if (s.contains("inf")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }
}
