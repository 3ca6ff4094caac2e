package io.argus.extractor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The shared native magnitude/angle pass and the statistics drawn from it, against the Java
 * reference ({@link FlowStats#of(FlowField, double)}) on real flow fields of vtest.avi.
 */
class FlowPolarTest {

    /** Relative tolerance between float32 (native) and double (Java) magnitudes, and sums of them. */
    static final double REL = 1e-6;

    @Test
    void nativeStatisticsEqualTheJavaReferenceOnRealFlow() {
        for (FlowSettings s : List.of(FlowSettings.dis(), FlowSettings.dis().withScale(0.5),
                FlowSettings.farneback())) {
            try (FlowComputer c = new FlowComputer(s); FlowPolar polar = new FlowPolar()) {
                NativeFlow flow = c.computeNative(VtestFrames.first(), VtestFrames.second());
                FlowField field = flow.toField();
                polar.compute(flow);
                assertThat(polar.allKnown()).isTrue();
                assertThat(polar.width()).isEqualTo(field.width());
                assertThat(polar.scale()).isEqualTo(s.scale());
                // 1 px is the default; 0.1 is not a float, 2.5 px moves fewer pixels
                for (double threshold : new double[] {FlowStats.DEFAULT_MOVING_THRESHOLD, 0.1, 2.5}) {
                    FlowStats java = FlowStats.of(field, threshold);
                    FlowStats ours = FlowStats.of(polar, threshold);
                    String what = s.label() + " threshold " + threshold;
                    assertThat(ours.pixels()).as(what).isEqualTo(java.pixels())
                            .isEqualTo((long) field.width() * field.height());
                    assertThat(ours.meanMagnitude()).as(what).isCloseTo(java.meanMagnitude(), relative(java.meanMagnitude()));
                    assertThat(ours.p95Magnitude()).as(what).isCloseTo(java.p95Magnitude(), relative(java.p95Magnitude()));
                    assertThat(ours.maxMagnitude()).as(what).isCloseTo(java.maxMagnitude(), relative(java.maxMagnitude()));
                    assertThat(ours.movingThreshold()).isEqualTo(threshold);
                    // float32 rounding may flip a pixel lying within ~1e-7 px of the threshold; none does here
                    assertThat(ours.movingFraction()).as(what).isEqualTo(java.movingFraction());
                    assertThat(ours.movingFraction()).as(what).isBetween(0.001, 0.9);
                    assertThat(FlowComputerTest.angleBetween(ours.dominantDirection(), java.dominantDirection()))
                            .as(what).isLessThan(1e-4);
                    assertThat(ours.directionCoherence()).as(what).isCloseTo(java.directionCoherence(), within(1e-6));
                }
                assertThat(FlowStats.of(polar)).isEqualTo(FlowStats.of(polar, FlowStats.DEFAULT_MOVING_THRESHOLD));
            }
        }
    }

    static org.assertj.core.data.Offset<Double> relative(double expected) {
        return within(REL * Math.abs(expected));
    }

    @Test
    void polarOfAJavaFieldMatchesItsVectors() {
        float[] uv = {3, 4, 0, -2, -1, 0, 0, 0};
        try (FlowPolar polar = new FlowPolar()) {
            polar.compute(new FlowField(2, 2, uv, 0.5));
            assertThat(polar.allKnown()).isTrue();
            assertThat(polar.scale()).isEqualTo(0.5);
            assertThat(polar.maxMagnitude()).isCloseTo(5.0, within(1e-6));
            assertThat(polar.magnitudeSum()).isCloseTo(8.0, within(1e-5));
            assertThat(polar.magnitudes(null)).containsExactly(new float[] {5, 2, 1, 0}, within(1e-6f));
            float[] reuse = new float[10];
            assertThat(polar.magnitudes(reuse)).isSameAs(reuse);
            // angles in degrees, image coordinates: (0, -2) points up = 270°, (-1, 0) left = 180°
            float[] angles = new float[4];
            polar.angleMat().data().position(0).capacity(16).asByteBuffer()
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(angles);
            assertThat(angles[0]).isCloseTo((float) Math.toDegrees(Math.atan2(4, 3)), within(0.3f));
            assertThat(angles[1]).isCloseTo(270f, within(0.3f));
            assertThat(angles[2]).isCloseTo(180f, within(0.3f));
            assertThat(FlowStats.of(polar)).isEqualTo(FlowStats.of(polar.field()));
        }
    }

    @Test
    void unknownOrNonFiniteVectorsFallBackToTheExactJavaPath() {
        float[][] fields = {
            {5, 0, 1e10f, 0, 0.5f, 0, 2, 2},           // Middlebury "unknown"
            {5, 0, Float.NaN, 0, 0.5f, 0, 2, 2},       // NaN
            {5, 0, 0, Float.NEGATIVE_INFINITY, 0.5f, 0, 2, 2},
            {5, 0, 5e8f, 0, 0.5f, 0, 2, 2},            // known, but above KNOWN_LIMIT
        };
        for (float[] uv : fields) {
            FlowField f = FlowField.of(2, 2, uv);
            try (FlowPolar polar = new FlowPolar(); FlowVisualizer viz = new FlowVisualizer(4f)) {
                polar.compute(f);
                assertThat(polar.allKnown()).as(Arrays.toString(uv)).isFalse();
                assertThat(FlowStats.of(polar)).isEqualTo(FlowStats.of(f));
                assertThat(FlowStats.of(polar, 0.7)).isEqualTo(FlowStats.of(f, 0.7));
                assertThat(FlowVisualizerTest.rgb(viz.render(polar), 0)).containsExactly(255, 0, 0);
            }
        }
        assertThat(FlowStats.of(FlowField.of(2, 2, fields[0])).pixels()).isEqualTo(3);
    }

    @Test
    void aStaleOrClosedSourceIsRefused() {
        FlowPolar polar = new FlowPolar();
        assertThatThrownBy(polar::field).isInstanceOf(IllegalStateException.class);
        try (FlowComputer c = new FlowComputer(FlowSettings.dis(DisPreset.ULTRAFAST).withScale(0.5))) {
            NativeFlow old = c.computeNative(VtestFrames.first(), VtestFrames.second());
            polar.compute(old);
            assertThat(old.isValid()).isTrue();
            NativeFlow next = c.computeNative(VtestFrames.second(), VtestFrames.frames().get(2));
            assertThat(old.isValid()).isFalse();
            assertThat(next.isValid()).isTrue();
            assertThatThrownBy(old::toField).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> polar.compute(old)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> FloFile.buffers(old)).isInstanceOf(IllegalStateException.class);
            c.close();
            assertThat(next.isValid()).isFalse();
        }
        polar.close();
        polar.close();
        assertThatThrownBy(() -> polar.compute(FlowField.of(1, 1, new float[2])))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void percentileByHistogramIsExact() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(trial < 100 ? 50 : 20_000);
            float[] a = new float[n + 3];
            for (int i = 0; i < n; i++) {
                a[i] = switch (rnd.nextInt(6)) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    case 2 -> Float.MIN_VALUE * rnd.nextInt(100);        // subnormal
                    case 3 -> 1 + rnd.nextInt(4) * Math.ulp(1f);           // ties within one bin
                    case 4 -> (float) (rnd.nextDouble() * 1e9);
                    default -> (float) Math.abs(rnd.nextGaussian() * 3);
                };
            }
            a[n] = -1;
            a[n + 1] = Float.NaN; // beyond n: never read
            float[] before = a.clone();
            float[] sorted = Arrays.copyOf(a, n);
            Arrays.sort(sorted);
            float floor = sorted[rnd.nextInt(n)];
            int above = 0;
            for (int i = 0; i < n; i++) {
                above += a[i] > floor ? 1 : 0;
            }
            for (int k : new int[] {0, n - 1, (int) Math.ceil(0.95 * n) - 1, rnd.nextInt(n)}) {
                float got = FlowStats.kthNonNegative(a, n, k);
                // -0.0 and 0.0 are the same magnitude
                assertThat(got == sorted[k]).as("n=%d k=%d: %s vs %s", n, k, got, sorted[k]).isTrue();
                // the moving-pixel hint, right or wrong, never changes the answer
                for (int hint : new int[] {above, above - 1, above + 1, 0, n}) {
                    float hinted = FlowStats.kthNonNegative(a, n, k, floor, hint);
                    assertThat(hinted == sorted[k]).as("n=%d k=%d above=%d hint=%d", n, k, above, hint).isTrue();
                }
            }
            assertThat(a).isEqualTo(before);
        }
    }
}
