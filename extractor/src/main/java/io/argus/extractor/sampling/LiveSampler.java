package io.argus.extractor.sampling;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;
import io.argus.schemas.net.Redaction;

/**
 * Samples a live RTMP/RTSP stream that runs until it is stopped, silent too long, or past the
 * sampled range (DESIGN.md "Live").
 *
 * <p><b>Reconnects.</b> When the stream ends or a read fails (publisher gone, network stall
 * longer than {@link LiveOptions#readTimeoutMs()}), the decoder is closed and the source reopened
 * with a doubling backoff ({@link LiveOptions#initialBackoffMs()} up to
 * {@link LiveOptions#maxBackoffMs()}). When no frame has been decoded for
 * {@link LiveOptions#silenceTimeoutMs()} the source fails with 499 "timeout" (or, if it never
 * connected, with the error of the last attempt: 424 "cannot find the video" or 400).
 *
 * <p><b>Offsets.</b> Stream time in ms from the job's first frame, never decreasing: within a
 * connection the offset follows the stream's pts; a new connection (whose pts restart, e.g. at 0
 * for a new publisher) continues from the last offset plus the wall-clock time the outage
 * lasted, and pts that jump back within a connection continue from the last offset. Each frame
 * also carries the wall-clock time it was decoded ({@link SampledFrame#captureTimeMs()}).
 *
 * <p><b>Sampling.</b> Mode 0 keeps one frame per interval of offset: the first frame at or after
 * each target. Without a phase the targets are {@code ss + k * interval}. With a phase
 * ({@link LiveOptions#phaseMs()}) the first frame is kept at once and the targets are the offsets
 * that fall on {@code phase} modulo the interval of the wall clock, reckoned from the first
 * frame's capture time (the stream runs in real time), so jobs given different phases sample at
 * different instants whenever they started. Mode 1 keeps keyframes (the
 * decoder skips the rest), as often as the stream's GOP gives them. {@code ss}/{@code t} apply
 * to offsets: frames before {@code ss} are dropped and the job ends at {@code ss + t}.
 *
 * <p><b>Stopping.</b> The stop condition is polled at every decoded frame and during reconnect
 * waits, so a kill is honoured within one frame interval, or within the read timeout while the
 * stream stalls. Not thread-safe.
 */
