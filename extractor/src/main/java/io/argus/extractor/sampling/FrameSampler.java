package io.argus.extractor.sampling;

import java.lang.reflect.Method;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;

/**
 * Decodes a source and yields the frames a {@link SamplingSpec} selects: every frame at or after
 * each interval target (mode 0, targets anchored at the start so they never drift), or every
 * keyframe (mode 1, with the decoder skipping non-keyframes).
 *
 * <p>Frames that are dropped are decoded but never converted to BGR: the pixel-format conversion
 * (~0.15 ms/frame at 768×576, DESIGN.md) runs only for frames we keep. JavaCV exposes the
 * conversion only inside {@code grabFrame}, before the pts is known, so it is invoked afterwards
 * through {@code FFmpegFrameGrabber.processImage()} (private upstream, see JavaCV
 * FFmpegFrameGrabber.java); when that is unavailable every frame is converted.
 *
 * <p>Decoding proceeds by decode-and-drop, which beats seeking unless the interval is much longer
 * than the GOP (DESIGN.md); a start time uses the frame-accurate {@code setVideoTimestamp}.
 * Not thread-safe: one sampler per job.
 */
public final class FrameSampler implements FrameSource {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSampler.class);
    private static final Method PROCESS_IMAGE = processImageMethod();

    private final FFmpegFrameGrabber grabber;
    private final SamplingSpec spec;
    private final VideoInfo info;
    private final IntervalSelector intervals;
    private long decoded;
    private long sampled;
    private boolean ended;

    private FrameSampler(FFmpegFrameGrabber grabber, SamplingSpec spec, VideoInfo info) {
        this.grabber = grabber;
        this.spec = spec;
        this.info = info;
        this.intervals = new IntervalSelector(spec.startMs(), spec.intervalMs());
    }

    /**
     * Opens a source for sampling.
     *
     * @param source the source
     * @param spec   what to sample
     * @return an open sampler; close it when done
     * @throws SourceException 424 "cannot find the video" or 400 "cannot open the file"
     */
    public static FrameSampler open(SourceUri source, SamplingSpec spec) throws SourceException {
        FFmpegFrameGrabber grabber = SourceOpener.open(source, spec.keyframesOnly(), SourceOpener.READ_TIMEOUT_US);
        try {
            if (spec.startMs() > 0) {
                grabber.setVideoTimestamp(spec.startMs() * 1000L);
            }
        } catch (FrameGrabber.Exception e) {
            LOG.warn("Seek to {} ms failed on {}; decoding from the start", spec.startMs(), source.input());
        }
        long durationUs = grabber.getLengthInTime();
        long durationMs = durationUs > 0 && !source.isLive() ? durationUs / 1000 : -1;
        VideoInfo info = new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(),
                grabber.getFrameRate(), durationMs, String.valueOf(grabber.getVideoCodecName()),
                expectedFrames(spec, durationMs));
        return new FrameSampler(grabber, spec, info);
    }

    /**
     * Estimated number of frames mode 0 yields for a known duration.
     *
     * @param spec       sampling spec
     * @param durationMs source duration in ms, or -1
     * @return the estimate, or -1 when unknown (mode 1 or unknown duration)
     */
    static long expectedFrames(SamplingSpec spec, long durationMs) {
        if (spec.keyframesOnly() || durationMs <= 0) {
            return -1;
        }
        long end = Math.min(durationMs, spec.endMs());
        if (end <= spec.startMs()) {
            return 0;
        }
        return (end - spec.startMs() - 1) / spec.intervalMs() + 1;
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
     * Decodes up to the next sampled frame.
     *
     * @return the frame, or null at the end of the source or of the sampled range
     * @throws SourceException 400 "cannot open the file" when the source ends without any
     *                         decodable frame
     */
    @Override
    public SampledFrame next() throws SourceException {
        while (!ended) {
            Frame frame;
            try {
                frame = grabber.grabFrame(false, true, PROCESS_IMAGE == null, false, false);
            } catch (FrameGrabber.Exception e) {
                LOG.warn("Decoding stopped after {} frames: {}", decoded, e.getMessage());
                frame = null;
            }
            if (frame == null) {
                ended = true;
                break;
            }
            if (frame.image == null) {
                continue;
            }
            decoded++;
            long ts = frame.timestamp / 1000;
            if (ts < spec.startMs()) {
                continue;
            }
            if (ts >= spec.endMs()) {
                ended = true;
                break;
            }
            if (!spec.keyframesOnly() && !intervals.accept(ts)) {
                continue;
            }
            convert();
            sampled++;
            return new SampledFrame(ts, frame.keyFrame, frame, -1);
        }
        if (decoded == 0) {
            throw SourceException.cannotOpen(null);
        }
        return null;
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

    @Override
    public void close() {
        SourceOpener.closeQuietly(grabber);
    }
}
