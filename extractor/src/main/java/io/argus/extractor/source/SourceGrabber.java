package io.argus.extractor.source;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * A JavaCV {@link FFmpegFrameGrabber} that opens without JavaCV's process-wide lock and whose
 * network I/O FFmpeg interrupts when the caller stops or a deadline passes.
 *
 * <p><b>No global lock.</b> {@code FFmpegFrameGrabber.start()} runs the whole open (connection,
 * {@code avformat_open_input}, {@code avformat_find_stream_info}, {@code avcodec_open2}) while
 * holding the monitor of {@code org.bytedeco.ffmpeg.global.avcodec}, and {@code release()} takes
 * it too (JavaCV 1.5.12, FFmpegFrameGrabber.java): one source that answers slowly held every other
 * open in the process. The lock dates from FFmpeg's {@code av_lockmgr_register}, which FFmpeg 4.0
 * deprecated and 5.0 removed because libavcodec serialises the codec inits that need it by itself;
 * the FFmpeg this build links (7.1) needs no caller lock. This class calls the
 * {@code startUnsafe}/{@code releaseUnsafe} halves, which JavaCV makes public for this purpose.
 *
 * <p><b>Interrupt callback.</b> FFmpeg calls a format context's {@code interrupt_callback} while
 * it waits on the network (every 100 ms at most, in {@code ff_network_wait_fd_timeout}) and
 * before each read; a non-zero answer makes the I/O fail with {@code AVERROR_EXIT}. JavaCV
 * allocates the context inside {@code avformat_open_input} for a URL, so a network source is given
 * to JavaCV as a placeholder {@link InputStream}: JavaCV then allocates the context first and asks
 * the stream for its name ({@code toString()}) just before {@code avformat_open_input}; the
 * placeholder uses that moment to install the callback on the context and to detach JavaCV's
 * stream I/O, so FFmpeg opens the URL itself exactly as for a URL (same protocols, seeking and
 * options). The callback answers true when:
 * <ul>
 * <li>the stop condition is true (a killed job, a shutdown): an open or a read in progress ends
 * within ~100 ms;</li>
 * <li>the open ({@link #start()}) has lasted longer than its timeout, or one
 * {@link #grabFrame(boolean, boolean, boolean, boolean, boolean)} longer than the read timeout
 * when {@code boundedReads} is set (files over HTTP; live streams wait on their publisher, whose
 * silence {@code rw_timeout} bounds).</li>
 * </ul>
 * A source that sends a byte every few seconds thus no longer keeps an open or a read going past
 * the timeout: {@code rw_timeout} only measures the gap between two bytes.
 *
 * <p>Once interrupted, the grabber's name is replaced by {@value #ABORTED_NAME} (a protocol FFmpeg
 * does not have), so that the second {@code avformat_open_input} JavaCV makes after a failed first
 * one fails at once instead of opening the slow source again, without a callback.
 *
 * <p>One FFmpeg callback serves every grabber (JavaCPP gives each callback class a small fixed
 * number of native entry points): the callback's {@code opaque} pointer names the grabber in a
 * table. Local files are opened by path with no callback. Thread-safe as JavaCV's grabber is: one
 * thread decodes; the stop condition may turn true from any thread.
 */
public final class SourceGrabber extends FFmpegFrameGrabber {

    /** What the grabber's name becomes once interrupted: FFmpeg has no such protocol. */
    static final String ABORTED_NAME = "argus-aborted:";

    private static final Map<Long, SourceGrabber> ACTIVE = new ConcurrentHashMap<>();
    private static final Field FILENAME = filenameField();
    private static final AVIOInterruptCB.Callback_Pointer CALLBACK = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            SourceGrabber g = opaque == null ? null : ACTIVE.get(opaque.address());
            return g != null && g.due() ? 1 : 0;
        }
    };

    private final String url;
    private final BooleanSupplier stop;
    private final long openTimeoutNs;
    private final long readTimeoutNs;
    private final LongPointer key;
    private volatile long deadlineNs;
    private volatile boolean armed;
    private volatile boolean interrupted;
    private volatile boolean stopped;
    private boolean released;
    private boolean installed;

    /**
     * A local file: opened by path, without a callback.
     *
     * @param path absolute path
     */
    SourceGrabber(String path) {
        super(path);
        this.url = path;
        this.stop = () -> false;
        this.openTimeoutNs = 0;
        this.readTimeoutNs = 0;
        this.key = null;
    }

    /**
     * A network source, opened with the interrupt callback described above.
     *
     * @param url           the URL FFmpeg opens
     * @param stop          polled by the callback; true interrupts the open or read in progress
     * @param openTimeoutUs longest open ({@link #start()}), in µs
     * @param readTimeoutUs longest {@code grabFrame} when {@code boundedReads}, in µs
     * @param boundedReads  true to bound each {@code grabFrame} by {@code readTimeoutUs}
     */
    SourceGrabber(String url, BooleanSupplier stop, long openTimeoutUs, long readTimeoutUs, boolean boundedReads) {
        this(new Placeholder(url), url, stop, openTimeoutUs, boundedReads ? readTimeoutUs : 0);
    }

    private SourceGrabber(Placeholder placeholder, String url, BooleanSupplier stop, long openTimeoutUs,
                          long readTimeoutUs) {
        super(placeholder, 0);
        placeholder.grabber = this;
        this.url = url;
        this.stop = stop;
        this.openTimeoutNs = openTimeoutUs * 1000;
        this.readTimeoutNs = readTimeoutUs * 1000;
        this.key = new LongPointer(1);
        ACTIVE.put(key.address(), this);
    }

    /** @return true when the callback interrupted FFmpeg at least once */
    public boolean interrupted() {
        return interrupted;
    }

    /** @return true when it was interrupted because the stop condition turned true */
    public boolean stopped() {
        return stopped;
    }

    /** Opens the source without JavaCV's global lock, bounded by the open timeout. */
    @Override
    public void start() throws Exception {
        start(true);
    }

    /** @param findStreamInfo as JavaCV's: read packets to complete the stream parameters */
    @Override
    public void start(boolean findStreamInfo) throws Exception {
        arm(openTimeoutNs);
        try {
            startUnsafe(findStreamInfo);
        } finally {
            armed = false;
        }
    }

    /** Decodes as JavaCV does, each call bounded by the read timeout when reads are bounded. */
    @Override
    public synchronized Frame grabFrame(boolean doAudio, boolean doVideo, boolean doProcessing, boolean keyFrames,
                                        boolean doData) throws Exception {
        arm(readTimeoutNs);
        try {
            return super.grabFrame(doAudio, doVideo, doProcessing, keyFrames, doData);
        } finally {
            armed = false;
        }
    }

    /** Releases the decoder and the source without JavaCV's global lock; idempotent. */
    @Override
    public void release() throws Exception {
        try {
            releaseUnsafe();
        } finally {
            synchronized (this) {
                if (!released && key != null) {
                    ACTIVE.remove(key.address());
                    key.close();
                }
                released = true;
            }
        }
    }

    private void arm(long timeoutNs) {
        deadlineNs = timeoutNs > 0 ? System.nanoTime() + timeoutNs : 0;
        armed = true;
    }

    /** The callback's question: stop now? Stopping is sticky (FFmpeg may ask again while unwinding). */
    private boolean due() {
        boolean byStop = stopped || stop.getAsBoolean();
        boolean byTime = armed && deadlineNs != 0 && System.nanoTime() - deadlineNs > 0;
        if (!byStop && !byTime && !interrupted) {
            return false;
        }
        if (!interrupted) {
            interrupted = true;
            abortRetry();
        }
        stopped |= byStop;
        return true;
    }

    /** Makes JavaCV's second open attempt fail at once (see the class comment). */
    private void abortRetry() {
        if (FILENAME != null) {
            try {
                FILENAME.set(this, ABORTED_NAME);
            } catch (IllegalAccessException e) {
                // the second attempt opens the source again; the deadline still ends it
            }
        }
    }

    /** Installs the callback on the format context JavaCV allocated, and lets FFmpeg open the URL itself. */
    private synchronized void install() {
        AVFormatContext oc = getFormatContext();
        if (installed || oc == null || oc.isNull()) {
            return; // only the first call, JavaCV's, comes before the open
        }
        installed = true;
        oc.pb(null);
        oc.interrupt_callback().callback(CALLBACK).opaque(key);
    }

    private static Field filenameField() {
        try {
            Field f = FFmpegFrameGrabber.class.getDeclaredField("filename");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "SourceGrabber[" + url + "]";
    }

    /**
     * Stands in for a stream so that JavaCV allocates the format context before opening; never
     * read: {@link #toString()} installs the callback and names the URL (see the class comment).
     */
    private static final class Placeholder extends InputStream {
        private final String url;
        private SourceGrabber grabber;

        Placeholder(String url) {
            this.url = url;
        }

        @Override
        public int read() {
            return -1;
        }

        @Override
        public boolean markSupported() {
            return true; // JavaCV would otherwise wrap the stream
        }

        @Override
        public synchronized void mark(int readlimit) {
            // nothing is read
        }

        @Override
        public synchronized void reset() {
            // nothing is read
        }

        @Override
        public String toString() {
            grabber.install();
            return url;
        }
    }
}
