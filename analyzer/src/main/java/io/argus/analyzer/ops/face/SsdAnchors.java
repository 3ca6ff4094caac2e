package io.argus.analyzer.ops.face;

import java.util.ArrayList;
import java.util.List;

/**
 * SSD anchor centres as MediaPipe's {@code SsdAnchorsCalculator} generates them
 * ({@code mediapipe/calculators/tflite/ssd_anchors_calculator.cc}) for the BlazeFace options of
 * {@code mediapipe/modules/face_detection/face_detection_back_cpu.pbtxt} /
 * {@code face_detection_front_cpu.pbtxt} (older graphs: {@code face_detection_back_desktop_live.pbtxt}
 * and {@code face_detection_mobile_gpu.pbtxt}): {@code anchor_offset_x/y 0.5}, {@code aspect_ratios
 * 1.0}, {@code interpolated_scale_aspect_ratio 1.0}, {@code fixed_anchor_size true}.
 *
 * <p>With those options every layer contributes two anchors per feature-map cell (aspect ratio 1
 * plus the interpolated scale), both of size 1×1 (fixed size), so the anchors are only centres.
 * Consecutive layers with the same stride share a feature map and are emitted together, in
 * row-major order (y, then x, then anchor). For "back" (256×256, strides 16, 32, 32, 32) that is
 * 16·16·2 = 512 plus 8·8·6 = 384 = 896 anchors; "front" (128×128, strides 8, 16, 16, 16) gives the
 * same counts.
 */
public final class SsdAnchors {

    /** Anchors of one stride group: {@code count} anchors, centre x then y for each. */
    public record Group(int stride, int count, float[] centres) {
    }

    private SsdAnchors() {
    }

    /**
     * @param inputSize square model input size in pixels
     * @param strides   per-layer strides (layers with equal consecutive strides share a group)
     * @return the anchor groups in output order
     */
    public static List<Group> generate(int inputSize, int... strides) {
        List<Group> groups = new ArrayList<>();
        int layer = 0;
        while (layer < strides.length) {
            int stride = strides[layer];
            int perCell = 0;
            while (layer < strides.length && strides[layer] == stride) {
                perCell += 2; // aspect ratio 1.0 + interpolated scale (ratio 1.0)
                layer++;
            }
            int fm = (int) Math.ceil((double) inputSize / stride);
            float[] c = new float[fm * fm * perCell * 2];
            int i = 0;
            for (int y = 0; y < fm; y++) {
                for (int x = 0; x < fm; x++) {
                    for (int a = 0; a < perCell; a++) {
                        c[i++] = (x + 0.5f) / fm;
                        c[i++] = (y + 0.5f) / fm;
                    }
                }
            }
            groups.add(new Group(stride, fm * fm * perCell, c));
        }
        return groups;
    }
}
