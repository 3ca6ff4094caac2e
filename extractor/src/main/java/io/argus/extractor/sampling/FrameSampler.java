package io.argus.extractor.sampling;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;

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
 * Decodes a file or HTTP source once, front to back, and yields the frames a
 * {@link SamplingSpec} selects. Every pattern runs on this one decoding path; the selection
 * itself is a small {@link FrameSelector} per pattern:
 * <ul>
 * <li>{@code uniform} (mode 0): the first frame at or after each interval target, targets
 * anchored at the start so they never drift ({@link IntervalSelector});</li>
 * <li>{@code keyframe} (mode 1): the frames flagged as keyframes, the decoder skipping
 * non-keyframes when no pairs are asked ({@link KeyframeSelector});</li>
 * <li>{@code random}: {@code count} seeded targets drawn from the container duration, each taking
 * the first decoded frame at or after it not already taken; fewer frames when the file ends
 * early ({@link RandomSelector});</li>
 * <li>{@code scene}: the first frame of the range and each frame whose difference from the
 * previous decoded frame exceeds {@link SamplingSpec#threshold()} ({@link SceneSelector}). The
 * difference is the mean absolute difference of the two frames' 64×36 luma thumbnails (BT.601
 * luma, cell means) divided by 255: 0 for identical frames, 1 for black against white. Default
 * threshold 0.1 ({@link SamplingSpec#DEFAULT_SCENE_THRESHOLD}, where the measured figures are).
 * Gradual transitions (fades, dissolves) are missed.</li>
 * </ul>
 *
 * <p><b>Late conversion.</b> Frames that are dropped are decoded but never converted to BGR: the
 * pixel-format conversion (~0.15 ms/frame at 768×576, DESIGN.md) runs only for frames we keep
 * (and for every frame under {@code scene}, which needs the pixels). JavaCV exposes the
 * conversion only inside {@code grabFrame}, before the pts is known, so it is invoked afterwards
 * through {@code FFmpegFrameGrabber.processImage()} (private upstream, see JavaCV
 * FFmpegFrameGrabber.java); when that is unavailable every frame is converted.
 *
 * <p><b>Pairs.</b> With {@link SamplingSpec#pairGap()} = n &gt; 0, each selected frame is copied
 * and held until the decoder reaches the n-th next decoded frame, which is copied as its
 * {@link SampledFrame.Pair}; frames decoded meanwhile still go through the pattern (a pair may
 * itself be selected), and frames come out in decoding order. Pairs may lie past the end of the
 * range; a selected frame whose pair the source never reaches comes out without one.
 *
 * <p><b>Offsets</b> are the decoder's pts in ms and never decrease: a frame whose pts goes back
 * (Megamind.avi's last frame, flushed out of the decoder with pts 0) is placed one frame period
 * (1000 / container fps, or 1 ms) after the previous frame.
 *
 * <p>Decoding proceeds by decode-and-drop, which beats seeking unless the interval is much longer
 * than the GOP (DESIGN.md); a start time uses the frame-accurate {@code setVideoTimestamp}.
 * Frame counts from the header are never trusted (tree.avi claims 444 frames and has 68): the
 * sampler decodes until the decoder runs dry. Not thread-safe: one sampler per job.
 */
public final class FrameSampler implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSampler.class);
    private static final Method PROCESS_IMAGE = processImageMethod();

    private final FFmpegFrameGrabber grabber;
    private final SamplingSpec spec;
    private final VideoInfo info;
    private final FrameSelector selector;
    private final long periodMs;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long decoded;
    private long sampled;
    private long lastOffsetMs = -1;
    private boolean rangeOver;
    private boolean ended;

    private FrameSampler(FFmpegFrameGrabber grabber, SamplingSpec spec, VideoInfo info, FrameSelector selector) {
        this.grabber = grabber;
        this.spec = spec;
        this.info = info;
        this.selector = selector;
        this.periodMs = info.fps() > 0 ? Math.max(1, Math.round(1000 / info.fps())) : 1;
    }

    /**
     * Opens a trusted source for sampling, with {@link SourceOpener#UNRESTRICTED} (benchmarks,
     * tests, the CLI's own sample videos); a client's source goes through
     * {@link #open(SourceOpener, SourceUri, SamplingSpec)}.
     *
     * @param source the source (a file or HTTP URL; live sources belong to {@link LiveSampler})
     * @param spec   what to sample
     * @return an open sampler; close it when done
     * @throws SourceException as {@link #open(SourceOpener, SourceUri, SamplingSpec)}
     */
    public static FrameSampler open(SourceUri source, SamplingSpec spec) throws SourceException {
        return open(SourceOpener.UNRESTRICTED, source, spec);
    }

    /**
     * Opens a source for sampling.
     *
     * @param opener opens the source, with its URL guard and file roots
     * @param source the source (a file or HTTP URL; live sources belong to {@link LiveSampler})
     * @param spec   what to sample
     * @return an open sampler; close it when done
     * @throws SourceException 424 "cannot find the video" or 400 "cannot open the file"; 400
     *                         "invalid parameters" for {@code random} on a source without a
     *                         duration when the spec gives none either
     */
    public static FrameSampler open(SourceOpener opener, SourceUri source, SamplingSpec spec) throws SourceException {
        boolean skipNonKey = spec.keyframesOnly() && spec.pairGap() == 0;
        FFmpegFrameGrabber grabber = opener.open(source, skipNonKey, SourceOpener.READ_TIMEOUT_US);
        try {
            if (spec.startMs() > 0) {
                grabber.setVideoTimestamp(spec.startMs() * 1000L);
            }
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Seek to {} ms failed on {}; decoding from the start", spec.startMs(), Redaction.forLog(source.input()));
        }
        long durationUs = grabber.getLengthInTime();
        long durationMs = durationUs > 0 && !source.isLive() ? durationUs / 1000 : -1;
        VideoInfo info = new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(),
                grabber.getFrameRate(), durationMs, String.valueOf(grabber.getVideoCodecName()),
                expectedFrames(spec, durationMs));
        FrameSelector selector;
        try {
            selector = FrameSelector.of(spec, durationMs, info.fps());
        } catch (IllegalArgumentException e) {
            SourceOpener.closeQuietly(grabber);
            throw new SourceException(SourceException.CANNOT_OPEN, "invalid parameters", e);
        }
        return new FrameSampler(grabber, spec, info, selector);
    }

    /**
     * Estimated number of frames a spec yields for a known duration.
     *
     * @param spec       sampling spec
     * @param durationMs source duration in ms, or -1
     * @return for {@code uniform} the number of targets in the range, for {@code random} its
     *         count (an upper bound); -1 when unknown ({@code keyframe}, {@code scene}, or an
     *         unknown duration)
     */
    static long expectedFrames(SamplingSpec spec, long durationMs) {
        if (durationMs <= 0) {
            return -1;
        }
        long end = Math.min(durationMs, spec.endMs());
        return switch (spec.pattern()) {
            case UNIFORM -> end <= spec.startMs() ? 0 : (end - spec.startMs() - 1) / spec.intervalMs() + 1;
            case RANDOM -> end <= spec.startMs() ? 0 : spec.count();
            case KEYFRAME, SCENE -> -1;
        };
    }

    @Override
    public VideoInfo info() {
        return info;
    }

    /** @return frames decoded so far, kept or dropped */
    public long decodedFrames() {
        return decoded;
    }

    /**
     * Decodes up to the next sampled frame (and, with pairs, on to its pair).
     *
     * @return the frame, or null at the end of the source or of the sampled range
     * @throws SourceException 400 "cannot open the file" when the source ends without any
     *                         decodable frame
     */
    @Override
    public SampledFrame next() throws SourceException {
        while (true) {
            Pending head = pending.peekFirst();
            if (head != null && (head.pair != null || ended)) {
                pending.pollFirst();
                sampled++;
                return new SampledFrame(head.offsetMs, head.keyframe, head.image, -1, head.pair);
            }
            if (ended) {
                break;
            }
            SampledFrame frame = step();
            if (frame != null) {
                sampled++;
                return frame;
            }
        }
        if (decoded == 0) {
            throw SourceException.cannotOpen(null);
        }
        return null;
    }

    /**
     * Decodes one frame and applies the pattern and the pairs to it.
     *
     * @return the frame when it is selected and no pair is asked, else null (the frame was
     *         dropped or queued, or the source ended: see {@link #ended})
     */
    private SampledFrame step() throws SourceException {
        // A finished selector stops decoding, but only once a frame proved the source decodable
        // (random with an empty range must not read as "cannot open the file").
        if ((rangeOver || (selector.done() && decoded > 0)) && pending.isEmpty()) {
            ended = true;
            return null;
        }
        Frame frame;
        try {
            frame = grabber.grabFrame(false, true, PROCESS_IMAGE == null, false, false);
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Decoding stopped after {} frames: {}", decoded, e.getMessage());
            frame = null;
        }
        if (frame == null) {
            ended = true;
            return null;
        }
        if (frame.image == null) {
            return null;
        }
        decoded++;
        long ts = offsetOf(frame.timestamp / 1000);
        boolean converted = false;
        boolean selected = false;
        if (ts >= spec.endMs()) {
            rangeOver = true;
        }
        if (!rangeOver && !selector.done() && ts >= spec.startMs()) {
            if (selector.needsPixels()) {
                convert();
                converted = true;
            }
            selected = selector.accept(ts, frame.keyFrame, converted ? frame : null);
        }
        Pending waiting = firstWithoutPair();
        boolean isPair = waiting != null && waiting.pairIndex == decoded;
        if (!selected && !isPair) {
            return null;
        }
        if (!converted) {
            convert();
        }
        if (isPair) {
            waiting.pair = new SampledFrame.Pair(ts, frame.keyFrame, frame.clone());
        }
        if (!selected) {
            return null;
        }
        if (spec.pairGap() == 0) {
            return new SampledFrame(ts, frame.keyFrame, frame, -1);
        }
        pending.addLast(new Pending(ts, frame.keyFrame, frame.clone(), decoded + spec.pairGap()));
        return null;
    }

    /** @return the oldest queued frame still waiting for its pair, or null */
    private Pending firstWithoutPair() {
        for (Pending p : pending) {
            if (p.pair == null) {
                return p;
            }
        }
        return null;
    }

    /** Keeps offsets non-decreasing, as the class comment describes. */
    private long offsetOf(long ptsMs) {
        long ts = lastOffsetMs >= 0 && ptsMs < lastOffsetMs ? lastOffsetMs + periodMs : ptsMs;
        lastOffsetMs = ts;
        return ts;
    }

    /** @return frames returned by {@link #next()} so far */
    public long sampledFrames() {
        return sampled;
    }

    private void convert() throws SourceException {
        if (PROCESS_IMAGE == null) {
            return;
        }
        try {
            PROCESS_IMAGE.invoke(grabber);
        } catch (ReflectiveOperationException e) {
            throw SourceException.cannotOpen(e);
        }
    }

    private static Method processImageMethod() {
        try {
            Method m = FFmpegFrameGrabber.class.getDeclaredMethod("processImage");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.info("FFmpegFrameGrabber.processImage unavailable; converting every decoded frame");
            return null;
        }
    }

    /** Stops decoding and releases the source and the copies of frames not yet returned. */
    @Override
    public void close() {
        for (Pending p : pending) {
            p.image.close();
            if (p.pair != null) {
                p.pair.image().close();
            }
        }
        pending.clear();
        SourceOpener.closeQuietly(grabber);
    }

    /** A selected frame (a private copy) waiting for its pair, the decoded frame number {@code pairIndex}. */
    private static final class Pending {
        final long offsetMs;
        final boolean keyframe;
        final Frame image;
        final long pairIndex;
        SampledFrame.Pair pair;

        Pending(long offsetMs, boolean keyframe, Frame image, long pairIndex) {
            this.offsetMs = offsetMs;
            this.keyframe = keyframe;
            this.image = image;
            this.pairIndex = pairIndex;
        }
    }
}
