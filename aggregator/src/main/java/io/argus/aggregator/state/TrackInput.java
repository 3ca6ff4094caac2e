package io.argus.aggregator.state;

import java.util.List;

/**
 * The parts of one FrameResult of a tracked op that tracking uses; kept in the tracking pending store
 * while it waits for a missing sequence number or for the job's BEGIN marker.
 *
 * @param op         op name
 * @param seq        0-based frame sequence number
 * @param offsetMs   frame offset in ms from the source start
 * @param uri        frame-store URI of the frame, or null
 * @param error      why the op failed on the frame, or null (the frame is then not tracked)
 * @param detections the frame's detections
 */
public record TrackInput(String op, long seq, long offsetMs, String uri, String error, List<DetectionData> detections) {

    /**
     * One detection of the frame.
     *
     * @param label  class label
     * @param score  confidence, [0, 1] when valid
     * @param left   px
     * @param top    px
     * @param right  px
     * @param bottom px
     * @param plate  the licence plate read on it (op {@code plate}), or null
     * @param embedding the face embedding (op {@code face_embed}), or null
     * @param blur   the face's sharpness (op {@code face_embed}), or null
     */
    public record DetectionData(String label, double score, int left, int top, int right, int bottom, PlateData plate,
                                float[] embedding, Float blur) {
    }

    /**
     * A plate read on a detection.
     *
     * @param text      normalised text; empty when unreadable
     * @param raw       the recogniser's text
     * @param score     read score, [0, 1]
     * @param sharpness Laplacian variance of the plate crop
     * @param left      plate box, px
     * @param top       px
     * @param right     px
     * @param bottom    px
     */
    public record PlateData(String text, String raw, float score, float sharpness, int left, int top, int right,
                            int bottom) {
    }
}
