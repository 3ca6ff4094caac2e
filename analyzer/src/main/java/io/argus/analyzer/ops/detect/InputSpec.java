package io.argus.analyzer.ops.detect;

import java.util.Arrays;

/**
 * How a frame becomes a model input tensor. A pixel value {@code v} (0–255) of channel {@code c}
 * becomes {@code (v · scale − mean[c]) / std[c]}, channels in the model's order.
 *
 * @param width input width in pixels
 * @param height input height in pixels
 * @param nchw true for {@code [1, 3, H, W]}, false for {@code [1, H, W, 3]}
 * @param rgb true for RGB channel order, false for BGR
 * @param scale multiplier applied to 0–255 values first (e.g. {@code 1/255})
 * @param mean per-channel value subtracted after scaling (3 values, model channel order)
 * @param std per-channel divisor applied last (3 values, non-zero)
 * @param letterbox true to keep the aspect ratio (scale by {@code min(W/w, H/h)}, centre, pad
 *     with grey 114 as Ultralytics' {@code LetterBox}); false to stretch to W×H (TF Object
 *     Detection API's {@code fixed_shape_resizer}, which SSD-MobileNet uses)
 */
public record InputSpec(int width, int height, boolean nchw, boolean rgb, float scale, float[] mean, float[] std,
                        boolean letterbox) {

    /** Grey used for letterbox padding (0–255, before scaling). */
    public static final double PAD = 114;

    /** Validates the fields. */
    public InputSpec {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values: " + Arrays.toString(mean) + " "
                    + Arrays.toString(std));
        }
        for (float s : std) {
            if (s == 0) {
                throw new IllegalArgumentException("std must be non-zero: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** @return true when mean is 0 and std is 1 for every channel */
    public boolean plainScale() {
        for (int c = 0; c < 3; c++) {
            if (mean[c] != 0 || std[c] != 1) {
                return false;
            }
        }
        return true;
    }
}
