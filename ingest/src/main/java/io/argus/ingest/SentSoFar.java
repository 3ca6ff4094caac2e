package io.argus.ingest;

import io.argus.schemas.avro.FrameEvent;
import io.argus.schemas.avro.FrameKind;

/**
 * What a job's earlier run (a process that died, or a request redelivered after a restart) has
 * already written to argus.frames, as read back by {@link FrameLog}: whether BEGIN and END were
 * sent and the last FRAME's seq, offset (ms) and frame-store URI. A run that knows this sends
 * only what is missing, so no event is sent twice.
 *
 * @param begun        BEGIN was sent
 * @param ended        END was sent: the job is done and nothing more is to be sent
 * @param lastSeq      seq of the last FRAME sent, -1 when none
 * @param lastOffsetMs offset in ms of that FRAME, -1 when none
 * @param lastUri      frame-store URI of that FRAME, null when none
 */
public record SentSoFar(boolean begun, boolean ended, long lastSeq, long lastOffsetMs, String lastUri) {

    /** Nothing sent yet: a fresh job. */
    public static final SentSoFar NOTHING = new SentSoFar(false, false, -1, -1, null);

    /** @return true when nothing was sent */
    public boolean fresh() {
        return !begun && !ended && lastSeq < 0;
    }

    /**
     * @param event an event of the job, in log order
     * @return this progress updated with the event
     */
    public SentSoFar with(FrameEvent event) {
        if (event.getKind() == FrameKind.BEGIN) {
            return new SentSoFar(true, ended, lastSeq, lastOffsetMs, lastUri);
        }
        if (event.getKind() == FrameKind.END) {
            return new SentSoFar(begun, true, lastSeq, lastOffsetMs, lastUri);
        }
        if (event.getSeq() > lastSeq) {
            return new SentSoFar(begun, ended, event.getSeq(), event.getOffsetMs(), event.getUri());
        }
        return this;
    }
}
