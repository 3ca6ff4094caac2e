package io.argus.edge.extract;

import io.argus.schemas.avro.ExtractionKind;
import io.argus.schemas.avro.ExtractionState;
import io.argus.schemas.avro.ExtractionStatus;

/**
 * A request as history and GET /frame/{id} show it: its latest status, how many of its items the
 * index holds now, and the state shown to clients.
 *
 * @param status the latest {@link ExtractionStatus}
 * @param stored items of this request now in the index (a prefix count)
 * @param state  the state shown: {@link #shownState}
 */
public record ExtractionSummary(ExtractionStatus status, long stored, ExtractionState state) {

    /**
     * @param status the latest status
     * @param stored items of the request in the index
     * @return the summary, with the shown state
     */
    public static ExtractionSummary of(ExtractionStatus status, long stored) {
        return new ExtractionSummary(status, stored, shownState(status, stored));
    }

    /**
     * The state shown to clients. It is the status's state, except for a FLOW request whose
     * sampling is FINISHED while fewer flows are stored than pairs were sent ({@code stored <
     * frames}): the flow workers are still computing, so it shows DOING. (A pair a worker failed
     * on never arrives, so such a request keeps showing DOING; its {@code stored} and
     * {@code frames} tell the two apart.)
     *
     * @param status the latest status
     * @param stored items of the request in the index
     * @return the state to show
     */
    public static ExtractionState shownState(ExtractionStatus status, long stored) {
        if (status.getKind() == ExtractionKind.FLOW && status.getState() == ExtractionState.FINISHED
                && stored < status.getFrames()) {
            return ExtractionState.DOING;
        }
        return status.getState();
    }
}
