package io.argus.aggregator.state;

import java.util.ArrayList;
import java.util.List;

import io.argus.aggregator.counting.CountingSnapshot;
import io.argus.aggregator.tracking.TrackerSnapshot;

/**
 * Tracking's state of one job, kept in the aggregator's tracking store (JSON, key job id) from the
 * job's first record until it is purged: whether the job is tracked, the tracker's and the counting's
 * whole state, and where the frames stand. Mutable; saved after every change.
 */
public final class TrackingJob {

    private String jobId;
    private String videoId;
    private boolean begun;
    private boolean tracked;
    private boolean done;
    private long updatedAt;
    private String op;
    private List<String> classes = new ArrayList<>();
    private int width;
    private int height;
    private long nextSeq;
    private long endSeq = -1;
    private long lastOffsetMs;
    private TrackerSnapshot tracker;
    private CountingSnapshot counting;
    private List<FrameUri> recent = new ArrayList<>();
    private io.argus.aggregator.plates.PlateTally plates = new io.argus.aggregator.plates.PlateTally();
    private boolean live;

    private TrackingJob() {
    }

    /** @return whether the job reads a live stream (false for files and URLs, and for state saved before) */
    public boolean live() {
        return live;
    }

    /** @param live whether the job reads a live stream */
    public void live(boolean live) {
        this.live = live;
    }

    /**
     * @param jobId   job id
     * @param videoId video id
     * @param now     wall clock, ms since the epoch
     */
    public TrackingJob(String jobId, String videoId, long now) {
        this.jobId = jobId;
        this.videoId = videoId;
        this.updatedAt = now;
    }

    /**
     * At BEGIN of a job with {@code params.tracking}.
     *
     * @param op       the tracked op
     * @param classes  labels tracked, empty for all
     * @param width    frame width, px
     * @param height   frame height, px
     * @param tracker  a fresh tracker's state
     * @param counting a fresh counting's state
     */
    public void beginTracked(String op, List<String> classes, int width, int height, TrackerSnapshot tracker,
                             CountingSnapshot counting) {
        this.begun = true;
        this.tracked = true;
        this.op = op;
        this.classes = new ArrayList<>(classes);
        this.width = width;
        this.height = height;
        this.tracker = tracker;
        this.counting = counting;
    }

    /** At BEGIN of a job without tracking: its results are ignored from now on. */
    public void beginUntracked() {
        this.begun = true;
        this.tracked = false;
    }

    /** @return the plate reads of the open tracks (op {@code plate}) */
    public io.argus.aggregator.plates.PlateTally plates() {
        return plates;
    }

    /** At the job's end: tracking is over, its state dropped. */
    public void finish() {
        this.done = true;
        this.tracker = null;
        this.counting = null;
        this.recent = new ArrayList<>();
        this.plates = new io.argus.aggregator.plates.PlateTally();
    }

    /**
     * After a frame is tracked (or skipped because its op failed).
     *
     * @param offsetMs the frame's offset, ms (null when skipped)
     * @param tracker  the tracker's state after it
     * @param counting the counting's state after it
     */
    public void advance(Long offsetMs, TrackerSnapshot tracker, CountingSnapshot counting) {
        nextSeq++;
        if (offsetMs != null) {
            lastOffsetMs = offsetMs;
        }
        this.tracker = tracker;
        this.counting = counting;
    }

    /** @param now wall clock, ms since the epoch */
    public void touch(long now) {
        updatedAt = now;
    }

    /** @param frames the number of frames of the job (END's seq) */
    public void end(long frames) {
        endSeq = frames;
    }

    /**
     * Remembers a frame's URI and forgets those older than {@code keepMs} before it.
     *
     * @param frame  the frame
     * @param keepMs how far back to keep, ms
     */
    public void remember(FrameUri frame, long keepMs) {
        recent.add(frame);
        recent.removeIf(f -> f.offsetMs() < frame.offsetMs() - keepMs);
    }

    /**
     * @param offsetMs a recent frame's offset
     * @return its URI, or null when not remembered
     */
    public String uriAt(long offsetMs) {
        for (FrameUri f : recent) {
            if (f.offsetMs() == offsetMs) {
                return f.uri();
            }
        }
        return null;
    }

    /** @return true once every frame below END's count was processed */
    public boolean complete() {
        return endSeq >= 0 && nextSeq >= endSeq;
    }

    /** @return the job id */
    public String jobId() {
        return jobId;
    }

    /** @return the video id */
    public String videoId() {
        return videoId;
    }

    /** @return whether BEGIN was applied */
    public boolean begun() {
        return begun;
    }

    /** @return whether the job has {@code params.tracking} (meaningful once begun) */
    public boolean tracked() {
        return tracked;
    }

    /** @return whether tracking is over */
    public boolean done() {
        return done;
    }

    /** @return last change, wall clock ms since the epoch */
    public long updatedAt() {
        return updatedAt;
    }

    /** @return the tracked op */
    public String op() {
        return op;
    }

    /** @return labels tracked, empty for all */
    public List<String> classes() {
        return classes;
    }

    /** @return frame width, px */
    public int width() {
        return width;
    }

    /** @return frame height, px */
    public int height() {
        return height;
    }

    /** @return the seq of the next frame to track */
    public long nextSeq() {
        return nextSeq;
    }

    /** @return END's frame count, or -1 before END */
    public long endSeq() {
        return endSeq;
    }

    /** @return the last tracked frame's offset, ms (0 before any) */
    public long lastOffsetMs() {
        return lastOffsetMs;
    }

    /** @return the tracker's state, null when not tracked or over */
    public TrackerSnapshot tracker() {
        return tracker;
    }

    /** @return the counting's state, null when not tracked or over */
    public CountingSnapshot counting() {
        return counting;
    }
}
