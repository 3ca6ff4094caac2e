package io.argus.aggregator.tracking;

/**
 * One track as it stands after a frame.
 *
 * @param id      the track's id, unique within the job (1, 2, 3… in order of birth)
 * @param label   the track's class: the score-weighted majority of its matched detections' classes
 * @param box     the Kalman-filtered box in px (after the frame's correction when matched, the
 *                prediction when lost, the last box when removed)
 * @param score   confidence in [0, 1] of the last detection matched to the track
 * @param state   the track's state after the frame
 * @param matched whether a detection of this frame was matched to the track
 */
public record TrackedObject(long id, String label, Box box, double score, TrackState state, boolean matched) {

    /** @return whether the track counts: confirmed now (matched on this frame and on enough before) */
    public boolean confirmed() {
        return state == TrackState.CONFIRMED;
    }
}
