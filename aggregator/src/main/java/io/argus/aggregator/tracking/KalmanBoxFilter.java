package io.argus.aggregator.tracking;

/**
 * The Kalman filter of ByteTrack's {@code yolox/tracker/kalman_filter.py} (itself SORT/DeepSORT's,
 * Wojke et al. 2017): state {@code (cx, cy, a, h, vcx, vcy, va, vh)} — box centre in px, aspect
 * ratio width/height, height in px and their velocities per nominal frame — with a constant-velocity
 * motion model and a direct observation of {@code (cx, cy, a, h)}. Noise standard deviations are
 * relative to the box height as in the reference: position weight 1/20, velocity weight 1/160;
 * aspect noise fixed (1e-2 position, 1e-5 velocity, 1e-1 measurement). Unlike the reference, the
 * height the noise is relative to is at least 1 px (a prediction may shrink a box to nothing).
 *
 * <p><b>Variable time between frames.</b> The reference predicts one step per frame at a fixed
 * frame rate. Argus samples frames at an interval and may skip some, so a prediction covers
 * {@code dt = elapsed ms / nominal frame ms} steps (a real number): the transition adds
 * {@code dt * velocity}, and the process noise covariance is the reference's per-step noise times
 * {@code dt} (a random walk: variance grows linearly with time). For {@code dt = 1} this is the
 * reference's step exactly; two predictions of {@code dt1} and {@code dt2} give the same mean as
 * one of {@code dt1 + dt2}, so sparse and dense sampling see the same motion.
 *
 * <p>State is carried in plain arrays so it can be stored: the mean as {@code double[8]}, the
 * covariance as {@code double[64]} row-major. The methods update them in place. Stateless and
 * thread-safe.
 */
public final class KalmanBoxFilter {

    /** Position noise weight relative to height, from the reference ({@code _std_weight_position}). */
    public static final double STD_WEIGHT_POSITION = 1.0 / 20;
    /** Velocity noise weight relative to height, from the reference ({@code _std_weight_velocity}). */
    public static final double STD_WEIGHT_VELOCITY = 1.0 / 160;

    private static final int N = 8;

    private KalmanBoxFilter() {
    }

    /**
     * Starts a track from its first measurement (reference {@code initiate}): velocities 0, standard
     * deviations {@code 2·h/20} on positions and {@code 10·h/160} on velocities.
     *
     * @param xyah measurement {@code {cx, cy, aspect, h}}
     * @return {@code {mean[8], covariance[64]}}
     */
    public static double[][] initiate(double[] xyah) {
        double[] mean = new double[N];
        System.arraycopy(xyah, 0, mean, 0, 4);
        double h = noiseHeight(xyah[3]);
        double p = STD_WEIGHT_POSITION * h;
        double v = STD_WEIGHT_VELOCITY * h;
        double[] std = {2 * p, 2 * p, 1e-2, 2 * p, 10 * v, 10 * v, 1e-5, 10 * v};
        double[] cov = new double[N * N];
        for (int i = 0; i < N; i++) {
            cov[i * N + i] = std[i] * std[i];
        }
        return new double[][] {mean, cov};
    }

