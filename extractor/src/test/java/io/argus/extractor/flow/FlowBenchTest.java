package io.argus.extractor.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark helper runs and reports what it ran; it is not timed here. */
class FlowBenchTest {

    @Test
    void runsEveryStandardSettingOverRealFrames() {
        List<FlowSettings> settings = FlowBench.standardSettings();
        assertThat(settings).hasSize(8).extracting(FlowSettings::label).containsExactly(
                "DIS-ULTRAFAST@1.0", "DIS-ULTRAFAST@0.5", "DIS-FAST@1.0", "DIS-FAST@0.5",
                "DIS-MEDIUM@1.0", "DIS-MEDIUM@0.5", "FARNEBACK@1.0", "FARNEBACK@0.5");
        List<FlowBench.Result> results = FlowBench.runAll(VtestFrames.frames().subList(0, 3),
                List.of(FlowSettings.dis(DisPreset.ULTRAFAST), FlowSettings.farneback().withScale(0.5)), 3);
        assertThat(results).hasSize(2);
        assertThat(results.get(0).flowWidth()).isEqualTo(768);
        assertThat(results.get(1).flowWidth()).isEqualTo(384);
        assertThat(results.get(1).flowHeight()).isEqualTo(288);
        for (FlowBench.Result r : results) {
            assertThat(r.pairs()).isEqualTo(3);
            assertThat(r.millisPerPair()).isPositive();
            assertThat(r.pairsPerSecond()).isPositive();
            assertThat(r.opencvThreads()).isPositive();
            assertThat(r.toString()).contains(r.settings().label());
        }
        assertThatThrownBy(() -> FlowBench.run(VtestFrames.frames().subList(0, 1), FlowSettings.dis(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
