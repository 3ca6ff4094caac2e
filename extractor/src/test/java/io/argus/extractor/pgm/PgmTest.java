package io.argus.extractor.pgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import io.argus.extractor.samples.SampleVideos;
import io.argus.extractor.sampling.FrameSampler;
import io.argus.extractor.sampling.SampledFrame;
import io.argus.extractor.sampling.SamplingSpec;
import io.argus.extractor.source.SourceUri;

class PgmTest {

    @Test
    void grayOfARealFrameIsReadBackByUsAndByOpenCvAlike() throws Exception {
        byte[] pgm;
        try (FrameSampler sampler = FrameSampler.open(SourceUri.parse(SampleVideos.ensure("vtest.avi").toString()),
                SamplingSpec.every(20_000))) {
            sampler.next();
            SampledFrame frame = sampler.next(); // 20 s: people on the path
            pgm = Pgm.encodeGray(frame.image());
        }
        assertThat(new String(pgm, 0, 15, StandardCharsets.US_ASCII)).startsWith("P5\n768 576\n255\n");
        assertThat(pgm).hasSize(15 + 768 * 576);
        try (Mat ours = Pgm.decode(pgm);
             Mat theirs = opencv_imgcodecs.imdecode(new Mat(new BytePointer(pgm)), opencv_imgcodecs.IMREAD_UNCHANGED)) {
            assertThat(ours.cols()).isEqualTo(768);
            assertThat(ours.rows()).isEqualTo(576);
            assertThat(ours.type()).isEqualTo(opencv_core.CV_8UC1);
            assertThat(theirs.type()).isEqualTo(opencv_core.CV_8UC1);
            assertThat(opencv_core.countNonZero(diff(ours, theirs))).isZero();
            // a real scene: not flat
            byte[] px = new byte[768 * 576];
            ours.data().get(px);
            long distinct = new String(px, StandardCharsets.ISO_8859_1).chars().distinct().count();
            assertThat(distinct).isGreaterThan(100);
        }
    }

    @Test
    void commentsAreSkippedAndBadFilesRefused() {
        byte[] withComment = concat("P5\n# made by hand\n2 1\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {7, (byte) 200});
        try (Mat m = Pgm.decode(withComment)) {
            byte[] px = new byte[2];
            m.data().get(px);
            assertThat(px).containsExactly(7, (byte) 200);
        }
        assertThatThrownBy(() -> Pgm.decode("P6\n2 1\n255\n\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P5");
        assertThatThrownBy(() -> Pgm.decode("P5\n4 4\n255\n\0\0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Pgm.decode("P5\n2 1\n65535\n\0\0\0\0".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxval");
        assertThatThrownBy(() -> Pgm.decode("P5\n99999999999 1\n255\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pgm.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodingIntoAKeptMatReusesItsMemoryAndKeepsItOnBadInput() {
        byte[] small = concat("P5\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 2, 3, 4, 5, 6});
        byte[] other = concat("P5\n3 2\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {9, 8, 7, 6, 5, 4});
        try (Mat into = new Mat()) {
            assertThat(Pgm.decode(small, into)).isSameAs(into);
            long address = into.data().address();
            Pgm.decode(other, into);
            assertThat(into.data().address()).isEqualTo(address);
            assertThat(into.type()).isEqualTo(opencv_core.CV_8UC1);
            assertThat(into.isContinuous()).isTrue();
            byte[] px = new byte[6];
            into.data().get(px);
            assertThat(px).containsExactly(9, 8, 7, 6, 5, 4);
            assertThatThrownBy(() -> Pgm.decode(Arrays.copyOf(small, small.length - 1), into))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
            into.data().get(px);
            assertThat(px).containsExactly(9, 8, 7, 6, 5, 4);
            Pgm.decode(concat("P5\n1 1\n255\n".getBytes(StandardCharsets.US_ASCII), new byte[] {42}), into);
            assertThat(into.cols()).isEqualTo(1);
            assertThat(into.rows()).isEqualTo(1);
            assertThat(into.data().get(0)).isEqualTo((byte) 42);
        }
    }

    private static Mat diff(Mat a, Mat b) {
        Mat d = new Mat();
        opencv_core.absdiff(a, b, d);
        return d;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
