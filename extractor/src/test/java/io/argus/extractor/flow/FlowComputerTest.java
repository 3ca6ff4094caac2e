package io.argus.extractor.flow;

import static io.argus.extractor.flow.VtestFrames.STATIC_BUILDING;
import static io.argus.extractor.flow.VtestFrames.STATIC_LAWN;
import static io.argus.extractor.flow.VtestFrames.WALKERS_RIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.argus.extractor.jpeg.JpegEncoder;

/** Flow between consecutive real frames of vtest.avi. */
class FlowComputerTest {

    static FlowField dis;
    static FlowField farneback;
    static FlowField disHalf;

    @BeforeAll
    static void computeOnce() {
        Frame a = VtestFrames.first();
        Frame b = VtestFrames.second();
        try (FlowComputer c = new FlowComputer()) {
            dis = c.compute(a, b);
        }
        try (FlowComputer c = new FlowComputer(FlowSettings.farneback())) {
            farneback = c.compute(a, b);
        }
        try (FlowComputer c = new FlowComputer(FlowSettings.dis().withScale(0.5))) {
            disHalf = c.compute(a, b);
        }
        try (JpegEncoder jpeg = new JpegEncoder()) {
            VtestFrames.write("flow-src-20s.jpg", jpeg.encode(a));
            FlowVisualizer fixed = new FlowVisualizer(4f);
            VtestFrames.write("flow-dis-fast-20s.jpg", fixed.renderJpeg(dis, jpeg));
            VtestFrames.write("flow-farneback-20s.jpg", fixed.renderJpeg(farneback, jpeg));
            VtestFrames.write("flow-dis-fast-half-20s.jpg", new FlowVisualizer(2f).renderJpeg(disHalf, jpeg));
            VtestFrames.write("flow-dis-fast-lawn-20s.jpg", fixed.renderJpeg(crop(dis, STATIC_LAWN), jpeg));
            VtestFrames.write("flow-dis-fast-building-20s.jpg", fixed.renderJpeg(crop(dis, STATIC_BUILDING), jpeg));
            VtestFrames.write("flow-dis-fast-walkers-20s.jpg", fixed.renderJpeg(crop(dis, WALKERS_RIGHT), jpeg));
        }
    }

    @AfterAll
    static void release() {
        dis = farneback = disHalf = null;
    }

    static FlowField crop(FlowField f, int[] r) {
        return f.crop(r[0], r[1], r[2], r[3]);
    }

    static FlowStats stats(FlowField f, int[] r) {
        return FlowStats.of(f, r[0], r[1], r[2], r[3]);
    }

    @Test
    void fieldHasTheFrameSizeAndScaleOne() {
        assertThat(dis.width()).isEqualTo(768);
        assertThat(dis.height()).isEqualTo(576);
        assertThat(dis.scale()).isEqualTo(1.0);
        assertThat(dis.uv()).hasSize(768 * 576 * 2);
        assertThat(farneback.width()).isEqualTo(768);
        assertThat(farneback.height()).isEqualTo(576);
    }

    @Test
    void walkingPeopleMoveTheWholeFrame() {
        for (FlowField f : List.of(dis, farneback)) {
            FlowStats s = FlowStats.of(f);
            assertThat(s.pixels()).isEqualTo(768L * 576);
            assertThat(s.movingFraction()).isGreaterThan(0.03).isLessThan(0.3);
            assertThat(s.p95Magnitude()).isGreaterThan(1.0);
            assertThat(s.meanMagnitude()).isGreaterThan(0.2);
            assertThat(s.maxMagnitude()).isGreaterThan(5.0);
            assertThat(s.hasDirection()).isTrue();
        }
    }

    @Test
    void staticCropsBarelyMove() {
        for (FlowField f : List.of(dis, farneback)) {
            for (int[] r : List.of(STATIC_LAWN, STATIC_BUILDING)) {
                FlowStats s = stats(f, r);
                assertThat(s.movingFraction()).as("moving fraction of %s", s).isLessThan(0.002);
                assertThat(s.meanMagnitude()).as("mean of %s", s).isLessThan(0.15);
                assertThat(s.p95Magnitude()).as("p95 of %s", s).isLessThan(0.5);
            }
        }
    }

