package io.argus.aggregator.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KalmanBoxFilterTest {

    /** An 80 px high box moving 6 px right and 2 px down per frame, growing 0.5 px per frame. */
    private static double[] truth(int frame) {
        return new double[] {100 + 6 * frame, 200 + 2 * frame, 0.5, 80 + 0.5 * frame};
    }

    @Test
    void constantVelocityObjectIsPredictedWithinOnePixel() {
        double[][] state = KalmanBoxFilter.initiate(truth(0));
        double[] mean = state[0];
        double[] cov = state[1];
        for (int frame = 1; frame <= 30; frame++) {
            KalmanBoxFilter.predict(mean, cov, 1);
            if (frame >= 10) {
                double[] expected = truth(frame);
                assertThat(mean[0]).as("cx at frame %d", frame).isCloseTo(expected[0], within(1.0));
                assertThat(mean[1]).as("cy at frame %d", frame).isCloseTo(expected[1], within(1.0));
                assertThat(mean[3]).as("h at frame %d", frame).isCloseTo(expected[3], within(1.0));
            }
            KalmanBoxFilter.update(mean, cov, truth(frame));
        }
        assertThat(mean[4]).as("learnt vx").isCloseTo(6, within(0.05));
        assertThat(mean[5]).as("learnt vy").isCloseTo(2, within(0.05));
        // Five frames ahead without measurements.
        KalmanBoxFilter.predict(mean, cov, 5);
        assertThat(mean[0]).isCloseTo(truth(35)[0], within(1.0));
        assertThat(mean[1]).isCloseTo(truth(35)[1], within(1.0));
    }

    @Test
    void oneLongPredictionEqualsManyShortOnesInTheMean() {
        double[][] a = KalmanBoxFilter.initiate(truth(0));
        double[][] b = KalmanBoxFilter.initiate(truth(0));
        for (int frame = 1; frame <= 3; frame++) {
            KalmanBoxFilter.predict(a[0], a[1], 1);
            KalmanBoxFilter.update(a[0], a[1], truth(frame));
            KalmanBoxFilter.predict(b[0], b[1], 1);
            KalmanBoxFilter.update(b[0], b[1], truth(frame));
        }
        KalmanBoxFilter.predict(a[0], a[1], 3);
        for (int k = 0; k < 10; k++) {
            KalmanBoxFilter.predict(b[0], b[1], 0.3);
        }
        for (int i = 0; i < 8; i++) {
            assertThat(a[0][i]).isCloseTo(b[0][i], within(1e-9));
        }
        assertThat(a[1][0]).as("uncertainty grows with the elapsed time").isGreaterThan(16.0);
    }

    @Test
    void initialCovarianceFollowsTheReferenceWeights() {
        double[][] state = KalmanBoxFilter.initiate(new double[] {0, 0, 1, 100});
        double posStd = 2 * 100 / 20.0;
        double velStd = 10 * 100 / 160.0;
        assertThat(state[1][0]).isCloseTo(posStd * posStd, within(1e-9));
        assertThat(state[1][4 * 8 + 4]).isCloseTo(velStd * velStd, within(1e-9));
        assertThat(state[1][2 * 8 + 2]).isCloseTo(1e-4, within(1e-12));
        assertThat(state[0]).containsExactly(0, 0, 1, 100, 0, 0, 0, 0);
    }

    @Test
    void updatePullsTheStateTowardsTheMeasurementAndShrinksUncertainty() {
        double[][] state = KalmanBoxFilter.initiate(new double[] {50, 50, 1, 40});
        KalmanBoxFilter.predict(state[0], state[1], 1);
        double before = state[1][0];
        KalmanBoxFilter.update(state[0], state[1], new double[] {60, 50, 1, 40});
        assertThat(state[0][0]).isBetween(50.0, 60.0);
        assertThat(state[1][0]).isLessThan(before);
        assertThat(KalmanBoxFilter.box(state[0]).height()).isCloseTo(40, within(0.5));
    }

    @Test
    void boxesOfNoHeightStillGetNoiseAndCanBeCorrected() {
        // Without a floor on the noise height, a state of height 0 has zero covariance on cx, cy
        // and h and its innovation covariance is singular.
        double[][] state = KalmanBoxFilter.initiate(new double[] {100, 100, 0.5, 0});
        KalmanBoxFilter.predict(state[0], state[1], 1);
        KalmanBoxFilter.update(state[0], state[1], new double[] {104, 100, 0.5, 40});
        assertThat(state[0][3]).isPositive();
        assertThat(state[0][0]).isBetween(100.0, 104.0);

        double[][] shrinking = KalmanBoxFilter.initiate(new double[] {100, 100, 0.5, 40});
        shrinking[0][7] = -5; // shrinking 5 px per frame, predicted far ahead
        KalmanBoxFilter.predict(shrinking[0], shrinking[1], 20);
        assertThat(KalmanBoxFilter.box(shrinking[0]).height()).isZero();
        KalmanBoxFilter.update(shrinking[0], shrinking[1], new double[] {100, 100, 0.5, 40});
        assertThat(shrinking[0][3]).isCloseTo(40, within(5.0));
    }
}
