package io.argus.analyzer.ops.face;

/**
 * One decoded BlazeFace detection in normalized model-input coordinates ([0, 1] of the square
 * input tensor, origin top-left).
 *
 * @param xmin      left edge
 * @param ymin      top edge
 * @param xmax      right edge
 * @param ymax      bottom edge
 * @param score     sigmoid score in [0, 1]
 * @param keypoints 6 keypoints as x0, y0, x1, y1, … (right eye, left eye, nose tip, mouth, right
 *                  ear tragion, left ear tragion — MediaPipe's order)
 */
public record Face(float xmin, float ymin, float xmax, float ymax, float score, float[] keypoints) {

    /** @return the box area (0 for degenerate boxes) */
    public float area() {
        return Math.max(0, xmax - xmin) * Math.max(0, ymax - ymin);
    }

    /**
     * @param o another detection
     * @return intersection over union of the two boxes, 0 when either is empty
     */
    public float iou(Face o) {
        float iw = Math.min(xmax, o.xmax) - Math.max(xmin, o.xmin);
        float ih = Math.min(ymax, o.ymax) - Math.max(ymin, o.ymin);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