    @Test
    void disAndFarnebackAgreeOnTheWalkers() {
        FlowStats d = stats(dis, WALKERS_RIGHT);
        FlowStats fb = stats(farneback, WALKERS_RIGHT);
        assertThat(d.movingFraction()).isGreaterThan(0.2);
        assertThat(fb.movingFraction()).isGreaterThan(0.2);
        assertThat(d.meanMagnitude() / fb.meanMagnitude()).isBetween(0.5, 2.0);
        assertThat(d.p95Magnitude() / fb.p95Magnitude()).isBetween(0.5, 2.0);
        assertThat(angleBetween(d.dominantDirection(), fb.dominantDirection())).isLessThan(30.0);
        // they come towards the camera, down and to the right in the picture
        assertThat(d.dominantDirection()).isBetween(0.0, 90.0);
        double wholeRatio = FlowStats.of(dis).meanMagnitude() / FlowStats.of(farneback).meanMagnitude();
        assertThat(wholeRatio).isBetween(0.5, 2.0);
    }

    static double angleBetween(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return Math.min(d, 360 - d);
    }

    @Test
    void halfResolutionGivesHalfSizedVectorsOfHalfTheSize() {
        assertThat(disHalf.width()).isEqualTo(384);
        assertThat(disHalf.height()).isEqualTo(288);
        assertThat(disHalf.scale()).isEqualTo(0.5);
        int[] r = WALKERS_RIGHT;
        FlowStats half = FlowStats.of(disHalf, r[0] / 2, r[1] / 2, r[2] / 2, r[3] / 2, 0.5);
        FlowStats full = stats(dis, r);
        // vectors are in pixels of the computed (half) resolution: about half the full-size ones
        assertThat(half.meanMagnitude() / disHalf.scale() / full.meanMagnitude()).isBetween(0.6, 1.6);
        assertThat(angleBetween(half.dominantDirection(), full.dominantDirection())).isLessThan(30.0);
        FlowStats lawn = FlowStats.of(disHalf, 0, 210, 210, 78);
        assertThat(lawn.movingFraction()).isLessThan(0.002);
    }

    @Test
    void twoResolutionsInOneComputerDoNotCrashAndGiveTheSameResults() {
        Mat a = toMat(VtestFrames.first());
        Mat b = toMat(VtestFrames.second());
        List<Mat> keep = new ArrayList<>();
        try (FlowComputer c = new FlowComputer()) {
            FlowField full = c.compute(a, b);
            assertThat(full).isEqualTo(dis);
            // more resolutions than MAX_RESOLUTIONS, so the full-size DIS instance is evicted and rebuilt
            int[][] sizes = {{384, 288}, {320, 240}, {640, 480}, {200, 150}, {384, 288}};
            for (int[] s : sizes) {
                Mat sa = scaled(a, s[0], s[1], keep);
                Mat sb = scaled(b, s[0], s[1], keep);
                FlowField f = c.compute(sa, sb);
                assertThat(f.width()).isEqualTo(s[0]);
                assertThat(f.height()).isEqualTo(s[1]);
                assertThat(FlowStats.of(f).movingFraction()).isGreaterThan(0.0);
            }
            assertThat(c.compute(a, b)).isEqualTo(dis);
            assertThat(c.compute(VtestFrames.first(), VtestFrames.second())).isEqualTo(dis);
        } finally {
            keep.forEach(Mat::close);
            keep.clear();
            a.close();
            b.close();
        }
        try (FlowComputer c = new FlowComputer(FlowSettings.farneback().withScale(0.5))) {
            FlowField half = c.compute(VtestFrames.first(), VtestFrames.second());
            assertThat(half.width()).isEqualTo(384);
            try (Mat sa = toMat(VtestFrames.first()); Mat sb = toMat(VtestFrames.second())) {
                Mat qa = scaled(sa, 320, 240, keep);
                Mat qb = scaled(sb, 320, 240, keep);
                assertThat(c.compute(qa, qb).width()).isEqualTo(160);
            }
            assertThat(c.compute(VtestFrames.first(), VtestFrames.second())).isEqualTo(half);
        } finally {
            keep.forEach(Mat::close);
        }
    }

