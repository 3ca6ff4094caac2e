package io.argus.extractor.flow;

import java.util.OptionalDouble;

/**
 * Summary of a {@link FlowField} or of a rectangle of it. Magnitudes are in pixels per frame pair
 * of the field's resolution (divide by {@link FlowField#scale()} for source pixels; at scale 0.5
 * the 1 px moving threshold is 2 source pixels). Vectors that are unknown by the Middlebury
 * convention or not finite ({@link FloFile#isUnknown(float, float)}) are left out of everything.
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
        if (!(movingThreshold >= 0)) {
            throw new IllegalArgumentException("movingThreshold must be >= 0, got " + movingThreshold);
        }
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
        if (n == 0) {
            return new FlowStats(0, 0, 0, 0, movingThreshold, 0, Double.NaN, 0);
        }
        // Nearest-rank p95 by selection, O(n): sorting 442k magnitudes took ~35 ms a 768×576 field.
        double p95 = kth(mags, n, (int) Math.ceil(0.95 * n) - 1);
        double resultant = Math.hypot(sumU, sumV);
        double direction = moving == 0 || resultant == 0 ? Double.NaN : directionDegrees(sumU, sumV);
        double coherence = moving == 0 ? 0 : Math.min(1.0, resultant / sumMoving);
        return new FlowStats(n, sum / n, p95, max, movingThreshold, (double) moving / n, direction, coherence);
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
