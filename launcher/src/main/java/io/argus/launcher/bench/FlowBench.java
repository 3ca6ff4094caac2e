package io.argus.launcher.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

import io.argus.extractor.flow.DisPreset;
import io.argus.extractor.flow.FlowComputer;
import io.argus.extractor.flow.FlowField;
import io.argus.extractor.flow.FlowSettings;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;

/**
 * Bare-loop optical-flow benchmark: the floor a flow worker is compared against. Over frames
 * already decoded and held in memory, each pair (frame i, frame i + 1) goes through exactly what
 * {@link FlowComputer} does natively, with its Mats reused: both frames BGR→gray, downscaling
 * ({@code INTER_AREA}) when the scale is below 1, and the flow. Not included: decoding, copying
 * the flow out to a {@link FlowField} (~1 ms at 768×576), statistics, pictures, JPEG, Kafka.
 *
 * <p>Both frames of every pair are converted, as for independent pairs (a sampled frame and the
 * next decoded one); a stream of consecutive pairs ({@link FlowComputer#next(Frame)}) converts each
 * frame once and saves one conversion (~0.2 ms at 768×576) per pair.
 *
 * <p>Single-threaded from the caller's view; OpenCV parallelises inside DIS and Farneback over
 * {@link Result#opencvThreads()} threads. DESIGN.md measured on these machines (2 cores,
 * 768×576 / 384×288) DIS ULTRAFAST 4.6 / 0.9 ms, FAST 7 / 1.7 ms, MEDIUM 37 / 8.4 ms, Farneback
 * 80 / 16 ms per pair; this class, over 40 frames of vtest.avi from 20 s, 80 pairs each:
 * ULTRAFAST 3.9–4.0 / 0.8–0.9 ms, FAST 5.7–5.8 / 1.8 ms, MEDIUM 24–27 / 6.5–9.4 ms, Farneback
 * 89–94 / 19 ms. Run it with {@code java -cp … io.argus.launcher.bench.FlowBench VIDEO}.
 */
public final class FlowBench {

    /** Untimed pairs run before each measurement. */
    public static final int WARMUP_PAIRS = 3;

    private FlowBench() {
    }

