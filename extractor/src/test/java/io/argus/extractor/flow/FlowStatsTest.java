package io.argus.extractor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Summary statistics on synthetic fields with known answers. */
class FlowStatsTest {

    static FlowField uniform(int w, int h, float u, float v) {
        float[] uv = new float[w * h * 2];
        for (int i = 0; i < uv.length; i += 2) {
            uv[i] = u;
            uv[i + 1] = v;
        }
        return FlowField.of(w, h, uv);
    }

    @Test
    void uniformMotionHasItsDirectionInImageCoordinates() {
        assertThat(FlowStats.of(uniform(4, 3, 2, 0)).dominantDirection()).isEqualTo(0.0);
        assertThat(FlowStats.of(uniform(4, 3, 0, 3)).dominantDirection()).isCloseTo(90.0, within(1e-9));
        assertThat(FlowStats.of(uniform(4, 3, -2, 0)).dominantDirection()).isCloseTo(180.0, within(1e-9));
        assertThat(FlowStats.of(uniform(4, 3, -1.5f, -1.5f)).dominantDirection()).isCloseTo(225.0, within(1e-9));
        assertThat(FlowStats.of(uniform(4, 3, 0, -2)).dominantDirection()).isCloseTo(270.0, within(1e-9));
        FlowStats s = FlowStats.of(uniform(4, 3, 3, 4));
        assertThat(s.pixels()).isEqualTo(12);
        assertThat(s.meanMagnitude()).isCloseTo(5.0, within(1e-6));
        assertThat(s.p95Magnitude()).isCloseTo(5.0, within(1e-6));
        assertThat(s.maxMagnitude()).isCloseTo(5.0, within(1e-6));
        assertThat(s.movingFraction()).isEqualTo(1.0);
        assertThat(s.directionCoherence()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void nothingMovingHasNoDirection() {
        FlowStats s = FlowStats.of(uniform(5, 5, 0.5f, -0.5f));
        assertThat(s.movingFraction()).isZero();
        assertThat(s.hasDirection()).isFalse();
        assertThat(s.dominantDirection()).isNaN();
        assertThat(s.direction()).isEmpty();
        assertThat(s.directionCoherence()).isZero();
        assertThat(s.meanMagnitude()).isCloseTo(Math.sqrt(0.5), within(1e-6));
        // exactly 1 px is not "more than 1 px"
        assertThat(FlowStats.of(uniform(2, 2, 1, 0)).movingFraction()).isZero();
    }

    @Test
    void p95IsNearestRank() {
        float[] uv = new float[200];
        for (int i = 0; i < 100; i++) {
            uv[2 * i] = i + 1; // magnitudes 1..100, shuffled order does not matter
        }
        FlowStats s = FlowStats.of(FlowField.of(10, 10, uv));
        assertThat(s.p95Magnitude()).isEqualTo(95.0);
        assertThat(s.meanMagnitude()).isCloseTo(50.5, within(1e-9));
        assertThat(s.movingFraction()).isEqualTo(0.99); // all but the 1 px one
    }

    @Test
    void directionIsTheMagnitudeWeightedCircularMeanOfMovingPixels() {
        // two pixels right at 3 px, two down at 1 px, two still (ignored)
        float[] uv = {3, 0, 3, 0, 0, 1.5f, 0, 1.5f, 0.1f, -0.2f, 0, 0};
        FlowStats s = FlowStats.of(FlowField.of(3, 2, uv));
        assertThat(s.movingFraction()).isCloseTo(4 / 6.0, within(1e-12));
        assertThat(s.dominantDirection()).isCloseTo(Math.toDegrees(Math.atan2(3, 6)), within(1e-9));
        assertThat(s.directionCoherence()).isCloseTo(Math.hypot(6, 3) / 9, within(1e-9));
        // 350° and 10° average to 0°, not 180°
        double a = Math.toRadians(10);
        float c = (float) (2 * Math.cos(a));
        float sn = (float) (2 * Math.sin(a));
        FlowStats wrap = FlowStats.of(FlowField.of(2, 1, new float[] {c, sn, c, -sn}));
        assertThat(FlowComputerTest.angleBetween(wrap.dominantDirection(), 0)).isLessThan(1e-6);
        assertThat(wrap.dominantDirection()).isGreaterThanOrEqualTo(0).isLessThan(360);
        // opposite motions cancel: no direction, coherence 0
        FlowStats cancel = FlowStats.of(FlowField.of(2, 1, new float[] {2, 0, -2, 0}));
        assertThat(cancel.movingFraction()).isEqualTo(1.0);
        assertThat(cancel.hasDirection()).isFalse();
        assertThat(cancel.directionCoherence()).isZero();
    }

    @Test
    void regionsThresholdsAndUnknownVectors() {
        float[] uv = new float[4 * 2 * 2];
        uv[2 * 3] = 5; // (3, 0) moves right
        uv[2 * 7] = 1e10f; // (3, 1) unknown
        FlowField f = FlowField.of(4, 2, uv);
        FlowStats all = FlowStats.of(f);
        assertThat(all.pixels()).isEqualTo(7);
        assertThat(all.movingFraction()).isCloseTo(1 / 7.0, within(1e-12));
        assertThat(all.maxMagnitude()).isEqualTo(5.0);
        FlowStats left = FlowStats.of(f, 0, 0, 2, 2);
        assertThat(left.pixels()).isEqualTo(4);
        assertThat(left.maxMagnitude()).isZero();
        assertThat(FlowStats.of(f, 10.0).movingFraction()).isZero();
        assertThat(FlowStats.of(f, 0, 1, 4, 1).pixels()).isEqualTo(3);
        FlowStats none = FlowStats.of(FlowField.of(1, 1, new float[] {Float.NaN, 0}));
        assertThat(none.pixels()).isZero();
        assertThat(none.hasDirection()).isFalse();
        assertThatThrownBy(() -> FlowStats.of(f, 3, 0, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowStats.of(f, -1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FlowStats.directionDegrees(1, -0.0)).isEqualTo(0.0);
        assertThat(FlowStats.directionDegrees(1, -1e-300)).isGreaterThanOrEqualTo(0).isLessThan(360);
    }
}
