package io.argus.extractor.source;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.schemas.net.Redaction;
import io.argus.schemas.net.UrlGuard;

/**
 * Opens a source with FFmpeg (JavaCV {@link FFmpegFrameGrabber}) and turns open failures into
 * the API's errors.
 *
 * <p>Error mapping, from the avformat_open_input codes measured on these machines (DESIGN.md):
 * missing file (-2; also a path that cannot name a local file, see {@link SourceUri#parse}), HTTP
 * 4xx (-875574520 for 404), refused (-111) and other network failures give 424 "cannot find the
 * video"; invalid data (-1094995529, AVERROR_INVALIDDATA), no video stream, or an existing file
 * FFmpeg cannot read give 400 "cannot open the file". A network source whose open lasted the
 * whole read timeout gives 424 whatever the code (a silent RTSP server reports invalid data).
 *
 * <p>Network sources are checked first by this opener's {@link UrlGuard}: a refused source, or a
 * redirect of an http(s) source to a refused address, gives 424 "cannot find the video" without
 * FFmpeg contacting it, and FFmpeg opens the last hop of the redirects ({@link HttpSourceResolver}).
 * Local files outside this opener's {@link FileRoots} give 424 "cannot find the video" too, as a
 * missing file does, so a caller learns nothing about files it may not read.
 *
 * <p>An opener holds no mutable state: ingest builds one from its settings and passes it to the
 * samplers; {@link #UNRESTRICTED} is for trusted callers (benchmarks, tests, the CLI's own samples).
 */
public final class SourceOpener {

    /** Network read timeout of files over HTTP, passed to FFmpeg as {@code rw_timeout}, in µs. */
    public static final long READ_TIMEOUT_US = 15_000_000L;

    static {
        // FFmpeg logs each failed reconnect of a live source; our own logs say what matters.
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SourceOpener.class);

    /** An opener that checks nothing: any address ({@link UrlGuard#allowAll()}), any readable file. */
    public static final SourceOpener UNRESTRICTED = new SourceOpener(UrlGuard.allowAll(), FileRoots.any());

    private final UrlGuard urlGuard;
    private final FileRoots fileRoots;

    /**
     * @param urlGuard  which addresses network sources and their redirects may have
     * @param fileRoots the directories local files are read from ({@link FileRoots#any()}: any readable file)
     */
    public SourceOpener(UrlGuard urlGuard, FileRoots fileRoots) {
        this.urlGuard = Objects.requireNonNull(urlGuard, "urlGuard");
        this.fileRoots = Objects.requireNonNull(fileRoots, "fileRoots");
    }

    /** @return the guard network sources are checked with */
    public UrlGuard urlGuard() {
        return urlGuard;
    }

    /** @return the directories local files are read from */
    public FileRoots fileRoots() {
        return fileRoots;
    }

    /**
     * Opens and starts a grabber producing BGR24 frames.
     *
     * <p>Live sources (DESIGN.md, facts on live input) are opened for low latency: a small probe
     * ({@code probesize} 32 KiB, {@code analyzeduration} 0.5 s instead of ~5 s), {@code flags
     * low_delay} and one decoder thread (frame
     * threads add a frame of latency each); RTSP over TCP ({@code rtsp_transport tcp}) with its
     * socket timeout in {@code timeout}; RTMP with {@code rw_timeout} ({@code timeout} would make
     * an rtmp:// client listen as a server). {@code fflags nobuffer} is left out on purpose: it
     * discards the probed packets, which more than doubled the time to the first frame here
     * (0.7-0.8 s to 1.7-2.4 s against nginx-rtmp with a 1 s GOP).
     *
     * @param source        the classified source
     * @param keyframes     true to decode keyframes only ({@code skip_frame=nokey} on the decoder)
     * @param readTimeoutUs network read timeout in µs (ignored for local files)
     * @return a started grabber; the caller closes it
     * @throws SourceException 424 or 400 as described above; 424 for a source the
     *                         {@link #urlGuard()} refuses
     */
    public FFmpegFrameGrabber open(SourceUri source, boolean keyframes, long readTimeoutUs)
            throws SourceException {
        if (source.isFile() && !isRegularFile(source.input())) {
            throw SourceException.notFound(null);
        }
        if (source.isFile() && !fileRoots.allows(Path.of(source.input()))) {
            LOG.warn("Local source {} refused: outside the file roots {}", Redaction.forLog(source.input()), fileRoots);
            throw SourceException.notFound(null);
        }
        String input = source.isFile() ? source.input() : HttpSourceResolver.resolve(source.input(), urlGuard);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input);
        grabber.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
        if ("rtsp".equals(source.scheme())) {
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", Long.toString(readTimeoutUs));
        } else if (!source.isFile()) {
            grabber.setOption("rw_timeout", Long.toString(readTimeoutUs));
        }
        if (source.isLive()) {
            grabber.setOption("probesize", "32768");
            grabber.setOption("analyzeduration", "500000");
            grabber.setVideoOption("flags", "low_delay");
        }
        if (keyframes) {
            // A decoder option: setOption (demuxer) would silently ignore it (DESIGN.md).
            grabber.setVideoOption("skip_frame", "nokey");
        }
        // Files: the decoder's own threads (one per core, as the ffmpeg CLI does) for throughput.
        // Live: one thread, since frame threading adds a frame of latency per thread (DESIGN.md).
        grabber.setVideoOption("threads", source.isLive() ? "1" : "auto");
        long started = System.nanoTime();
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            boolean timedOut = (System.nanoTime() - started) / 1_000 >= readTimeoutUs;
            throw classify(source, e, timedOut);
        }
        if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
            closeQuietly(grabber);
            throw SourceException.cannotOpen(null);
        }
        return grabber;
    }

    /**
     * @param path a file source's input: absolute for every path that can name a local file
     *             ({@link SourceUri#parse} keeps the others as given)
     * @return true when it is an absolute path naming a regular file
     */
    private static boolean isRegularFile(String path) {
        try {
            Path p = Path.of(path);
            return p.isAbsolute() && Files.isRegularFile(p);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * @param source   the source that failed
     * @param e        the decoder error
     * @param timedOut true when the open lasted at least the read timeout: a network source that
     *                 never answered is not reachable (424), whatever code FFmpeg reports for it
     *                 (its RTSP demuxer reports a silent server as invalid data, -1094995529)
     * @return the API error for it
     */
    static SourceException classify(SourceUri source, Exception e, boolean timedOut) {
        String message = String.valueOf(e.getMessage());
        boolean invalidData = message.contains("-1094995529");
        if (source.isFile()) {
            return message.contains("error -2:") ? SourceException.notFound(e) : SourceException.cannotOpen(e);
        }
        return invalidData && !timedOut ? SourceException.cannotOpen(e) : SourceException.notFound(e);
    }

    /** @param grabber grabber to release; errors are ignored */
    public static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (Exception ignored) {
            // nothing more to release
        }
    }
}
