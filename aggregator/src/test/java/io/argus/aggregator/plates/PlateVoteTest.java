package io.argus.aggregator.plates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Per-track plate voting on hand-made read sequences. */
class PlateVoteTest {

    @Test
    void votingPerPositionWeightedByScoreAndSharpness() {
        List<PlateVote.Read> reads = List.of(
                new PlateVote.Read("LS15EBC", 0.95f, 0.9f),
                new PlateVote.Read("LS1SEBC", 0.60f, 0.3f),   // blurred misread
                new PlateVote.Read("L515EBC", 0.70f, 0.5f),
                new PlateVote.Read("LS15EB", 0.90f, 0.9f),    // one character lost
                new PlateVote.Read("", 0.0f, 1f),
                new PlateVote.Read("LS15E8C", 0.80f, 0.8f));
        PlateVote.Result r = PlateVote.vote(reads);
        assertThat(r.text()).isEqualTo("LS15EBC");
        assertThat(r.best()).isZero();
        assertThat(r.reads()).isEqualTo(4);
        assertThat(r.confidence()).isBetween(0.7f, 1f);
        // every read agreeing: confidence 1
        assertThat(PlateVote.vote(List.of(new PlateVote.Read("AB12", 0.9f, 1f), new PlateVote.Read("AB12", 0.5f, 1f)))
                .confidence()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(PlateVote.vote(List.of(new PlateVote.Read("", 0.9f, 1f)))).isNull();
    }
}