    /**
     * Predicts {@code dt} nominal frames ahead, in place (reference {@code predict}, scaled as the
     * class comment says).
     *
     * @param mean       state mean, {@code double[8]}; updated
     * @param covariance state covariance, {@code double[64]}; updated
     * @param dt         nominal frames elapsed, at least 0 (0 leaves the state as it is)
     * @throws IllegalArgumentException when dt is negative or not finite
     */
    public static void predict(double[] mean, double[] covariance, double dt) {
        if (!(dt >= 0) || Double.isInfinite(dt)) {
            throw new IllegalArgumentException("dt must be finite and >= 0: " + dt);
        }
        if (dt == 0) {
            return;
        }
        double h = noiseHeight(mean[3]);
        double p = STD_WEIGHT_POSITION * h;
        double v = STD_WEIGHT_VELOCITY * h;
        double[] std = {p, p, 1e-2, p, v, v, 1e-5, v};
        for (int i = 0; i < 4; i++) {
            mean[i] += dt * mean[i + 4];
        }
        // F P F^T with F = [[I, dt I], [0, I]]: first rows (F P), then columns ((F P) F^T).
        double[] c = covariance;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < N; j++) {
                c[i * N + j] += dt * c[(i + 4) * N + j];
            }
        }
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < N; i++) {
                c[i * N + j] += dt * c[i * N + j + 4];
            }
        }
        for (int i = 0; i < N; i++) {
            c[i * N + i] += dt * std[i] * std[i];
        }
    }

    /**
     * Corrects the state with a measurement, in place (reference {@code update}): measurement noise
     * {@code h/20} on cx, cy, h and 1e-1 on the aspect, with h the predicted height.
     *
     * @param mean       state mean, {@code double[8]}; updated
     * @param covariance state covariance, {@code double[64]}; updated
     * @param xyah       measurement {@code {cx, cy, aspect, h}}
     * @throws IllegalStateException when the innovation covariance is singular (a degenerate state)
     */
    public static void update(double[] mean, double[] covariance, double[] xyah) {
        double h = noiseHeight(mean[3]);
        double p = STD_WEIGHT_POSITION * h;
        double[] r = {p * p, p * p, 1e-1 * 1e-1, p * p};
        double[] s = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                s[i * 4 + j] = covariance[i * N + j];
            }
            s[i * 4 + i] += r[i];
        }
        double[] sInv = invert4(s);
        // K = P H^T S^-1, P H^T = the first 4 columns of P.
        double[] k = new double[N * 4];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 4; j++) {
                double sum = 0;
                for (int m = 0; m < 4; m++) {
                    sum += covariance[i * N + m] * sInv[m * 4 + j];
                }
                k[i * 4 + j] = sum;
            }
        }
        double[] innovation = new double[4];
        for (int m = 0; m < 4; m++) {
            innovation[m] = xyah[m] - mean[m];
        }
        for (int i = 0; i < N; i++) {
            double sum = 0;
            for (int m = 0; m < 4; m++) {
                sum += k[i * 4 + m] * innovation[m];
            }
            mean[i] += sum;
        }
        // P - K S K^T = P - K (P H^T)^T = P - K * (first 4 rows of P).
        double[] next = new double[N * N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double sum = 0;
                for (int m = 0; m < 4; m++) {
                    sum += k[i * 4 + m] * covariance[m * N + j];
                }
                next[i * N + j] = covariance[i * N + j] - sum;
            }
        }
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                covariance[i * N + j] = (next[i * N + j] + next[j * N + i]) / 2;
            }
        }
    }

    /**
     * @param mean state mean
     * @return the box of the state's {@code (cx, cy, a, h)}
     */
    public static Box box(double[] mean) {
        return Box.fromXyah(mean[0], mean[1], mean[2], mean[3]);
    }

    /** The height the noise is relative to: at least 1 px, so a box predicted to shrink to nothing keeps some noise. */
    private static double noiseHeight(double h) {
        return Math.max(1, h);
    }

    /** Gauss-Jordan inverse of a 4x4 matrix with partial pivoting. */
    private static double[] invert4(double[] a) {
        double[] m = a.clone();
        double[] inv = new double[16];
        for (int i = 0; i < 4; i++) {
            inv[i * 4 + i] = 1;
        }
        for (int col = 0; col < 4; col++) {
            int pivot = col;
            for (int row = col + 1; row < 4; row++) {
                if (Math.abs(m[row * 4 + col]) > Math.abs(m[pivot * 4 + col])) {
                    pivot = row;
                }
            }
            double pv = m[pivot * 4 + col];
            if (pv == 0 || !Double.isFinite(pv)) {
                throw new IllegalStateException("singular innovation covariance");
            }
            if (pivot != col) {
                swapRows(m, pivot, col);
                swapRows(inv, pivot, col);
            }
            for (int j = 0; j < 4; j++) {
                m[col * 4 + j] /= pv;
                inv[col * 4 + j] /= pv;
            }
            for (int row = 0; row < 4; row++) {
                if (row != col) {
                    double f = m[row * 4 + col];
                    if (f != 0) {
                        for (int j = 0; j < 4; j++) {
                            m[row * 4 + j] -= f * m[col * 4 + j];
                            inv[row * 4 + j] -= f * inv[col * 4 + j];
                        }
                    }
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] m, int a, int b) {
        for (int j = 0; j < 4; j++) {
            double t = m[a * 4 + j];
            m[a * 4 + j] = m[b * 4 + j];
            m[b * 4 + j] = t;
        }
    }
}