public final class LiveSampler implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSampler.class);

    private final SourceOpener opener;
    private final SourceUri source;
    private final SamplingSpec spec;
    private final LiveOptions options;
    private final BooleanSupplier stop;
    private final LongSupplier clock;
    /** Mode 0 targets; with a phase, made at the first frame. */
    private IntervalSelector intervals;
    private FFmpegFrameGrabber grabber;
    private VideoInfo info;
    private long lastFrameWallMs;
    private long base;
    private long pts0 = -1;
    private long lastPts = -1;
    private long lastOffset = -1;
    private int connections;

    private LiveSampler(SourceOpener opener, SourceUri source, SamplingSpec spec, LiveOptions options,
                        BooleanSupplier stop, LongSupplier clock) {
        this.opener = opener;
        this.source = source;
        this.spec = spec;
        this.options = options;
        this.stop = stop;
        this.clock = clock;
        this.intervals = options.phaseMs() == LiveOptions.NO_PHASE
                ? new IntervalSelector(spec.startMs(), spec.intervalMs()) : null;
        this.lastFrameWallMs = clock.getAsLong();
    }

    /**
     * Connects to a trusted live source with {@link SourceOpener#UNRESTRICTED} (tests, benchmarks);
     * see {@link #open(SourceOpener, SourceUri, SamplingSpec, LiveOptions, BooleanSupplier)}.
     *
     * @param source  an rtmp, rtmps or rtsp source
     * @param spec    what to sample
     * @param options timeouts and backoff
     * @param stop    true stops connecting (the sampler then yields no frame)
     * @return the connected sampler
     * @throws SourceException as the five-argument form
     */
    public static LiveSampler open(SourceUri source, SamplingSpec spec, LiveOptions options, BooleanSupplier stop)
            throws SourceException {
        return open(SourceOpener.UNRESTRICTED, source, spec, options, stop);
    }

    /**
     * Connects to a live source, retrying with backoff for up to the silence timeout.
     *
     * @param opener  opens the source, with its URL guard
     * @param source  an rtmp, rtmps or rtsp source
     * @param spec    what to sample
     * @param options timeouts and backoff
     * @param stop    true stops connecting (the sampler then yields no frame)
     * @return the connected sampler
     * @throws SourceException the last connection error (424 or 400) when no attempt succeeded
     *                         within the silence timeout
     */
    public static LiveSampler open(SourceOpener opener, SourceUri source, SamplingSpec spec, LiveOptions options,
                                   BooleanSupplier stop) throws SourceException {
        LiveSampler sampler = new LiveSampler(opener, source, spec, options, stop, System::currentTimeMillis);
        sampler.connect();
        return sampler;
    }

    @Override
    public VideoInfo info() {
        return info != null ? info : new VideoInfo(0, 0, 0, -1, "", -1);
    }

    /** @return connections made so far (1 without outages) */
    public int connections() {
        return connections;
    }

    @Override
    public SampledFrame next() throws SourceException {
        while (!stop.getAsBoolean()) {
            if (grabber == null && !connect()) {
                return null;
            }
            Frame frame = grab();
            long now = clock.getAsLong();
            if (frame == null) {
                LOG.info("Live source {} dropped after offset {} ms; reconnecting", Redaction.forLog(source.input()),
                        lastOffset);
                release();
                continue;
            }
            if (frame.image == null) {
                if (now - lastFrameWallMs >= options.silenceTimeoutMs()) {
                    throw SourceException.timeout();
                }
                continue;
            }
            long offset = offsetOf(frame.timestamp / 1000, now);
            if (offset < spec.startMs()) {
                continue;
            }
            if (offset >= spec.endMs()) {
                return null;
            }
            if (intervals == null) {
                // the next offset whose wall-clock time falls on the phase
                long interval = spec.intervalMs();
                intervals = new IntervalSelector(offset + Math.floorMod(options.phaseMs() - now, interval), interval);
                intervals.accept(offset);
                return new SampledFrame(offset, frame.keyFrame, frame, now);
            }
            if (spec.keyframesOnly() || intervals.accept(offset)) {
                return new SampledFrame(offset, frame.keyFrame, frame, now);
            }
        }
        return null;
    }

    private Frame grab() {
        try {
            return grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            LOG.debug("Live read failed: {}", e.getMessage());
            return null;
        }
    }

    /** Maps a decoded frame's pts (ms) to the job's offset, as the class comment describes. */
    private long offsetOf(long ptsMs, long now) {
        if (pts0 < 0) {
            base = lastOffset < 0 ? 0 : lastOffset + Math.max(1, now - lastFrameWallMs);
            pts0 = ptsMs;
        } else if (ptsMs < lastPts) {
            base = lastOffset + 1;
            pts0 = ptsMs;
        }
        lastPts = ptsMs;
        lastOffset = base + (ptsMs - pts0);
        lastFrameWallMs = now;
        return lastOffset;
    }

    /**
     * Opens the source, retrying with backoff.
     *
     * @return true when connected, false when stopped
     * @throws SourceException 499 "timeout" after a silence, or the last open error when the source
     *                         never connected
     */
    private boolean connect() throws SourceException {
        long backoff = options.initialBackoffMs();
        SourceException last = null;
        while (!stop.getAsBoolean()) {
            long silent = clock.getAsLong() - lastFrameWallMs;
            if (silent >= options.silenceTimeoutMs()) {
                if (connections > 0 || last == null) {
                    throw SourceException.timeout();
                }
                throw last;
            }
            long t0 = clock.getAsLong();
            try {
                grabber = opener.open(source, spec.keyframesOnly(), options.readTimeoutMs() * 1000, stop);
                connections++;
                pts0 = -1;
                if (info == null) {
                    info = new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(), grabber.getFrameRate(),
                            -1, String.valueOf(grabber.getVideoCodecName()), -1);
                }
                if (connections > 1) {
                    LOG.info("Live source {} reconnected (connection {}, opened in {} ms) after {} ms without frames",
                            Redaction.forLog(source.input()), connections, clock.getAsLong() - t0, silent);
                }
                return true;
            } catch (SourceException e) {
                last = e;
            }
            pause(Math.min(backoff, options.silenceTimeoutMs() - silent));
            backoff = Math.min(backoff * 2, options.maxBackoffMs());
        }
        return false;
    }

    private void pause(long ms) {
        long end = clock.getAsLong() + Math.max(0, ms);
        while (clock.getAsLong() < end && !stop.getAsBoolean()) {
            try {
                Thread.sleep(Math.min(20, Math.max(1, end - clock.getAsLong())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void release() {
        if (grabber != null) {
            SourceOpener.closeQuietly(grabber);
            grabber = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
