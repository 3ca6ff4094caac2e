package io.argus.aggregator.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost linear assignment (the Hungarian algorithm of Kuhn 1955 and Munkres 1957, in its
 * O(n²·m) shortest-augmenting-path form with row and column potentials, as described by Jonker and
 * Volgenant 1987). Used by {@link ByteTracker} to match tracks to detections by IoU distance.
 *
 * <p>Matrices are {@code double[rows][cols]}, rectangular allowed, every row the same length, every
 * entry finite; a matrix without rows has no columns either. Stateless and thread-safe.
 */
public final class LinearAssignment {

    private LinearAssignment() {
    }

    /**
     * Result of {@link #match(double[][], double)}.
     *
     * @param pairs          matched {@code {row, col}} pairs, in row order
     * @param unmatchedRows  rows left alone, ascending
     * @param unmatchedCols  columns left alone, ascending
     */
    public record Matches(List<int[]> pairs, int[] unmatchedRows, int[] unmatchedCols) {
    }

    /**
     * Assigns as many rows as possible (min(rows, cols)) at minimum total cost.
     *
     * @param cost cost matrix {@code [rows][cols]}; may be empty
     * @return for each row its column, or -1 when the row is left out (only when rows exceed columns)
     * @throws IllegalArgumentException when the matrix is ragged or holds a non-finite entry
     */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        int cols = check(cost);
        int[] rowToCol = new int[rows];
        Arrays.fill(rowToCol, -1);
        if (rows == 0 || cols == 0) {
            return rowToCol;
        }
        if (rows <= cols) {
            int[] colToRow = hungarian(cost, rows, cols, false);
            for (int j = 0; j < cols; j++) {
                if (colToRow[j] >= 0) {
                    rowToCol[colToRow[j]] = j;
                }
            }
        } else {
            int[] rowOfTransposedCol = hungarian(cost, cols, rows, true);
            for (int i = 0; i < rows; i++) {
                rowToCol[i] = rowOfTransposedCol[i];
            }
        }
        return rowToCol;
    }

    /**
     * Matches rows to columns where it pays: minimises the sum of matched costs plus
     * {@code limit / 2} for every row and every column left unmatched (the cost extension of
     * Jonker-Volgenant's {@code lapjv(extend_cost=True, cost_limit=limit)}, as ByteTrack's
     * {@code matching.linear_assignment} calls it). So a pair is only matched when its cost is below
     * {@code limit}; a pair exactly at the limit is left unmatched.
     *
     * @param cost  cost matrix {@code [rows][cols]}; may be empty
     * @param limit largest useful pair cost, finite
     * @return the pairs and what is left
     * @throws IllegalArgumentException when the matrix is ragged, holds a non-finite entry, or the limit is not finite
     */
    public static Matches match(double[][] cost, double limit) {
        if (!Double.isFinite(limit)) {
            throw new IllegalArgumentException("limit must be finite: " + limit);
        }
        int rows = cost.length;
        int cols = check(cost);
        // rows x (cols + rows): each row may instead take one of `rows` dummy columns at cost `limit`.
        // Sum = matched costs + limit * unmatched rows = const + sum over pairs of (cost - limit),
        // the same optimum as charging limit/2 to each unmatched row and column.
        double forbidden = Math.abs(limit) * 2 + 1;
        double[][] extended = new double[rows][cols + rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                extended[i][j] = cost[i][j] < limit ? cost[i][j] : forbidden;
            }
            Arrays.fill(extended[i], cols, cols + rows, limit);
        }
        int[] rowToCol = solve(extended);
        List<int[]> pairs = new ArrayList<>();
        boolean[] rowUsed = new boolean[rows];
        boolean[] colUsed = new boolean[cols];
        for (int i = 0; i < rows; i++) {
            int j = rowToCol[i];
            if (j >= 0 && j < cols && cost[i][j] < limit) {
                pairs.add(new int[] {i, j});
                rowUsed[i] = true;
                colUsed[j] = true;
            }
        }
        return new Matches(pairs, unused(rowUsed), unused(colUsed));
    }

    private static int[] unused(boolean[] used) {
        int[] out = new int[used.length];
        int n = 0;
        for (int k = 0; k < used.length; k++) {
            if (!used[k]) {
                out[n++] = k;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int check(double[][] cost) {
        int cols = cost.length == 0 ? 0 : cost[0].length;
        for (double[] row : cost) {
            if (row.length != cols) {
                throw new IllegalArgumentException("ragged cost matrix: rows of " + cols + " and " + row.length);
            }
            for (double c : row) {
                if (!Double.isFinite(c)) {
                    throw new IllegalArgumentException("cost matrix entry is not finite: " + c);
                }
            }
        }
        return cols;
    }

    /**
     * Shortest augmenting paths over an n x m matrix, n <= m.
     *
     * @return for each of the m columns its row, or -1
     */
    private static int[] hungarian(double[][] cost, int n, int m, boolean transposed) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1]; // p[j]: row (1-based) assigned to column j; p[0] the row being added
        int[] way = new int[m + 1];
        double[] minv = new double[m + 1];
        boolean[] used = new boolean[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double c = transposed ? cost[j - 1][i0 - 1] : cost[i0 - 1][j - 1];
                        double cur = c - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] colToRow = new int[m];
        for (int j = 1; j <= m; j++) {
            colToRow[j - 1] = p[j] - 1;
        }
        return colToRow;
    }
}
