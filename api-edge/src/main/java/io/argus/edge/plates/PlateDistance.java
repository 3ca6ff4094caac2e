package io.argus.edge.plates;

import java.util.Set;

/**
 * Edit distance between plate texts for ranking search results: Damerau–Levenshtein (optimal
 * string alignment) where substituting a character an OCR confuses with it costs
 * {@value #CONFUSABLE_COST} instead of 1 — O/0, I/1, B/8, S/5, Z/2, and also D/0, G/6, Q/0 — so
 * a query {@code LS15EBC} finds a read {@code L515EBC} before one that differs by another letter.
 */
public final class PlateDistance {

    /** Cost of substituting one of a confusable pair. */
    public static final double CONFUSABLE_COST = 0.5;

    private static final Set<String> PAIRS = Set.of("O0", "0O", "I1", "1I", "B8", "8B", "S5", "5S", "Z2", "2Z",
            "D0", "0D", "G6", "6G", "Q0", "0Q");

    private PlateDistance() {
    }

    /**
     * @param a a plate in normal form
     * @param b another
     * @return the weighted distance, ≥ 0; 0 exactly when equal
     */
    public static double of(String a, String b) {
        int n = a.length();
        int m = b.length();
        double[][] d = new double[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                char x = a.charAt(i - 1);
                char y = b.charAt(j - 1);
                double sub = x == y ? 0 : PAIRS.contains("" + x + y) ? CONFUSABLE_COST : 1;
                double v = Math.min(d[i - 1][j - 1] + sub, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && x == b.charAt(j - 2) && a.charAt(i - 2) == y) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
