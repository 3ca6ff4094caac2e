package io.argus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LivePhasesTest {

    @Test
    void eightJobsSampleAnEighthOfTheIntervalApart() {
        LivePhases phases = new LivePhases();
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ms.add(phases.acquire().phaseMs(1000));
        }
        assertThat(ms).containsExactly(0L, 500L, 250L, 750L, 125L, 375L, 625L, 875L);
        assertThat(phases.held()).isEqualTo(8);
    }

    @Test
    void anEndedJobsPhaseGoesToTheNextJob() {
        LivePhases phases = new LivePhases();
        LivePhases.Lease a = phases.acquire();
        LivePhases.Lease b = phases.acquire();
        LivePhases.Lease c = phases.acquire();
        assertThat(c.phaseMs(1000)).isEqualTo(250);
        b.close();
        assertThat(phases.held()).isEqualTo(2);
        assertThat(phases.acquire().phaseMs(1000)).as("the gap b left, 250..1000, has its middle at 625").isEqualTo(625);
        a.close();
        c.close();
    }

    @Test
    void phasesScaleWithEachJobsInterval() {
        LivePhases phases = new LivePhases();
        phases.acquire();
        LivePhases.Lease second = phases.acquire();
        assertThat(second.phaseMs(5000)).isEqualTo(2500);
        assertThat(second.phaseMs(1)).isZero();
    }
}