    @Test
    void resultsDoNotDependOnEarlierPairs() {
        List<Frame> fr = VtestFrames.frames();
        try (FlowComputer c = new FlowComputer()) {
            c.compute(fr.get(2), fr.get(3));
            c.compute(fr.get(1), fr.get(2));
            assertThat(c.compute(fr.get(0), fr.get(1))).isEqualTo(dis);
        }
    }

    @Test
    void streamOfConsecutiveFramesMatchesPairs() {
        List<Frame> fr = VtestFrames.frames();
        for (FlowSettings s : List.of(FlowSettings.dis(), FlowSettings.dis().withScale(0.5))) {
            try (FlowComputer stream = new FlowComputer(s); FlowComputer pairs = new FlowComputer(s)) {
                assertThat(stream.next(fr.get(0))).isNull();
                for (int i = 1; i < fr.size(); i++) {
                    assertThat(stream.next(fr.get(i))).isEqualTo(pairs.compute(fr.get(i - 1), fr.get(i)));
                }
                stream.reset();
                assertThat(stream.next(fr.get(0))).isNull();
                assertThat(stream.next(fr.get(1))).isEqualTo(s.scale() == 1.0 ? dis : disHalf);
            }
        }
    }

    @Test
    void grayAndBgrInputsGiveTheSameFlow() {
        try (FlowComputer c = new FlowComputer(); Mat a = toMat(VtestFrames.first()); Mat b = toMat(VtestFrames.second());
                Mat ga = new Mat(); Mat gb = new Mat()) {
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(a, ga,
                    org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(b, gb,
                    org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
            assertThat(c.compute(ga, gb)).isEqualTo(dis);
            // frames backed by heap buffers are copied rather than wrapped
            assertThat(c.compute(heapCopy(VtestFrames.first()), heapCopy(VtestFrames.second()))).isEqualTo(dis);
        }
    }

    static Frame heapCopy(Frame f) {
        Frame copy = new Frame();
        copy.imageWidth = f.imageWidth;
        copy.imageHeight = f.imageHeight;
        copy.imageDepth = f.imageDepth;
        copy.imageChannels = f.imageChannels;
        copy.imageStride = f.imageStride;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        src.position(0);
        ByteBuffer heap = ByteBuffer.allocate(src.remaining());
        heap.put(src).flip();
        copy.image = new java.nio.Buffer[] {heap};
        return copy;
    }

    @Test
    void rejectsMismatchedOrUnsupportedInputsAndUseAfterClose() {
        Frame small = new Frame(320, 240, Frame.DEPTH_UBYTE, 3);
        Frame floats = new Frame(768, 576, Frame.DEPTH_FLOAT, 3);
        FlowComputer c = new FlowComputer();
        assertThatThrownBy(() -> c.compute(VtestFrames.first(), small)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.compute(floats, VtestFrames.first())).isInstanceOf(IllegalArgumentException.class);
        c.close();
        c.close();
        assertThatThrownBy(() -> c.compute(VtestFrames.first(), VtestFrames.second()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new FlowSettings(FlowAlgorithm.DIS, DisPreset.FAST, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowSettings.dis().withScale(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsDescribeWhatIsComputed() {
        FlowSettings half = FlowSettings.farneback().withScale(0.5);
        assertThat(half.scaledWidth(768)).isEqualTo(384);
        assertThat(half.scaledHeight(576)).isEqualTo(288);
        assertThat(half.scaledWidth(767)).isEqualTo(384);
        assertThat(half.label()).isEqualTo("FARNEBACK@0.5");
        assertThat(FlowSettings.DEFAULT.label()).isEqualTo("DIS-FAST@1.0");
        assertThat(dis.magnitude(700, 300)).isCloseTo(Math.hypot(dis.u(700, 300), dis.v(700, 300)), within(1e-9));
    }

    /** A deep BGR copy of a frame. */
    static Mat toMat(Frame f) {
        try (BytePointer p = new BytePointer(((ByteBuffer) f.image[0]).duplicate().position(0));
                Mat wrapped = new Mat(f.imageHeight, f.imageWidth, CV_8UC3, p, f.imageStride)) {
            return wrapped.clone();
        }
    }

    static Mat scaled(Mat m, int w, int h, List<Mat> keep) {
        Mat out = new Mat();
        try (Size s = new Size(w, h)) {
            resize(m, out, s, 0, 0, INTER_AREA);
        }
        keep.add(out);
        return out;
    }
}
