package io.argus.extractor.sampling;

import java.util.function.BooleanSupplier;

import io.argus.extractor.source.SourceException;
import io.argus.extractor.source.SourceOpener;
import io.argus.extractor.source.SourceUri;

/**
 * Sampled frames of one job's source: a file or HTTP URL ({@link FrameSampler}) or a live RTMP/RTSP
 * stream ({@link LiveSampler}). Not thread-safe: one source per job.
 */
public interface FrameSource extends AutoCloseable {

    /** @return what the decoder found when the source was opened */
    VideoInfo info();

    /**
     * Decodes up to the next sampled frame.
     *
     * @return the frame (its image valid until the next call), or null at the end of the source,
     *         of the sampled range, or when stopped
     * @throws SourceException 400 "cannot open the file" when a file ends without any decodable
     *                         frame; 499 "timeout" when a live source stays silent too long
     */
    SampledFrame next() throws SourceException;

    /** Stops decoding and releases the source. */
    @Override
    void close();

    /**
     * Opens a source: live protocols (rtmp, rtmps, rtsp) get a {@link LiveSampler}, anything else a
     * {@link FrameSampler}. Live sources support the {@code uniform} and {@code keyframe} patterns
     * without pairs only; other specs are refused before connecting.
     *
     * @param opener opens the source, with its URL guard and file roots
     * @param source the classified data.uri
     * @param spec   what to sample
     * @param live   live-source settings (ignored for files and HTTP)
     * @param stop   polled at every decoded frame of a live source and while it reconnects, and
     *               while FFmpeg waits on the network for any source; true makes {@link #next()}
     *               return null, or ends an open in progress (424)
     * @return the open source
     * @throws SourceException 424 "cannot find the video" or 400 "cannot open the file"; 400
     *                         "invalid parameters" for a live source with the {@code random} or
     *                         {@code scene} pattern or with pairs, or for {@code random} on a
     *                         source without a known duration
     */
    static FrameSource open(SourceOpener opener, SourceUri source, SamplingSpec spec, LiveOptions live,
                            BooleanSupplier stop)
            throws SourceException {
        if (source.isLive() && (spec.pairGap() > 0
                || (spec.pattern() != SamplingSpec.Pattern.UNIFORM && spec.pattern() != SamplingSpec.Pattern.KEYFRAME))) {
            throw new SourceException(SourceException.CANNOT_OPEN, "invalid parameters",
                    new IllegalArgumentException("live sources support uniform and keyframe sampling without pairs, not "
                            + spec.pattern().wireName() + (spec.pairGap() > 0 ? " with pairs" : "")));
        }
        return source.isLive() ? LiveSampler.open(opener, source, spec, live, stop)
                : FrameSampler.open(opener, source, spec, stop);
    }
}
