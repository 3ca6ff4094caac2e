package io.argus.aggregator.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LinearAssignmentTest {

    @Test
    void squareMatrixGetsItsKnownOptimum() {
        // Unique optimum 5 = 1 (0->1) + 2 (1->0) + 2 (2->2); taking row 1's zero first gives 6.
        double[][] cost = {
            {4, 1, 3},
            {2, 0, 5},
            {3, 2, 2},
        };
        int[] rowToCol = LinearAssignment.solve(cost);
        assertThat(rowToCol).containsExactly(1, 0, 2);
        assertThat(total(cost, rowToCol)).isEqualTo(5.0);
    }

    @Test
    void wideMatrixAssignsEveryRow() {
        double[][] cost = {
            {9, 2, 7, 8},
            {6, 4, 3, 7},
        };
        assertThat(LinearAssignment.solve(cost)).containsExactly(1, 2);
    }

    @Test
    void tallMatrixLeavesTheCostliestRowOut() {
        double[][] cost = {
            {1, 9},
            {9, 9},
            {9, 1},
        };
        assertThat(LinearAssignment.solve(cost)).containsExactly(0, -1, 1);
    }

    @Test
    void emptyMatricesGiveNoAssignment() {
        assertThat(LinearAssignment.solve(new double[0][0])).isEmpty();
        assertThat(LinearAssignment.solve(new double[2][0])).containsExactly(-1, -1);
        LinearAssignment.Matches m = LinearAssignment.match(new double[3][0], 0.8);
        assertThat(m.pairs()).isEmpty();
        assertThat(m.unmatchedRows()).containsExactly(0, 1, 2);
        assertThat(m.unmatchedCols()).isEmpty();
    }

    @Test
    void agreesWithBruteForceOnRandomRectangularMatrices() {
        Random random = new Random(15);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int cols = 1 + random.nextInt(6);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int j = 0; j < cols; j++) {
                    row[j] = random.nextInt(20);
                }
            }
            int[] rowToCol = LinearAssignment.solve(cost);
            assertThat(assigned(rowToCol)).isEqualTo(Math.min(rows, cols));
            assertThat(total(cost, rowToCol)).as("trial %d", trial).isEqualTo(bruteForce(cost, 0, new boolean[cols]));
        }
    }

    @Test
    void matchLeavesPairsAtOrAboveTheLimitUnmatched() {
        double[][] cost = {
            {0.2, 0.9},
            {0.95, 0.8},
            {0.3, 0.85},
        };
        LinearAssignment.Matches m = LinearAssignment.match(cost, 0.8);
        assertThat(m.pairs()).hasSize(1);
        assertThat(m.pairs().get(0)).containsExactly(0, 0);
        assertThat(m.unmatchedRows()).containsExactly(1, 2);
        assertThat(m.unmatchedCols()).containsExactly(1);
    }

    @Test
    void matchPrefersTwoPairsOverOneCheaperPairWhenThatIsCheaperInTotal() {
        // Pairing (0,0) alone costs 0.1 + 2 * 0.4 (unmatched row 1 and col 1) = 0.9;
        // (0,1)+(1,0) costs 0.5 + 0.5 = 1.0; (0,0)+(1,1) is forbidden (0.9 >= 0.8).
        double[][] cost = {
            {0.1, 0.5},
            {0.5, 0.9},
        };
        LinearAssignment.Matches m = LinearAssignment.match(cost, 0.8);
        assertThat(m.pairs()).hasSize(1);
        assertThat(m.pairs().get(0)).containsExactly(0, 0);
        // With cheaper crossed pairs they win: 0.4 + 0.4 against 0.1 + 0.8.
        double[][] cheaper = {
            {0.1, 0.4},
            {0.4, 0.9},
        };
        LinearAssignment.Matches two = LinearAssignment.match(cheaper, 0.8);
        assertThat(two.pairs()).hasSize(2);
        assertThat(two.pairs().get(0)).containsExactly(0, 1);
        assertThat(two.pairs().get(1)).containsExactly(1, 0);
    }

    @Test
    void rejectsRaggedAndNonFiniteMatrices() {
        assertThatThrownBy(() -> LinearAssignment.solve(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ragged");
        assertThatThrownBy(() -> LinearAssignment.solve(new double[][] {{1, Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> LinearAssignment.match(new double[][] {{1}}, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int assigned(int[] rowToCol) {
        int n = 0;
        for (int j : rowToCol) {
            n += j >= 0 ? 1 : 0;
        }
        return n;
    }

    private static double total(double[][] cost, int[] rowToCol) {
        double sum = 0;
        for (int i = 0; i < rowToCol.length; i++) {
            if (rowToCol[i] >= 0) {
                sum += cost[i][rowToCol[i]];
            }
        }
        return sum;
    }

    /** Minimum total over assignments of min(rows, cols) pairs. */
    private static double bruteForce(double[][] cost, int row, boolean[] usedCols) {
        int rows = cost.length;
        int cols = usedCols.length;
        int remainingRows = rows - row;
        int freeCols = 0;
        for (boolean u : usedCols) {
            freeCols += u ? 0 : 1;
        }
        if (remainingRows == 0 || freeCols == 0) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        if (remainingRows > freeCols) {
            best = bruteForce(cost, row + 1, usedCols); // this row may stay out
        }
        for (int j = 0; j < cols; j++) {
            if (!usedCols[j]) {
                usedCols[j] = true;
                best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, usedCols));
                usedCols[j] = false;
            }
        }
        return best;
    }
}
