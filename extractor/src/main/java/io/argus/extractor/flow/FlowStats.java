package io.argus.extractor.flow;

import java.util.OptionalDouble;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Summary of a {@link FlowField} or of a rectangle of it. Magnitudes are in pixels per frame pair
 * of the field's resolution (divide by {@link FlowField#scale()} for source pixels; at scale 0.5
 * the 1 px moving threshold is 2 source pixels). Vectors that are unknown by the Middlebury
 * convention or not finite ({@link FloFile#isUnknown(float, float)}) are left out of everything.
 *
 * <p>Two ways to the same numbers: from a {@link FlowField} in Java (magnitudes in double
 * precision, then rounded to float32 for the percentile), or from a {@link FlowPolar}, whose
 * float32 magnitudes come from one native pass shared with the picture (then ~0.9 ms at
 * 768×576, against ~1.8 ms for the Java path). Between the two, magnitudes differ by float32 rounding
 * (relative 2^-23 or so), which moves sums and means by as much and can flip the moving test of a
 * pixel whose magnitude lies within that of the threshold; the percentile is exact in both.
 *
 * @param pixels             pixels summarised (known vectors in the region)
 * @param meanMagnitude      mean of {@code sqrt(u² + v²)} over those pixels, px; 0 when there are none
 * @param p95Magnitude       95th percentile of the magnitude, nearest-rank (the smallest value with
 *                           at least 95 % of the pixels at or below it), px; 0 when there are none
 * @param maxMagnitude       largest magnitude, px; 0 when there are none
 * @param movingThreshold    magnitude a pixel must exceed to count as moving, px (default
 *                           {@link #DEFAULT_MOVING_THRESHOLD} = 1)
 * @param movingFraction     fraction of the pixels whose magnitude is greater than
 *                           {@code movingThreshold}, in [0, 1]
 * @param dominantDirection  magnitude-weighted circular mean of the directions of the moving pixels,
 *                           degrees in [0, 360) in image coordinates: 0 = +x (right), 90 = +y (down),
 *                           180 = left, 270 = up. With weights m_i and angles θ_i it is
 *                           {@code atan2(Σ m_i sin θ_i, Σ m_i cos θ_i) = atan2(Σ v_i, Σ u_i)}, the
 *                           direction of the sum of the moving vectors. NaN when nothing moves or the
 *                           moving vectors cancel out exactly.
 * @param directionCoherence length of that weighted sum divided by the sum of the weights,
 *                           {@code |Σ (u_i, v_i)| / Σ m_i} over the moving pixels, in [0, 1]: 1 when all
 *                           moving pixels go the same way, near 0 when directions cancel (people
 *                           walking both ways); 0 when nothing moves
 */
public record FlowStats(long pixels, double meanMagnitude, double p95Magnitude, double maxMagnitude,
        double movingThreshold, double movingFraction, double dominantDirection, double directionCoherence) {

    /** Default moving threshold: 1 pixel per frame pair. */
    public static final double DEFAULT_MOVING_THRESHOLD = 1.0;

    /**
     * @param field the flow
     * @return statistics of the whole field with the 1 px moving threshold
     */
    public static FlowStats of(FlowField field) {
        return of(field, 0, 0, field.width(), field.height(), DEFAULT_MOVING_THRESHOLD);
    }

    /**
     * @param field           the flow
     * @param movingThreshold magnitude in px a pixel must exceed to count as moving, &gt;= 0
     * @return statistics of the whole field
     */
    public static FlowStats of(FlowField field, double movingThreshold) {
        return of(field, 0, 0, field.width(), field.height(), movingThreshold);
    }

    /**
     * Statistics of a rectangle, in the field's pixel coordinates, with the 1 px moving threshold.
     *
     * @param field the flow
     * @param x0    left column
     * @param y0    top row
     * @param w     width in pixels
     * @param h     height in pixels
     * @return statistics of that region
     * @throws IllegalArgumentException when the rectangle is empty or leaves the field
     */
    public static FlowStats of(FlowField field, int x0, int y0, int w, int h) {
        return of(field, x0, y0, w, h, DEFAULT_MOVING_THRESHOLD);
    }

    /**
     * Statistics of a rectangle, in the field's pixel coordinates.
     *
     * @param field           the flow
     * @param x0              left column
     * @param y0              top row
     * @param w               width in pixels
     * @param h               height in pixels
     * @param movingThreshold magnitude in px a pixel must exceed to count as moving, &gt;= 0
     * @return statistics of that region
     * @throws IllegalArgumentException when the rectangle is empty or leaves the field, or for a
     *                                  negative threshold
     */
    public static FlowStats of(FlowField field, int x0, int y0, int w, int h, double movingThreshold) {
        field.checkRegion(x0, y0, w, h);
        checkThreshold(movingThreshold);
        float[] uv = field.uv();
        int width = field.width();
        float[] mags = new float[w * h];
        int n = 0;
        float max = 0;
        int moving = 0;
        double sum = 0;
        double sumU = 0;
        double sumV = 0;
        double sumMoving = 0;
        for (int y = y0; y < y0 + h; y++) {
            int i = 2 * (y * width + x0);
            for (int x = 0; x < w; x++, i += 2) {
                float u = uv[i];
                float v = uv[i + 1];
                if (FloFile.isUnknown(u, v)) {
                    continue;
                }
                double m = Math.sqrt((double) u * u + (double) v * v);
                mags[n++] = (float) m;
                max = Math.max(max, (float) m);
                sum += m;
                if (m > movingThreshold) {
                    moving++;
                    sumU += u;
                    sumV += v;
                    sumMoving += m;
                }
            }
        }
        return summary(n, sum, mags, max, movingThreshold, moving, sumU, sumV, sumMoving, floatFloor(movingThreshold),
                moving);
    }

    /**
     * Statistics of a whole field from its shared magnitude pass, with the 1 px moving threshold.
     *
     * @param polar magnitudes and directions of the field, see {@link #of(FlowPolar, double)}
     * @return statistics of the whole field
     */
    public static FlowStats of(FlowPolar polar) {
        return of(polar, DEFAULT_MOVING_THRESHOLD);
    }

    /**
     * Statistics of a whole field from its shared magnitude pass ({@link FlowPolar}), natively:
     * the moving pixels as a 0/1 float mask ({@code threshold THRESH_BINARY}, strictly above the
     * threshold), their count ({@code countNonZero}) and the sums of u, v and magnitude over them
     * (dot products with the mask); mean and maximum from the pass itself; the percentile exactly,
     * from the magnitudes copied out ({@link #kthNonNegative}). When the pass could not rule out
     * unknown or non-finite vectors ({@link FlowPolar#allKnown()} false), this is
     * {@code of(polar.field(), movingThreshold)}.
     *
     * <p>Matches {@link #of(FlowField, double)} on the same field within float32 rounding of the
     * magnitudes (see the class comment). Over the 80 pairs of vtest.avi taken every 1 s (DIS FAST
     * at full and half resolution, Farneback; thresholds 0.1, 1 and 2.5 px) the mean agreed within
     * 1e-9 relative, p95 and maximum within one float32 step (1.2e-7 relative), the moving
     * fraction exactly, the direction within 3e-5° and the coherence within 2e-7.
     *
     * @param polar           magnitudes and directions of the field, computed
     * @param movingThreshold magnitude in px a pixel must exceed to count as moving, &gt;= 0
     * @return statistics of the whole field
     * @throws IllegalArgumentException for a negative threshold
     */
    public static FlowStats of(FlowPolar polar, double movingThreshold) {
        checkThreshold(movingThreshold);
        if (!polar.allKnown()) {
            return of(polar.field(), movingThreshold);
        }
        int n = polar.width() * polar.height();
        Mat mask = polar.scratch();
        float t = floatFloor(movingThreshold);
        opencv_imgproc.threshold(polar.magnitudeMat(), mask, t, 1.0, opencv_imgproc.THRESH_BINARY);
        int moving = opencv_core.countNonZero(mask);
        double sumU = 0;
        double sumV = 0;
        double sumMoving = 0;
        if (moving > 0) {
            sumU = polar.u().dot(mask);
            sumV = polar.v().dot(mask);
            sumMoving = polar.magnitudeMat().dot(mask);
        }
        float floor = t;
        int above = moving;
        if (above < n - p95Rank(n) && t > 0) {
            // p95 is at or below the threshold (under 5 % move: half the pairs of vtest.avi); count
            // above a quarter of it, so that the percentile still searches only a few percent of the values
            floor = t / 4;
            opencv_imgproc.threshold(polar.magnitudeMat(), mask, floor, 1.0, opencv_imgproc.THRESH_BINARY);
            above = opencv_core.countNonZero(mask);
        }
        return summary(n, polar.magnitudeSum(), polar.magnitudeArray(), polar.maxMagnitude(), movingThreshold,
                moving, sumU, sumV, sumMoving, floor, above);
    }

    /**
     * Both paths end here: {@code mags[0..n)} are the n magnitudes summarised, in px, and about
     * {@code above} of them are greater than {@code floor} (a hint for the percentile, checked).
     */
    private static FlowStats summary(int n, double sum, float[] mags, double max, double movingThreshold,
            int moving, double sumU, double sumV, double sumMoving, float floor, int above) {
        if (n == 0) {
            return new FlowStats(0, 0, 0, 0, movingThreshold, 0, Double.NaN, 0);
        }
        double p95 = kthNonNegative(mags, n, p95Rank(n), floor, above);
        double resultant = Math.hypot(sumU, sumV);
        double direction = moving == 0 || resultant == 0 ? Double.NaN : directionDegrees(sumU, sumV);
        double coherence = moving == 0 ? 0 : Math.min(1.0, resultant / sumMoving);
        return new FlowStats(n, sum / n, p95, max, movingThreshold, (double) moving / n, direction, coherence);
    }

    /** @return the 0-based rank of the nearest-rank 95th percentile of n values: ceil(0.95 n) - 1 */
    private static int p95Rank(int n) {
        return (int) Math.ceil(0.95 * n) - 1;
    }

    /**
     * @return the largest float not above {@code t}: for a float m, {@code m > t} exactly when
     *         {@code m > floatFloor(t)}
     */
    private static float floatFloor(double t) {
        float f = (float) t;
        return f > t ? Math.nextDown(f) : f;
    }

    private static void checkThreshold(double movingThreshold) {
        if (!(movingThreshold >= 0)) {
            throw new IllegalArgumentException("movingThreshold must be >= 0, got " + movingThreshold);
        }
    }

    /**
     * {@link #kthNonNegative(float[], int, int)} with a hint: when the values above {@code floor}
     * ({@code above} of them, the moving pixels) include rank k, only they are gathered (one
     * comparison per value) and searched, which saves about half of the work on a field where more
     * than 5 % of the pixels move.
     *
     * @param a     values, finite and &gt;= 0
     * @param n     how many of {@code a} to use, &gt; 0
     * @param k     rank, 0 ≤ k &lt; n
     * @param floor a value
     * @param above how many of {@code a[0..n)} are greater than {@code floor}
     * @return the value of rank k
     */
    static float kthNonNegative(float[] a, int n, int k, float floor, int above) {
        int atOrBelow = n - above;
        if (k < atOrBelow || above <= 0) {
            return kthNonNegative(a, n, k);
        }
        float[] upper = new float[above];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] > floor) {
                if (m == above) { // the count was not of these values: do without the hint
                    return kthNonNegative(a, n, k);
                }
                upper[m++] = a[i];
            }
        }
        // every gathered value is above every other, so rank k overall is rank k - atOrBelow here
        return m == above ? kthNonNegative(upper, m, k - atOrBelow) : kthNonNegative(a, n, k);
    }

    /** Histogram bins of {@link #kthNonNegative}: float bit patterns shifted right by 16. */
    private static final int BIN_SHIFT = 16;
    private static final int BINS = 1 << (31 - BIN_SHIFT);

    /**
     * The k-th smallest (0-based) of {@code a[0..n)}, exactly, for values that are finite and
     * non-negative (magnitudes). O(n) in two passes: a histogram over the top 15 bits of the
     * IEEE-754 pattern, which for non-negative floats orders as the values (bins 2^-7 of a value
     * wide, 8 exponent and 7 mantissa bits), finds the bin holding rank k; the values of that bin
     * are then gathered and Hoare's selection ({@link #kth}) picks the one. About 0.6 ms for the
     * 442k magnitudes of a 768×576 field, where selection over all of them took ~1.8 ms (and a sort
     * ~35 ms). Leaves {@code a} as it is.
     *
     * @param a values, finite and &gt;= 0 (-0.0 counts as 0)
     * @param n how many of {@code a} to use, &gt; 0
     * @param k rank, 0 ≤ k &lt; n
     * @return the value of rank k
     */
    static float kthNonNegative(float[] a, int n, int k) {
        int[] hist = new int[BINS];
        for (int i = 0; i < n; i++) {
            hist[(Float.floatToRawIntBits(a[i]) >>> BIN_SHIFT) & (BINS - 1)]++;
        }
        int bin = 0;
        int below = 0;
        while (below + hist[bin] <= k) {
            below += hist[bin++];
        }
        float[] inBin = new float[hist[bin]];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (((Float.floatToRawIntBits(a[i]) >>> BIN_SHIFT) & (BINS - 1)) == bin) {
                inBin[m++] = a[i];
            }
        }
        return kth(inBin, m, k - below);
    }

    /**
     * The k-th smallest of {@code a[0..n)} (0-based), by Hoare's selection with a middle pivot
     * (C. A. R. Hoare, "Algorithm 65: Find", CACM 1961); reorders the array.
     */
    static float kth(float[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    /** @return {@link #dominantDirection()} in degrees, or empty when nothing moves */
    public OptionalDouble direction() {
        return Double.isNaN(dominantDirection) ? OptionalDouble.empty() : OptionalDouble.of(dominantDirection);
    }

    /** @return true when some pixel moves and {@link #dominantDirection()} is defined */
    public boolean hasDirection() {
        return !Double.isNaN(dominantDirection);
    }

    /**
     * Direction of a vector in image coordinates.
     *
     * @param u x component (right positive)
     * @param v y component (down positive)
     * @return {@code atan2(v, u)} in degrees, in [0, 360): 0 right, 90 down, 180 left, 270 up
     */
    public static double directionDegrees(double u, double v) {
        double deg = Math.toDegrees(Math.atan2(v, u));
        if (deg < 0) {
            deg += 360;
        }
        return deg >= 360 || deg == 0 ? 0.0 : deg; // also turns -0.0 into 0.0
    }
}
