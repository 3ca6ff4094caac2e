package io.argus.analyzer.models.tfjs;

/**
 * Weights and bias of an emitted Conv, still mutable: the arrays are the graph's initializers, so
 * a per-channel scale or shift folded into them changes the written model.
 *
 * @param w weights, OIHW, {@code outC} blocks of equal length
 * @param b bias, one per output channel
 * @param outC output channels
 */
record ConvParams(float[] w, float[] b, int outC) {

    /**
     * Multiplies output channel o's weights and bias by {@code s[o]}.
     *
     * @param s one factor, or one per output channel
     */
    void scale(float[] s) {
        int per = w.length / outC;
        for (int o = 0; o < outC; o++) {
            float k = s.length == 1 ? s[0] : s[o];
            for (int j = 0; j < per; j++) {
                w[o * per + j] *= k;
            }
            b[o] *= k;
        }
    }

    /**
     * Adds {@code sign · t[o]} to output channel o's bias.
     *
     * @param t one term, or one per output channel
     * @param sign +1 or −1
     */
    void shift(float[] t, float sign) {
        for (int o = 0; o < outC; o++) {
            b[o] += sign * (t.length == 1 ? t[0] : t[o]);
        }
    }
}