    /**
     * One measurement.
     *
     * @param settings      what was computed
     * @param sourceWidth   frame width in pixels
     * @param sourceHeight  frame height in pixels
     * @param flowWidth     computed width in pixels
     * @param flowHeight    computed height in pixels
     * @param pairs         timed pairs
     * @param totalNanos    wall time of the timed pairs, ns
     * @param opencvThreads {@code cv::getNumThreads()} during the run
     */
    public record Result(FlowSettings settings, int sourceWidth, int sourceHeight, int flowWidth, int flowHeight,
            int pairs, long totalNanos, int opencvThreads) {

        /** @return mean wall time per pair, ms */
        public double millisPerPair() {
            return pairs == 0 ? Double.NaN : totalNanos / 1e6 / pairs;
        }

        /** @return pairs per second */
        public double pairsPerSecond() {
            return pairs == 0 ? Double.NaN : pairs / (totalNanos / 1e9);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-18s %4dx%-4d %6.2f ms/pair %8.1f pairs/s (%d pairs, %d OpenCV threads)",
                    settings.label(), flowWidth, flowHeight, millisPerPair(), pairsPerSecond(), pairs, opencvThreads);
        }
    }

    /**
     * The standard comparison: DIS (ULTRAFAST, FAST, MEDIUM) and Farneback, each at full and half
     * resolution.
     *
     * @return the settings, in that order
     */
    public static List<FlowSettings> standardSettings() {
        List<FlowSettings> out = new ArrayList<>();
        for (FlowSettings s : List.of(FlowSettings.dis(DisPreset.ULTRAFAST), FlowSettings.dis(DisPreset.FAST),
                FlowSettings.dis(DisPreset.MEDIUM), FlowSettings.farneback())) {
            out.add(s);
            out.add(s.withScale(0.5));
        }
        return out;
    }

    /**
     * Measures the bare loop for one setting.
     *
     * @param frames     at least two 8-bit BGR24 frames of one size, in order (owned by the caller;
     *                   copied before timing, so grabber buffers must not change during the call)
     * @param settings   what to compute
     * @param minPairs   pairs to time at least: the frames are cycled through ((n-1) pairs per pass)
     *                   until this many have run; {@link #WARMUP_PAIRS} untimed pairs precede them
     * @return the measurement
     * @throws IllegalArgumentException with fewer than two frames or frames of different sizes
     */
    public static Result run(List<Frame> frames, FlowSettings settings, int minPairs) {
        List<Mat> mats = toMats(frames);
        try {
            return run(mats, settings, minPairs, frames.get(0).imageWidth, frames.get(0).imageHeight);
        } finally {
            mats.forEach(Mat::close);
        }
    }

    /**
     * Measures the bare loop for several settings over the same frames.
     *
     * @param frames   as {@link #run(List, FlowSettings, int)}
     * @param settings what to compute, e.g. {@link #standardSettings()}
     * @param minPairs pairs to time at least per setting
     * @return one result per setting, in order
     */
    public static List<Result> runAll(List<Frame> frames, List<FlowSettings> settings, int minPairs) {
        List<Mat> mats = toMats(frames);
        try {
            List<Result> out = new ArrayList<>();
            for (FlowSettings s : settings) {
                out.add(run(mats, s, minPairs, frames.get(0).imageWidth, frames.get(0).imageHeight));
            }
            return out;
        } finally {
            mats.forEach(Mat::close);
        }
    }

    private static Result run(List<Mat> mats, FlowSettings settings, int minPairs, int w, int h) {
        try (FlowComputer computer = new FlowComputer(settings)) {
            Mat flow = computer.computeMat(mats.get(0), mats.get(1));
            int fw = flow.cols();
            int fh = flow.rows();
            for (int i = 1; i < WARMUP_PAIRS; i++) { // DIS instance, buffers, OpenCV's thread pool, JIT
                computer.computeMat(mats.get(i % (mats.size() - 1)), mats.get(i % (mats.size() - 1) + 1));
            }
            int pairs = 0;
            long start = System.nanoTime();
            while (pairs < Math.max(1, minPairs)) {
                for (int i = 0; i + 1 < mats.size() && pairs < Math.max(1, minPairs); i++, pairs++) {
                    computer.computeMat(mats.get(i), mats.get(i + 1));
                }
            }
            long nanos = System.nanoTime() - start;
            return new Result(settings, w, h, fw, fh, pairs, nanos, opencv_core.getNumThreads());
        }
    }

    private static List<Mat> toMats(List<Frame> frames) {
        if (frames.size() < 2) {
            throw new IllegalArgumentException("need at least two frames, got " + frames.size());
        }
        Frame first = frames.get(0);
        List<Mat> mats = new ArrayList<>();
        for (Frame f : frames) {
            if (f.imageWidth != first.imageWidth || f.imageHeight != first.imageHeight) {
                mats.forEach(Mat::close);
                throw new IllegalArgumentException("frames differ in size");
            }
            if (f.imageDepth != Frame.DEPTH_UBYTE || f.imageChannels != 3 || !(f.image[0] instanceof ByteBuffer b)
                    || !b.isDirect()) {
                mats.forEach(Mat::close);
                throw new IllegalArgumentException("expected 8-bit BGR24 frames in direct buffers");
            }
            try (BytePointer data = new BytePointer(b.duplicate().position(0));
                    Mat wrapped = new Mat(f.imageHeight, f.imageWidth, CV_8UC(3), data, f.imageStride)) {
                mats.add(wrapped.clone());
            }
        }
        return mats;
    }

    /**
     * Decodes consecutive frames of a video and prints the standard comparison.
     *
     * @param args video path or URL, optional number of frames (default 40), optional start in
     *             seconds (default 0), optional minimum timed pairs per setting (default 40)
     * @throws Exception when the video cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FlowBench VIDEO [FRAMES=40] [START_S=0] [MIN_PAIRS=40]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long startMs = args.length > 2 ? Math.round(Double.parseDouble(args[2]) * 1000) : 0;
        int minPairs = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        List<Frame> frames = decode(args[0], startMs, count);
        System.out.printf(Locale.ROOT, "%d frames %dx%d from %s%n", frames.size(), frames.get(0).imageWidth,
                frames.get(0).imageHeight, args[0]);
        for (Result r : runAll(frames, standardSettings(), minPairs)) {
            System.out.println(r);
        }
    }

    /**
     * Decodes consecutive frames (every decoded frame, cloned out of the grabber's buffer).
     *
     * @param video   path or URL
     * @param startMs first frame at or after this offset, ms
     * @param count   frames wanted
     * @return up to {@code count} frames
     * @throws Exception when the video cannot be opened
     */
    public static List<Frame> decode(String video, long startMs, int count) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (FrameSampler sampler = FrameSampler.open(SourceUri.parse(video), new SamplingSpec(false, 1, startMs, -1))) {
            SampledFrame f;
            while (frames.size() < count && (f = sampler.next()) != null) {
                frames.add(f.image().clone());
            }
        }
        return frames;
    }
}
