package io.argus.extractor.flow;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowFarneback;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * Computes dense optical flow between two frames with OpenCV (DIS or Farneback, see
 * {@link FlowSettings}): both frames are converted to 8-bit grayscale, downscaled with
 * {@code INTER_AREA} when {@link FlowSettings#scale()} is below 1, and the flow from the first
 * to the second is returned as a {@link FlowField} of the computed resolution, in pixels of that
 * resolution per frame pair.
 *
 * <p>Input: 8-bit frames or Mats with 3 channels (BGR24, as JavaCV's grabbers and
 * {@code FrameSampler} return them), 4 channels (BGRA) or 1 channel (gray); both of the same
 * size. Frames are read in place, never kept: a grabber's shared buffer may be passed directly
 * and reused afterwards.
 *
 * <p>Reuses its Mats between calls (allocating per call is 10–40× slower, DESIGN.md). Holds one
 * {@code DISOpticalFlow} per computed resolution, never one across resolutions (reusing one
 * across a change of resolution segfaults the JVM, DESIGN.md); at most
 * {@link #MAX_RESOLUTIONS} are kept, the least recently used is released beyond that.
 *
 * <p>One exception to reuse: DIS's output Mat is released before each call. DIS takes an output
 * Mat of the right size and type as an initial flow ({@code use_input_flow} in OpenCV's
 * {@code dis_flow.cpp}), which changes the result (up to 1.9 px on vtest.avi, even when the Mat
 * is zeroed first) and was slower here (FAST 6.0 against 5.4 ms per 768×576 pair). With a fresh
 * output every result equals OpenCV's canonical one and does not depend on earlier calls.
 *
 * <p>{@code compute} copies the flow out into a {@link FlowField}; {@code computeNative} leaves it
 * in the output Mat and returns a {@link NativeFlow} view, valid until the next call or close, for
 * readers that need no Java copy ({@link FloFile#buffers}, {@link FlowPolar}).
 *
 * <p>Not thread-safe: use one instance per thread. Close it to release the native memory; a
 * closed computer throws {@link IllegalStateException}.
 */
public final class FlowComputer implements AutoCloseable {

    /** Most computed resolutions whose DIS instance and buffers are kept at once. */
    public static final int MAX_RESOLUTIONS = 4;

    private final FlowSettings settings;
    /** Per computed resolution (key: width << 32 | height), least recently used first. */
    private final LinkedHashMap<Long, Slot> slots = new LinkedHashMap<>(8, 0.75f, true);
    private final Mat grayA = new Mat();
    private final Mat grayB = new Mat();
    private final Mat smallA = new Mat();
    private final Mat smallB = new Mat();
    private final Mat heapCopy = new Mat();
    private Size scaledSize;
    private Mat streamPrev = new Mat();
    private Mat streamCur = new Mat();
    private boolean streamHasPrev;
    private boolean closed;
    private long generation;

    /** @param settings algorithm, DIS preset and scale */
    public FlowComputer(FlowSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A computer with {@link FlowSettings#DEFAULT} (DIS FAST, full resolution). */
    public FlowComputer() {
        this(FlowSettings.DEFAULT);
    }

    /** @return the settings */
    public FlowSettings settings() {
        return settings;
    }

    /**
     * Flow from {@code previous} to {@code next}.
     *
     * @param previous first frame: 8-bit, 1, 3 (BGR) or 4 (BGRA) channels
     * @param next     second frame, same size and format
     * @return the flow, {@code settings.scaledWidth(w) × settings.scaledHeight(h)}, in pixels of that
     *         resolution
     * @throws IllegalArgumentException for unsupported formats or frames of different sizes
     */
    public FlowField compute(Frame previous, Frame next) {
        return computeNative(previous, next).toField();
    }

    /**
     * Flow from {@code previous} to {@code next}, left in native memory: what
     * {@link #compute(Frame, Frame)} returns before it is copied out (~0.5 ms at 768×576).
     *
     * @param previous first frame: 8-bit, 1, 3 (BGR) or 4 (BGRA) channels
     * @param next     second frame, same size and format
     * @return a view of the flow, valid until this computer's next call or close
     * @throws IllegalArgumentException for unsupported formats or frames of different sizes
     */
    public NativeFlow computeNative(Frame previous, Frame next) {
        checkOpen();
        checkFrame(previous);
        checkFrame(next);
        if (previous.imageWidth != next.imageWidth || previous.imageHeight != next.imageHeight) {
            throw new IllegalArgumentException("frames differ in size: " + previous.imageWidth + "x"
                    + previous.imageHeight + " and " + next.imageWidth + "x" + next.imageHeight);
        }
        generation++;
        toGray(previous, grayA);
        toGray(next, grayB);
        return view(flowOfGray(grayA, grayB));
    }

    /**
     * Flow from {@code previous} to {@code next}.
     *
     * @param previous first image: CV_8UC1 (gray), CV_8UC3 (BGR) or CV_8UC4 (BGRA)
     * @param next     second image, same size and type
     * @return the flow, as {@link #compute(Frame, Frame)}
     * @throws IllegalArgumentException for unsupported types or images of different sizes
     */
    public FlowField compute(Mat previous, Mat next) {
        return computeNative(previous, next).toField();
    }

    /**
     * Flow from {@code previous} to {@code next}, left in native memory, as
     * {@link #computeNative(Frame, Frame)}.
     *
     * @param previous first image: CV_8UC1 (gray), CV_8UC3 (BGR) or CV_8UC4 (BGRA)
     * @param next     second image, same size and type
     * @return a view of the flow, valid until this computer's next call or close
     * @throws IllegalArgumentException for unsupported types or images of different sizes
     */
    public NativeFlow computeNative(Mat previous, Mat next) {
        return view(computeMat(previous, next));
    }

    /**
     * Flow of consecutive frames of one stream: the flow from the frame given to the previous call
     * to this one. Only the grayscale (downscaled) copy of the previous frame is kept, so the
     * caller need not clone grabber buffers.
     *
     * @param frame the next frame of the stream, as {@link #compute(Frame, Frame)}
     * @return the flow from the previous frame to this one, or null for the first frame, the
     *         first after {@link #reset()} and the first after a change of resolution
     * @throws IllegalArgumentException for unsupported formats
     */
    public FlowField next(Frame frame) {
        checkOpen();
        checkFrame(frame);
        Mat cur = streamCur;
        if (settings.scale() == 1.0) {
            toGray(frame, cur);
        } else {
            toGray(frame, grayA);
            resize(grayA, cur, scaledSize(grayA.cols(), grayA.rows()), 0, 0, INTER_AREA);
        }
        generation++;
        FlowField field = null;
        if (streamHasPrev && streamPrev.cols() == cur.cols() && streamPrev.rows() == cur.rows()) {
            field = view(flowAtComputedSize(streamPrev, cur)).toField();
        }
        streamCur = streamPrev;
        streamPrev = cur;
        streamHasPrev = true;
        return field;
    }

    /** Forgets the previous frame of {@link #next(Frame)}. */
    public void reset() {
        streamHasPrev = false;
    }

    /**
     * The bare loop: grayscale conversion, downscaling and flow, without copying the result out
     * (what the flow benchmarks time).
     *
     * @param previous first image: CV_8UC1 (gray), CV_8UC3 (BGR) or CV_8UC4 (BGRA)
     * @param next     second image, same size and type
     * @return the internal CV_32FC2 flow Mat of the computed resolution (u, v in pixels per frame
     *         pair), owned by this computer and valid until its next call or close
     * @throws IllegalArgumentException for unsupported types or images of different sizes
     */
    public Mat computeMat(Mat previous, Mat next) {
        checkOpen();
        checkMat(previous);
        checkMat(next);
        if (previous.cols() != next.cols() || previous.rows() != next.rows()) {
            throw new IllegalArgumentException("images differ in size: " + previous.cols() + "x"
                    + previous.rows() + " and " + next.cols() + "x" + next.rows());
        }
        generation++;
        return flowOfGray(grayInput(previous, grayA), grayInput(next, grayB));
    }

    /** @return the gray image itself when it can be used as it is, else {@code dst} after conversion */
    private static Mat grayInput(Mat src, Mat dst) {
        if (src.channels() == 1) {
            if (src.isContinuous()) {
                return src;
            }
            src.copyTo(dst);
            return dst;
        }
        cvtColor(src, dst, src.channels() == 4 ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY);
        return dst;
    }

    private Mat flowOfGray(Mat a, Mat b) {
        if (settings.scale() == 1.0) {
            return flowAtComputedSize(a, b);
        }
        Size size = scaledSize(a.cols(), a.rows());
        resize(a, smallA, size, 0, 0, INTER_AREA);
        resize(b, smallB, size, 0, 0, INTER_AREA);
        return flowAtComputedSize(smallA, smallB);
    }

    private Size scaledSize(int w, int h) {
        int sw = settings.scaledWidth(w);
        int sh = settings.scaledHeight(h);
        if (scaledSize == null || scaledSize.width() != sw || scaledSize.height() != sh) {
            if (scaledSize != null) {
                scaledSize.close();
            }
            scaledSize = new Size(sw, sh);
        }
        return scaledSize;
    }

    private Mat flowAtComputedSize(Mat a, Mat b) {
        return slot(a.cols(), a.rows()).run(a, b);
    }

    private Slot slot(int w, int h) {
        long key = ((long) w << 32) | h;
        Slot s = slots.get(key);
        if (s == null) {
            if (slots.size() >= MAX_RESOLUTIONS) {
                Iterator<Map.Entry<Long, Slot>> eldest = slots.entrySet().iterator();
                eldest.next().getValue().close();
                eldest.remove();
            }
            s = new Slot(settings, w, h);
            slots.put(key, s);
        }
        return s;
    }

    private NativeFlow view(Mat flow) {
        return new NativeFlow(this, generation, flow, settings.scale());
    }

    /** @return a counter that changes whenever the output Mats may change: each computation and close */
    long generation() {
        return generation;
    }

    /** Converts an 8-bit frame to gray into {@code dst}, reading the frame's buffer in place. */
    private void toGray(Frame frame, Mat dst) {
        Buffer buffer = frame.image[0];
        int type = CV_8UC(frame.imageChannels);
        if (buffer instanceof ByteBuffer bytes && bytes.isDirect()) {
            try (BytePointer data = new BytePointer(bytes.duplicate().position(0));
                    Mat wrapped = new Mat(frame.imageHeight, frame.imageWidth, type, data, frame.imageStride)) {
                convertToGray(wrapped, frame.imageChannels, dst);
            }
        } else {
            ByteBuffer bytes = (ByteBuffer) buffer;
            heapCopy.create(frame.imageHeight, frame.imageWidth, type);
            int rowBytes = frame.imageWidth * frame.imageChannels;
            byte[] row = new byte[rowBytes];
            BytePointer data = heapCopy.data();
            long step = heapCopy.step();
            for (int y = 0; y < frame.imageHeight; y++) {
                bytes.get(y * frame.imageStride, row);
                data.position(y * step).put(row);
            }
            convertToGray(heapCopy, frame.imageChannels, dst);
        }
    }

    private static void convertToGray(Mat src, int channels, Mat dst) {
        switch (channels) {
            case 1 -> src.copyTo(dst);
            case 3 -> cvtColor(src, dst, COLOR_BGR2GRAY);
            default -> cvtColor(src, dst, COLOR_BGRA2GRAY);
        }
    }

    private static void checkFrame(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.image == null || frame.image.length == 0 || !(frame.image[0] instanceof ByteBuffer)
                || frame.imageDepth != Frame.DEPTH_UBYTE
                || (frame.imageChannels != 1 && frame.imageChannels != 3 && frame.imageChannels != 4)) {
            throw new IllegalArgumentException("expected an 8-bit image with 1, 3 or 4 channels, got "
                    + frame.imageChannels + " channels of depth " + frame.imageDepth);
        }
    }

    private static void checkMat(Mat mat) {
        Objects.requireNonNull(mat, "mat");
        int c = mat.channels();
        if (mat.empty() || mat.depth() != CV_8U || (c != 1 && c != 3 && c != 4)) {
            throw new IllegalArgumentException("expected a non-empty 8-bit Mat with 1, 3 or 4 channels, got type "
                    + mat.type());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("FlowComputer is closed");
        }
    }

    /** Releases the DIS instances and Mats. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        generation++;
        for (Slot s : slots.values()) {
            s.close();
        }
        slots.clear();
        for (Mat m : new Mat[] {grayA, grayB, smallA, smallB, heapCopy, streamPrev, streamCur}) {
            m.close();
        }
        if (scaledSize != null) {
            scaledSize.close();
        }
    }

    /** Algorithm state and output buffer for one computed resolution. */
    private static final class Slot implements AutoCloseable {
        private final FlowSettings settings;
        private final DISOpticalFlow dis;
        private final Mat flow = new Mat();

        Slot(FlowSettings settings, int w, int h) {
            this.settings = settings;
            this.dis = settings.algorithm() == FlowAlgorithm.DIS
                    ? DISOpticalFlow.create(settings.disPreset().opencvPreset()) : null;
            if (dis == null) {
                flow.create(h, w, CV_32FC2);
            }
        }

        Mat run(Mat a, Mat b) {
            if (dis != null) {
                flow.release(); // see the class comment: a reused output would be an initial flow
                dis.calc(a, b, flow);
            } else {
                calcOpticalFlowFarneback(a, b, flow, FlowAlgorithm.FARNEBACK_PYR_SCALE,
                        FlowAlgorithm.FARNEBACK_LEVELS, FlowAlgorithm.FARNEBACK_WINSIZE,
                        FlowAlgorithm.FARNEBACK_ITERATIONS, FlowAlgorithm.FARNEBACK_POLY_N,
                        FlowAlgorithm.FARNEBACK_POLY_SIGMA, FlowAlgorithm.FARNEBACK_FLAGS);
            }
            return flow;
        }

        @Override
        public void close() {
            if (dis != null) {
                dis.close();
            }
            flow.close();
        }
    }
}
